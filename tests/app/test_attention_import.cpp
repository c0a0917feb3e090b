// File → Import attention (issue 14): .npz archives (stored and deflated) and .npy + tokens JSON from disk,
// refused when damaged; the imported weights in the state, the derived data and every view, with edits
// refused and a preset or Close ending the import.
#include "app/io/attention_file.hpp"
#include "app/io/mapped_file.hpp"
#include "app/io/model_files.hpp"
#include "app/io/session.hpp"
#include "app/panels/panel_context.hpp"
#include "app/state/derived.hpp"
#include "app/state/views.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/workspace.hpp"
#include "core/npy.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"

#include "headless_imgui.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <csignal>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace attn;

namespace {

ImportedAttention sample(int L, int H, std::vector<std::string> tokens, std::uint64_t seed) {
    ImportedAttention a;
    a.name = "sample";
    a.tokens = std::move(tokens);
    a.n_layers = L;
    a.n_heads = H;
    const int n = a.n_tokens();
    Rng rng(seed);
    std::vector<Matrix> per_head;
    for (int m = 0; m < L * H; ++m) {
        Matrix w(n, n);
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j)
                w(i, j) = static_cast<float>(std::exp(3.0 * rng.uniform()));
            w.row(i) /= w.row(i).sum();
        }
        per_head.push_back(w);
    }
    set_weights(a, per_head);
    return a;
}

void put(std::string& s, std::uint32_t v, int bytes) {
    for (int b = 0; b < bytes; ++b)
        s += static_cast<char>((v >> (8 * b)) & 0xFF);
}

// A ZIP archive whose members are deflated, as np.savez_compressed writes them.
std::string deflated_zip(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string out, dir;
    for (const auto& [name, data] : files) {
        uLongf cap = compressBound(static_cast<uLong>(data.size())) + 64;
        std::string packed(cap, '\0');
        z_stream z{};
        REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        z.avail_in = static_cast<uInt>(data.size());
        z.next_out = reinterpret_cast<Bytef*>(packed.data());
        z.avail_out = static_cast<uInt>(cap);
        REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
        packed.resize(z.total_out);
        deflateEnd(&z);
        const auto crc = static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
        const auto at = static_cast<std::uint32_t>(out.size());
        put(out, 0x04034b50, 4), put(out, 20, 2), put(out, 0, 2), put(out, 8, 2), put(out, 0, 4);
        put(out, crc, 4), put(out, static_cast<std::uint32_t>(packed.size()), 4);
        put(out, static_cast<std::uint32_t>(data.size()), 4),
            put(out, static_cast<std::uint32_t>(name.size()), 2);
        put(out, 0, 2);
        out += name + packed;
        put(dir, 0x02014b50, 4), put(dir, 20, 2), put(dir, 20, 2), put(dir, 0, 2), put(dir, 8, 2),
            put(dir, 0, 4);
        put(dir, crc, 4), put(dir, static_cast<std::uint32_t>(packed.size()), 4);
        put(dir, static_cast<std::uint32_t>(data.size()), 4),
            put(dir, static_cast<std::uint32_t>(name.size()), 2);
        put(dir, 0, 2), put(dir, 0, 2), put(dir, 0, 2), put(dir, 0, 2), put(dir, 0, 4), put(dir, at, 4);
        dir += name;
    }
    const auto dir_at = static_cast<std::uint32_t>(out.size());
    out += dir;
    put(out, 0x06054b50, 4), put(out, 0, 4), put(out, static_cast<std::uint32_t>(files.size()), 2);
    put(out, static_cast<std::uint32_t>(files.size()), 2),
        put(out, static_cast<std::uint32_t>(dir.size()), 4);
    put(out, dir_at, 4), put(out, 0, 2);
    return out;
}

// The tokens.npy member of a stored .npz written by attention_to_npz (the second member).
std::string tokens_member(const ImportedAttention& a) {
    ImportedAttention one = a;
    one.n_layers = one.n_heads = 0;
    one.weights.reset();
    const std::string z = attention_to_npz(one);
    const std::size_t at = z.find("tokens.npy");
    return z.substr(at + 10, z.find("PK\x01\x02", at) - at - 10);
}

void same_weights(const ImportedAttention& a, const ImportedAttention& b) {
    REQUIRE(a.n_matrices() == b.n_matrices());
    REQUIRE(a.n_tokens() == b.n_tokens());
    for (int m = 0; m < a.n_matrices(); ++m)
        CHECK((a.head_at(m) - b.head_at(m)).cwiseAbs().maxCoeff() == 0.0f);
}

} // namespace

