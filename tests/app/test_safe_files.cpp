// Issue 16: no save destroys an existing file, and no input file can crash, hang or blow up a reader.
// Saves are failed on purpose through the safe-write test hook (a full disk at write, fsync or close), and
// the old file must be byte-for-byte intact with no temporary file left behind.
#include "app/io/bounded_read.hpp"
#include "app/io/csv_export.hpp"
#include "app/io/model_files.hpp"
#include "app/io/prefs.hpp"
#include "app/io/safe_write.hpp"
#include "app/io/session.hpp"
#include "app/state/measure_worker.hpp"
#include "app/state/trained_model.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace attn;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST_CASE("safe_write_file writes a new file and replaces an old one") {
    TempDir d;
    const std::string p = d.file("a.txt");
    CHECK(safe_write_file(p, "first") == "");
    CHECK(slurp(p) == "first");
    CHECK(safe_write_file(p, "second, longer") == "");
    CHECK(slurp(p) == "second, longer");
    CHECK(d.entries() == 1); // no temporary file left beside it
}

TEST_CASE("a save that fails at any step keeps the old file and says why") {
    for (const SafeWriteStep step : {SafeWriteStep::Open, SafeWriteStep::Write, SafeWriteStep::Sync,
                                     SafeWriteStep::Close, SafeWriteStep::Rename}) {
        CAPTURE(static_cast<int>(step));
        TempDir d;
        const std::string p = d.file("keep.json");
        put(p, "the teacher's work");
        ScopedSafeWriteFault fault(
            [&](SafeWriteStep s, const std::string&) { return s == step ? ENOSPC : 0; });
        const std::string err = safe_write_file(p, "new text that never lands");
        CHECK(err == "cannot write " + p + ": " + std::strerror(ENOSPC));
        CHECK(slurp(p) == "the teacher's work");
        CHECK(d.entries() == 1);
    }
}

TEST_CASE("a failed save leaves no file where there was none") {
    TempDir d;
    const std::string p = d.file("new.json");
    ScopedSafeWriteFault fault(
        [](SafeWriteStep s, const std::string&) { return s == SafeWriteStep::Close ? EIO : 0; });
    CHECK(safe_write_file(p, "x").find(std::strerror(EIO)) != std::string::npos);
    CHECK(!fs::exists(p));
    CHECK(d.entries() == 0);
}

TEST_CASE("saving onto a folder or into a missing folder gives the system's reason") {
    TempDir d;
    CHECK(safe_write_file(d.path.string(), "x") ==
          "cannot write " + d.path.string() + ": " + std::strerror(EISDIR));
    const std::string missing = d.file("no/such/dir/f.json");
    CHECK(safe_write_file(missing, "x") == "cannot write " + missing + ": " + std::strerror(ENOENT));
}

