// Issue 16: a soak of thousands of random commands, valid and invalid, as a restless learner would send
// them. After every command the state keeps its invariants; the derived data is recomputed along the way;
// the process's resident memory at the end stays within a bound of what it was after a warm-up.
#include "app/io/model_files.hpp"
#include "app/state/app_state.hpp"
#include "app/state/derived.hpp"
#include "core/rng.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed blocks in a quarantine (up to 256 MiB by default) so that a use after free is
// caught; that memory is held on purpose, not leaked. Draining it before each reading makes the figure count
// what the program still holds. (Leaks themselves are LeakSanitizer's job in that build.)
extern "C" void __sanitizer_purge_allocator();
#endif

using namespace attn;

namespace {

// Resident set size in bytes (Linux /proc/self/statm), or 0 where it cannot be read.
double resident_bytes() {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_purge_allocator();
#endif
    std::ifstream f("/proc/self/statm");
    long pages = 0, resident = 0;
    if (!(f >> pages >> resident)) return 0;
    return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

Command random_command(Rng& rng, const AppState& s) {
    const auto pick = [&](int n) { return static_cast<int>(rng.uniform() * n); };
    // indices slightly past the ends too: the invalid half of the soak
    const int n = s.n_tokens(), any = pick(n + 3) - 1;
    const char* words[] = {"the", "cat", "it", "naïve", "고양이", "", "two words", "tired", "street"};
    const std::string word = words[pick(9)];
    switch (pick(22)) {
    case 0: {
        std::string text;
        for (int i = pick(40); i > 0; --i)
            text += std::string(words[pick(9)]) + " ";
        return SetText{text};
    }
    case 1:
        return InsertToken{any, word};
    case 2:
        return DeleteToken{any};
    case 3:
        return MoveToken{any, pick(n + 3) - 1};
    case 4:
        return EditToken{any, word};
    case 5:
        return SetPadding{any, rng.uniform() < 0.5};
    case 6: {
        const char* names[] = {"tired", "wide", "paragraph", "repeated", "gqa", "nope"};
        return LoadPreset{names[pick(6)]};
    }
    case 7:
        return SetDModel{pick(300) - 20};
    case 8:
        return SetLayers{pick(6) - 1};
    case 9:
        return SetHeads{pick(12) - 1, pick(12) - 1};
    case 10:
        return SetMask{static_cast<MaskKind>(pick(3)), pick(10) - 2};
    case 11:
        return SetPositions{static_cast<PositionKind>(pick(5))};
    case 12:
        return SetTemperature{static_cast<float>(rng.uniform() * 4.0 - 0.5)};
    case 13:
        return SetSeed{static_cast<std::uint64_t>(pick(1000))};
    case 14:
        return SetImplementation{static_cast<Implementation>(pick(3))};
    case 15:
        return ToggleHead{pick(5) - 1, pick(10) - 1};
    case 16:
        return SetAllHeads{rng.uniform() < 0.5};
    case 17: {
        std::vector<float> v(static_cast<std::size_t>(pick(6)), static_cast<float>(rng.uniform() * 4 - 2));
        return SetVectorOverride{pick(3) - 1, pick(5) - 1, any, "qkvx"[pick(4)], v};
    }
    case 18:
        return ClearOverrides{};
    case 19:
        return LoadTrainedModel{rng.uniform() < 0.5 ? "pronoun" : "no-such-model"};
    case 20:
        return ClearTrainedModel{};
    default:
        return SetTokens{std::vector<std::string>(static_cast<std::size_t>(pick(20)), word)};
    }
}

void check_invariants(const AppState& s) {
    REQUIRE(s.head_enabled.size() == static_cast<std::size_t>(s.config.n_layers * s.config.n_heads));
    REQUIRE(s.key_valid.size() == s.tokens.size());
    REQUIRE(s.n_tokens() <= k_max_live_tokens);
    REQUIRE(validate(s.config).empty());
}

} // namespace

TEST_CASE("soak: 3,000 random commands keep the invariants and the memory flat") {
    Rng rng(2026);
    AppState s = AppState::initial();
    long refused = 0, applied = 0;
    double warm = 0;
    const int total = 3000, warmup = 300;
    for (int step = 0; step < total; ++step) {
        const Command c = random_command(rng, s);
        const std::uint64_t before = s.revision;
        const ApplyResult r = apply_loading(s, c);
        if (r.changed) {
            ++applied;
            CHECK(s.revision > before);
        } else {
            refused += r.message.empty() ? 0 : 1;
            CHECK(s.revision == before);
        }
        check_invariants(s);
        if (step % 25 == 0) {
            const Derived d = compute_derived(s);
            REQUIRE_MESSAGE(d.error.empty(), english(d.error));
            REQUIRE(d.forward.layers.size() ==
                    static_cast<std::size_t>(s.tokens.empty() ? 0 : s.config.n_layers));
        }
        if (step == warmup) warm = resident_bytes();
    }
    const double end = resident_bytes();
    MESSAGE("soak: ", applied, " applied, ", refused, " refused with a message; resident ", warm / 1048576.0,
            " MiB after the warm-up, ", end / 1048576.0, " MiB at the end");
    CHECK(applied > total / 5);
    CHECK(refused > total / 10);
    if (warm > 0) CHECK(end - warm < 64.0 * 1048576.0);
}