TEST_CASE("import file: a stored .npz round-trips; a deflated one reads the same; .npy + tokens JSON too") {
    const ImportedAttention a = sample(2, 3, {"The", "naïve", "고양이", "it", "\"quoted\""}, 11);
    test::TempDir dir;
    dir.write("stored.npz", attention_to_npz(a));
    ImportParse r = read_attention_file(dir.file("stored.npz"));
    REQUIRE_MESSAGE(r.ok(), english(r.error));
    CHECK(r.attention.name == "stored");
    CHECK(r.attention.tokens == a.tokens);
    same_weights(a, r.attention);

    dir.write("packed.NPZ",
              deflated_zip({{"tokens.npy", tokens_member(a)}, {"attention.npy", attention_to_npy(a)}}));
    r = read_attention_file(dir.file("packed.NPZ"));
    REQUIRE_MESSAGE(r.ok(), english(r.error));
    CHECK(r.attention.tokens == a.tokens);
    same_weights(a, r.attention);

    dir.write("w.npy", attention_to_npy(a));
    dir.write("w.tokens.json", "[\"The\", \"na\\u00efve\", \"고양이\", \"it\", \"\\\"quoted\\\"\"]");
    r = read_attention_file(dir.file("w.npy"));
    REQUIRE_MESSAGE(r.ok(), english(r.error));
    CHECK(r.attention.tokens == a.tokens);
    same_weights(a, r.attention);
}

TEST_CASE("import file: the checksum summed head by head catches damage that leaves every weight valid") {
    const ImportedAttention a = sample(2, 3, {"a", "b", "c", "d"}, 5);
    const std::string npy = attention_to_npy(a), good = attention_to_npz(a);
    const NpyHeaderParse h = parse_npy_header(npy);
    REQUIRE(h.ok());
    const std::size_t member_at = good.find(npy); // attention.npy is stored as it is
    REQUIRE(member_at != std::string::npos);
    test::TempDir dir;
    dir.write("good.npz", good);
    const ImportParse fine = read_attention_file(dir.file("good.npz"));
    REQUIRE_MESSAGE(fine.ok(), english(fine.error));
    // the statistics were taken on the way in, and are those of the weights kept
    REQUIRE(fine.attention.stats.size() == 6);
    for (int m = 0; m < 6; ++m) {
        const HeadStats direct = head_stats(fine.attention.head_at(m));
        CHECK(fine.attention.stats[static_cast<std::size_t>(m)].mean_entropy == direct.mean_entropy);
        CHECK(fine.attention.stats[static_cast<std::size_t>(m)].mean_distance == direct.mean_distance);
    }
    // The lowest bit of one weight in the first, a middle and the last head: the value moves by about 1e-7,
    // so every row still sums to 1 and only the checksum can tell.
    for (const std::size_t m : {0, 3, 5}) {
        std::string damaged = good;
        const std::size_t at = member_at + h.data_begin + (m * 16 + 7) * 4; // head m, row 1, column 3
        damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
        dir.write("damaged.npz", damaged);
        const ImportParse r = read_attention_file(dir.file("damaged.npz"));
        CHECK_FALSE(r.ok());
        CHECK_MESSAGE(english(r.error).find("fails its checksum") != std::string::npos, english(r.error));
    }
    // and in the .npy header, before the first head
    std::string header_damaged = good;
    REQUIRE(header_damaged[member_at + h.data_begin - 2] == ' ');
    header_damaged[member_at + h.data_begin - 2] = '\t'; // the header's padding: still a valid header
    dir.write("header.npz", header_damaged);
    const ImportParse r = read_attention_file(dir.file("header.npz"));
    CHECK_FALSE(r.ok());
    CHECK_MESSAGE(english(r.error).find("fails its checksum") != std::string::npos, english(r.error));
}