TEST_CASE("a save keeps the permissions of the file it replaces") {
    TempDir d;
    const std::string p = d.file("perm.json");
    put(p, "old");
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
    REQUIRE(safe_write_file(p, "new") == "");
    CHECK(fs::status(p).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("session, preferences and CSV saves on a full disk keep the old file and report it") {
    TempDir d;
    ScopedSafeWriteFault fault(
        [](SafeWriteStep s, const std::string&) { return s == SafeWriteStep::Close ? ENOSPC : 0; });
    const std::string session = d.file("lesson.json"), prefs = d.file("prefs.json"), csv = d.file("w.csv"),
                      measured = d.file("m.csv");
    for (const auto& p : {session, prefs, csv, measured})
        put(p, "old " + p);
    const AppState s = AppState::initial();
    const std::string full = std::strerror(ENOSPC);
    CHECK(english(save_session(session, s, {})).find(full) != std::string::npos);
    CHECK(english(save_prefs(prefs, Prefs{})).find(full) != std::string::npos);
    CHECK(english(write_weights_csv(csv, {"a"}, Matrix::Ones(1, 1), Matrix::Zero(1, 1))).find(full) !=
          std::string::npos);
    CHECK(english(save_measurements_csv(measured, {MeasurePoint{}})).find(full) != std::string::npos);
    for (const auto& p : {session, prefs, csv, measured})
        CHECK(slurp(p) == "old " + p);
    CHECK(d.entries() == 4);
}

TEST_CASE("a session with a trained snapshot is not saved when its model cannot be written") {
    TempDir d;
    AppState s = AppState::initial();
    REQUIRE(apply_loading(s, LoadTrainedModel{"pronoun"}).message.empty());
    s.trained_source.clear(); // as a Training panel snapshot: its weights go beside the session
    const std::string session = d.file("snap.json"), model = d.file("snap.atlm");
    put(session, "old session");
    put(model, "old model");
    {
        ScopedSafeWriteFault fault([](SafeWriteStep st, const std::string& p) {
            return st == SafeWriteStep::Write && p.find(".atlm") != std::string::npos ? ENOSPC : 0;
        });
        const std::string err = english(save_session(session, s, {}));
        CHECK(err.find("snap.atlm") != std::string::npos);
        CHECK(err.find(std::strerror(ENOSPC)) != std::string::npos);
    }
    CHECK(slurp(session) == "old session");
    CHECK(slurp(model) == "old model");
    REQUIRE(english(save_session(session, s, {})) ==
            ""); // and without the fault both are written, and load back
    auto back = load_session(session);
    REQUIRE(back.ok());
    CHECK(back.value.state.trained != nullptr);
}

TEST_CASE("bounded reads refuse folders, devices and oversized files before reading them") {
    TempDir d;
    auto dir = read_file_bounded(d.path.string(), 1024);
    CHECK(english(dir.error) == d.path.string() + " is a folder, not a file");
    auto zero = read_file_bounded("/dev/zero", 1024);
    CHECK(english(zero.error).find("not a regular file") != std::string::npos);
    // a sparse 300 MB file costs no disk space; it must be refused from its size alone, quickly
    const std::string big = d.file("big.json");
    { std::ofstream(big, std::ios::binary) << ""; }
    fs::resize_file(big, 300u << 20);
    const auto t0 = std::chrono::steady_clock::now();
    auto huge = read_file_bounded(big, 1u << 20);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(200));
    CHECK(english(huge.error).find("larger than 1 MiB") != std::string::npos);
    CHECK(huge.bytes.empty());
    auto missing = read_file_bounded(d.file("nope"), 10);
    CHECK(english(missing.error) == "cannot open " + d.file("nope") + ": " + std::strerror(ENOENT));
    put(d.file("small"), "12345");
    CHECK(read_file_bounded(d.file("small"), 5).bytes == "12345");
    CHECK(!read_file_bounded(d.file("small"), 4).ok());
}

TEST_CASE(
    "a trained-model path of /dev/zero or a folder is refused at once, not read until memory runs out") {
    TempDir d;
    for (const std::string& p : {std::string("/dev/zero"), d.path.string()}) {
        CAPTURE(p);
        const TrainedLoad r = load_trained(p);
        CHECK(r.model == nullptr);
        CHECK(english(r.error).find(p) != std::string::npos);
    }
    AppState s = AppState::initial();
    CHECK(!apply_loading(s, LoadTrainedModel{"/dev/zero"}).message.empty());
}

TEST_CASE("a session, script or preferences path that is a folder says it is a folder") {
    TempDir d;
    const auto s = load_session(d.path.string());
    CHECK(english(s.error).find("is a folder") != std::string::npos);
    const auto p = load_prefs(d.path.string());
    CHECK(english(p.error).find("is a folder") != std::string::npos);
}

TEST_CASE("a new file gets the usual permissions (0666 less the umask), not a temp file's 0600") {
    TempDir d;
    const std::string p = d.file("new.json");
    const mode_t mask = ::umask(022);
    REQUIRE(safe_write_file(p, "x") == "");
    ::umask(mask);
    CHECK(fs::status(p).permissions() ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));
}
