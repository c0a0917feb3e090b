// Saving a file so that a failure never destroys the previous version: the bytes go to a temporary file in
// the same folder, every write, the fsync and the close are checked, the folder is fsynced after the rename.
// Every file the app writes (sessions, preferences, layout, models, exports, compute outputs) goes through
// here.
#pragma once

#include "core/message.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace attn {

// Writes `bytes` to `path` atomically. Returns "" on success, otherwise
// "cannot write PATH: <reason>" where the reason is the system's text for errno. On failure the old file
// (if any) is untouched and the temporary file is removed.
std::string safe_write_file(const std::string& path, std::string_view bytes);
// The same with the failure as a message the window shows translated (sessions, preferences).
Message safe_write(const std::string& path, std::string_view bytes);

// The same for a file too large to assemble in memory first: `next` is called until it returns an empty
// view, and each piece it returns is written before it is called again (a piece must stay valid until
// then). The same guarantees and messages as above.
using SafeWriteSource = std::function<std::string_view()>;
std::string safe_write_pieces(const std::string& path, const SafeWriteSource& next);
Message safe_write_pieces_message(const std::string& path, const SafeWriteSource& next);

// The steps a save goes through, for tests that make one of them fail (a full disk at close, ...).
enum class SafeWriteStep { Open, Write, Sync, Close, Rename };

// Test hook: called before each step; returning a non-zero errno makes that step fail with that errno.
// Not thread-safe to change while saves run; tests set it and reset it (ScopedSafeWriteFault).
using SafeWriteFault = std::function<int(SafeWriteStep, const std::string& path)>;
void set_safe_write_fault(SafeWriteFault fault);

struct ScopedSafeWriteFault {
    explicit ScopedSafeWriteFault(SafeWriteFault f) { set_safe_write_fault(std::move(f)); }
    ~ScopedSafeWriteFault() { set_safe_write_fault({}); }
    ScopedSafeWriteFault(const ScopedSafeWriteFault&) = delete;
    ScopedSafeWriteFault& operator=(const ScopedSafeWriteFault&) = delete;
};

} // namespace attn