TEST_CASE("import file: damaged archives, missing members and bad tokens are refused by name") {
    const ImportedAttention a = sample(1, 2, {"a", "b", "c"}, 2);
    test::TempDir dir;
    auto refused = [&](const char* name, std::string_view bytes, const char* part) {
        dir.write(name, bytes);
        const ImportParse r = read_attention_file(dir.file(name));
        CHECK_FALSE(r.ok());
        CHECK_MESSAGE(english(r.error).find(part) != std::string::npos, english(r.error));
        CHECK_MESSAGE(english(r.error).find(name) != std::string::npos, english(r.error));
    };
    const std::string good = attention_to_npz(a);
    refused("empty.npz", "", "too short");
    refused("text.npz", std::string(200, 'x'), "no ZIP directory");
    refused("cut.npz", good.substr(0, good.size() / 2), "no ZIP directory");
    std::string flipped = good;
    flipped[200] = static_cast<char>(flipped[200] ^ 0x40); // inside attention.npy's data
    refused("flipped.npz", flipped, "checksum");
    refused("one.npz", deflated_zip({{"attention.npy", attention_to_npy(a)}}), "holds attention.npy");
    std::string garbage =
        deflated_zip({{"tokens.npy", tokens_member(a)}, {"attention.npy", attention_to_npy(a)}});
    garbage[60] = static_cast<char>(garbage[60] ^ 0xFF); // inside the first deflated stream
    dir.write("garbage.npz", garbage);
    CHECK_FALSE(read_attention_file(dir.file("garbage.npz")).ok());
    refused("weights.csv", "1,2", "neither a .npz nor a .npy");

    dir.write("lonely.npy", attention_to_npy(a));
    refused("lonely.npy", attention_to_npy(a), "lonely.tokens.json");
    dir.write("short.tokens.json", "[\"a\", \"b\"]");
    refused("short.npy", attention_to_npy(a), "same sequence");
    dir.write("nums.tokens.json", "[\"a\", 2, \"c\"]");
    refused("nums.npy", attention_to_npy(a), "entry 1 is not a string");
    dir.write("deep.tokens.json", std::string(5000, '[') + std::string(5000, ']'));
    refused("deep.npy", attention_to_npy(a), "tokens JSON");
}

TEST_CASE(
    "imported attention in the state: weights shown as they came, edits refused, Close or a preset ends it") {
    AppState s = AppState::initial();
    const auto a = std::make_shared<const ImportedAttention>([] {
        ImportedAttention x = sample(3, 2, {"w0", "w1", "w2", "w3"}, 5);
        probe_imported(x);
        return x;
    }());
    REQUIRE(apply(s, ShowImportedAttention{a}).changed);
    CHECK(s.tokens == a->tokens);
    CHECK(s.config.n_layers == 3);
    CHECK(s.config.n_heads == 2);
    CHECK(s.head_enabled.size() == 6);
    REQUIRE(s.trained_heads);
    CHECK(s.trained_heads->size() == 6);

    const Derived d = compute_derived(s);
    CHECK(d.error.empty());
    REQUIRE(d.forward.layers.size() == 3);
    for (int l = 0; l < 3; ++l)
        for (int h = 0; h < 2; ++h) {
            const HeadResult& hr =
                d.forward.layers[static_cast<std::size_t>(l)].heads[static_cast<std::size_t>(h)];
            CHECK(weights_of(hr) == a->head(l, h));
            CHECK(hr.weights.size() == 0); // not copied: the view points into the import's buffer
            CHECK(weights_of(hr).data() == a->head(l, h).data());
            CHECK(hr.q.size() == 0);
            CHECK(hr.scores.size() == 0); // unknown, and no reader takes that as masked:
            const std::vector<float> shown = masked_weights(hr.scores, weights_of(hr));
            CHECK(std::none_of(shown.begin(), shown.end(), [](float v) { return std::isnan(v); }));
        }

    for (const Command& edit : std::vector<Command>{SetText{"new words"}, ToggleHead{0, 0}, SetHeads{4, 4},
                                                    SetPadding{1, true}, DeleteToken{0}}) {
        const std::uint64_t rev = s.revision;
        const ApplyResult r = apply(s, edit);
        CHECK_FALSE(r.changed);
        CHECK(r.message.find("Close the import") != std::string::npos);
        CHECK(s.revision == rev);
    }
    test::TempDir dir;
    CHECK(english(save_session(dir.file("s.json"), s, {})).find("imported attention") != std::string::npos);
    CHECK(dir.entries() == 0);

    REQUIRE(apply(s, CloseImportedAttention{}).changed);
    CHECK_FALSE(s.imported);
    CHECK_FALSE(s.trained_heads);
    CHECK(s.text == k_default_sentence);
    CHECK(s.config.n_heads == AppState::default_config().n_heads);

    REQUIRE(apply(s, ShowImportedAttention{a}).changed);
    REQUIRE(apply_loading(s, LoadPreset{"paragraph"}).changed);
    CHECK_FALSE(s.imported);
    CHECK(s.n_tokens() > 100);
    CHECK_FALSE(apply(s, ShowImportedAttention{nullptr}).changed);
}

TEST_CASE("imported attention: every view draws, the ones that need a model say what an import lacks") {
    test::HeadlessImGui imgui;
    test::CountingTextures tex;
    App app;
    app.ui.panel_open.assign(panels().size(), true);
    std::vector<std::string> tokens;
    for (int i = 0; i < 40; ++i) {
        std::string t = "t";
        t += std::to_string(i % 9);
        tokens.push_back(t);
    }
    ImportedAttention x = sample(2, 4, tokens, 3);
    probe_imported(x);
    apply_commands(app, {ShowImportedAttention{std::make_shared<const ImportedAttention>(std::move(x))}});
    REQUIRE(app.state.imported);
    app.ui.selected_query = 3;
    int gated = 0;
    for (std::size_t i = 0; i < panels().size(); ++i) {
        if (panels()[i].place != PanelPlace::View) continue;
        CAPTURE(panels()[i].name);
        show_panel(app.ui, static_cast<int>(i));
        test::draw_frames(app, tex, 2);
        CHECK(app.ui.regions.count(std::string("panel:") + panels()[i].name) == 1);
        const std::string name = panels()[i].name;
        if (panels()[i].needs_model || name == "Heatmap" || name == "Arc view" || name == "Heads grid")
            CHECK(app.ui.regions.count("import_banner") == 1);
        gated += panels()[i].needs_model ? 1 : 0;
        app.ui.regions.clear();
    }
    CHECK(gated >= 5);
}

TEST_CASE("import file: a file another program shortens while it is mapped is refused, not a crash") {
    test::TempDir dir;
    const long page = ::sysconf(_SC_PAGESIZE);
    std::string bytes(static_cast<std::size_t>(64 * page + 100), '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>(1 + i % 251);
    dir.write("long.bin", bytes);
    {
        const MappedFile kept(dir.file("long.bin"), bytes.size());
        REQUIRE(kept.error().empty());
        CHECK(kept.bytes() == bytes);
        CHECK_FALSE(kept.changed());
    }
    {
        // Shortened to 1.5 pages after mapping: reading every byte would raise SIGBUS past the second page.
        const MappedFile cut(dir.file("long.bin"), bytes.size());
        REQUIRE(cut.error().empty());
        const auto kept_bytes = static_cast<std::size_t>(page + page / 2);
        REQUIRE(::truncate(dir.file("long.bin").c_str(), static_cast<off_t>(kept_bytes)) == 0);
        long differing = 0, nonzero_after = 0;
        const std::string_view seen = cut.bytes();
        REQUIRE(seen.size() == bytes.size()); // the mapping keeps its length
        for (std::size_t i = 0; i < seen.size(); ++i) {
            if (i < kept_bytes)
                differing += seen[i] != bytes[i];
            else
                nonzero_after += seen[i] != 0;
        }
        CHECK(differing == 0);
        CHECK(nonzero_after == 0);
        CHECK(cut.changed());
    }
    {
        // The import names what happened instead of whatever the zeros broke.
        std::vector<std::string> words;
        for (int i = 0; i < 40; ++i)
            words.push_back(std::to_string(i));
        const std::string npz = attention_to_npz(sample(2, 4, words, 5)); // 51 KB of weights
        REQUIRE(npz.size() > static_cast<std::size_t>(4 * page));
        dir.write("cut.npz", npz);
        const MappedFile file(dir.file("cut.npz"), k_import_max_file_bytes);
        REQUIRE(::truncate(dir.file("cut.npz").c_str(), page) == 0);
        const ImportParse r = read_attention_file(file, dir.file("cut.npz"));
        CHECK_FALSE(r.ok());
        CHECK_MESSAGE(english(r.error).find("changed while it was being read") != std::string::npos,
                      english(r.error));
    }
    // A SIGBUS outside a guarded mapping is not swallowed: a child process reading past the end of its
    // own plain mapping of a shortened file does not live on.
    dir.write("plain.bin", bytes);
    const std::string plain = dir.file("plain.bin");
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const int fd = ::open(plain.c_str(), O_RDONLY);
        void* p = fd < 0 ? MAP_FAILED : ::mmap(nullptr, bytes.size(), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED || ::truncate(plain.c_str(), page) != 0) ::_exit(3);
        const volatile char last = static_cast<const char*>(p)[bytes.size() - 1];
        static_cast<void>(last);
        ::_exit(0); // survived the read: the guard swallowed a SIGBUS that was not its own
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    const bool died_of_sigbus = WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
    const bool reported = WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3;
    CHECK((died_of_sigbus || reported)); // reported: a sanitizer's handler ran before us
}
