// Reading imported attention: a tiny ZIP reader for .npz (the central directory, stored and deflated
// members, ZIP64 sizes as numpy writes them), and the tokens JSON beside a .npy.
#include "attention_file.hpp"

#include "app/io/bounded_read.hpp"
#include "app/io/mapped_file.hpp"
#include "app/io/state_json.hpp"
#include "core/npy.hpp"
#include "core/parallel.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

namespace attn {

namespace {

std::uint32_t le(const unsigned char* p, int n) {
    std::uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
std::uint64_t le64(const unsigned char* p) {
    return static_cast<std::uint64_t>(le(p, 4)) | static_cast<std::uint64_t>(le(p + 4, 4)) << 32;
}

struct Member {
    std::uint16_t method = 0;
    std::uint64_t compressed = 0, size = 0, local_offset = 0;
    std::uint32_t crc = 0;
};

ImportParse refuse(Message why) {
    ImportParse p;
    p.error = std::move(why);
    return p;
}

// The central directory of a ZIP archive: member name -> where and how it is stored.
Message zip_directory(std::string_view zip, std::map<std::string, Member>& out) {
    const auto* u = reinterpret_cast<const unsigned char*>(zip.data());
    const std::size_t n = zip.size();
    if (n < 22) return message(N_("not a .npz file: too short to be a ZIP archive"));
    // the end-of-central-directory record: its signature within the last 64 KiB + 22 bytes
    std::size_t eocd = std::string_view::npos;
    for (std::size_t i = n - 22 + 1; i-- > (n > 65557 ? n - 65557 : 0);)
        if (le(u + i, 4) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == std::string_view::npos) return message(N_("not a .npz file: no ZIP directory at its end"));
    std::uint64_t count = le(u + eocd + 10, 2), dir_size = le(u + eocd + 12, 4),
                  dir_at = le(u + eocd + 16, 4);
    if (dir_at == 0xFFFFFFFFu || count == 0xFFFFu) { // ZIP64: the locator just before points to the record
        if (eocd < 20 || le(u + eocd - 20, 4) != 0x07064b50)
            return message(N_("corrupt ZIP64 archive: no locator"));
        const std::uint64_t rec = le64(u + eocd - 20 + 8);
        if (rec > n - 56 || le(u + rec, 4) != 0x06064b50)
            return message(N_("corrupt ZIP64 archive: bad end record"));
        count = le64(u + rec + 32), dir_size = le64(u + rec + 40), dir_at = le64(u + rec + 48);
    }
    if (dir_at > n || dir_size > n - dir_at)
        return message(N_("corrupt .npz: its directory lies outside the file"));
    if (count > 64) return message(N_("a .npz with %s members is not an attention export"), count);
    std::size_t p = static_cast<std::size_t>(dir_at);
    const std::size_t end = static_cast<std::size_t>(dir_at + dir_size);
    for (std::uint64_t k = 0; k < count; ++k) {
        if (p + 46 > end || le(u + p, 4) != 0x02014b50)
            return message(N_("corrupt .npz: a directory entry is damaged"));
        Member m;
        m.method = static_cast<std::uint16_t>(le(u + p + 10, 2));
        m.crc = le(u + p + 16, 4);
        m.compressed = le(u + p + 20, 4);
        m.size = le(u + p + 24, 4);
        const std::size_t name_len = le(u + p + 28, 2), extra_len = le(u + p + 30, 2),
                          comment_len = le(u + p + 32, 2);
        m.local_offset = le(u + p + 42, 4);
        if (p + 46 + name_len + extra_len + comment_len > end)
            return message(N_("corrupt .npz: a directory entry is cut"));
        std::string name(zip.substr(p + 46, name_len));
        // ZIP64 extra field: the 64-bit values of whichever of size, compressed, offset were 0xFFFFFFFF
        for (std::size_t e = p + 46 + name_len; e + 4 <= p + 46 + name_len + extra_len;) {
            const std::uint32_t id = le(u + e, 2), len = le(u + e + 2, 2);
            if (e + 4 + len > p + 46 + name_len + extra_len) break;
            if (id == 0x0001) {
                std::size_t q = e + 4;
                const std::size_t q_end = q + len;
                if (m.size == 0xFFFFFFFFu && q + 8 <= q_end) m.size = le64(u + q), q += 8;
                if (m.compressed == 0xFFFFFFFFu && q + 8 <= q_end) m.compressed = le64(u + q), q += 8;
                if (m.local_offset == 0xFFFFFFFFu && q + 8 <= q_end) m.local_offset = le64(u + q), q += 8;
            }
            e += 4 + len;
        }
        out[name] = m;
        p += 46 + name_len + extra_len + comment_len;
    }
    return {};
}

Message checksum_failure(const std::string& member) {
    return message(N_("corrupt .npz: member %s fails its checksum"), member);
}

// CRC-32 of bytes on the calling thread (zlib counts in uInt: longer runs go in pieces).
std::uint32_t crc_serial(std::string_view bytes) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t len = std::min<std::size_t>(bytes.size() - at, 1u << 30);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(len));
        at += len;
    }
    return static_cast<std::uint32_t>(crc);
}

// CRC-32 of a member. A large one is summed in pieces on every core, then the pieces' CRCs are combined
// (crc32_combine): a 600 MB member costs a fraction of a second instead of one core's full pass.
std::uint32_t crc_of(std::string_view bytes) {
    constexpr std::size_t piece = 16u << 20;
    const std::size_t pieces = std::max<std::size_t>(1, (bytes.size() + piece - 1) / piece);
    std::vector<uLong> crcs(pieces);
    const auto one = [&](int p, int) {
        const std::size_t at = static_cast<std::size_t>(p) * piece;
        const std::size_t len = std::min(piece, bytes.size() - std::min(at, bytes.size()));
        crcs[static_cast<std::size_t>(p)] = crc_serial(bytes.substr(at, len));
    };
    if (pieces == 1) {
        one(0, 0);
    } else {
        WorkerTeam team;
        team.run(static_cast<int>(pieces), one);
    }
    uLong crc = crcs[0];
    for (std::size_t p = 1; p < pieces; ++p)
        crc = crc32_combine(crc, crcs[p], static_cast<z_off_t>(std::min(piece, bytes.size() - p * piece)));
    return static_cast<std::uint32_t>(crc);
}

// CRC-32 of bytes whose pieces were summed elsewhere: `pieces` holds (offset, length, crc) in any order
// and must tile [0, whole.size()) except for gaps, which are summed here. Used for the attention member,
// whose heads were summed by the import while it converted them.
struct CrcPiece {
    std::size_t offset = 0, length = 0;
    std::uint32_t crc = 0;
};
std::uint32_t crc_of_pieces(std::string_view whole, std::vector<CrcPiece> pieces) {
    std::sort(pieces.begin(), pieces.end(),
              [](const CrcPiece& a, const CrcPiece& b) { return a.offset < b.offset; });
    uLong crc = crc32(0L, Z_NULL, 0);
    std::size_t at = 0;
    const auto add = [&](uLong piece_crc, std::size_t length) {
        crc = crc32_combine(crc, piece_crc, static_cast<z_off_t>(length));
        at += length;
    };
    const auto gap_to = [&](std::size_t end) {
        if (end > at) add(crc_of(whole.substr(at, end - at)), end - at);
    };
    for (const CrcPiece& p : pieces) {
        if (p.offset < at || p.offset + p.length > whole.size())
            return crc_of(whole); // overlapping: sum it all
        gap_to(p.offset);
        add(p.crc, p.length);
    }
    gap_to(whole.size());
    return static_cast<std::uint32_t>(crc);
}

// The bytes of one member, checked against its CRC unless the caller checks it later (`check_crc` false):
// a view into the archive when stored, else inflated into `inflated` (which the view then points into).
Message zip_member(std::string_view zip, const std::string& name, const Member& m, std::string& inflated,
                   std::string_view& bytes, bool check_crc = true) {
    const auto* u = reinterpret_cast<const unsigned char*>(zip.data());
    const std::size_t n = zip.size();
    if (n < 30 || m.local_offset > n - 30 || le(u + m.local_offset, 4) != 0x04034b50)
        return message(N_("corrupt .npz: member %s has no local header"), name);
    const std::size_t at = static_cast<std::size_t>(m.local_offset);
    const std::size_t data = at + 30 + le(u + at + 26, 2) + le(u + at + 28, 2);
    if (data > n || m.compressed > n - data)
        return message(N_("corrupt .npz: member %s runs past the end of the file"), name);
    if (m.size > k_import_max_file_bytes)
        return message(N_("member %s would be %s bytes, more than an import may hold"), name, m.size);
    const std::string_view stored = zip.substr(data, static_cast<std::size_t>(m.compressed));
    if (m.method == 0) {
        if (m.compressed != m.size)
            return message(N_("corrupt .npz: member %s has two different sizes"), name);
        bytes = stored;
    } else if (m.method == 8) {
        std::string& out = inflated;
        out.assign(static_cast<std::size_t>(m.size), '\0');
        z_stream z{};
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return message(N_("cannot decompress member %s"), name);
        // zlib counts in uInt: feed and drain in pieces so members past 4 GiB would still be safe
        std::size_t in_done = 0, out_done = 0;
        int rc = Z_OK;
        while (rc == Z_OK) {
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data() + in_done));
            z.avail_in = static_cast<uInt>(std::min<std::size_t>(stored.size() - in_done, 1u << 30));
            z.next_out = reinterpret_cast<Bytef*>(out.data() + out_done);
            z.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - out_done, 1u << 30));
            const uInt in_before = z.avail_in, out_before = z.avail_out;
            rc = inflate(&z, Z_NO_FLUSH);
            in_done += in_before - z.avail_in;
            out_done += out_before - z.avail_out;
            if (rc == Z_OK && in_before == z.avail_in && out_before == z.avail_out) rc = Z_DATA_ERROR;
        }
        inflateEnd(&z);
        if (rc != Z_STREAM_END || out_done != out.size())
            return message(N_("corrupt .npz: member %s does not decompress to its stated size"), name);
        bytes = out;
    } else {
        return message(
            N_("member %s uses ZIP compression method %s; only stored and deflated members (np.savez, "
               "np.savez_compressed) are read"),
            name, m.method);
    }
    if (check_crc && crc_of(bytes) != m.crc) return checksum_failure(name);
    return {};
}

std::string base_name(const std::string& path) {
    std::string b = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    if (const auto dot = b.find_last_of('.'); dot != std::string::npos && dot > 0) b.resize(dot);
    return b;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    std::string tail = s.substr(s.size() - suffix.size());
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
    return tail == suffix;
}

void put16(std::string& s, std::uint32_t v) {
    s += static_cast<char>(v & 0xFF);
    s += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& s, std::uint32_t v) {
    put16(s, v & 0xFFFF);
    put16(s, v >> 16);
}

// UTF-8 -> UTF-32 code points (the input was checked by check_import_tokens).
std::vector<std::uint32_t> code_points(const std::string& w) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < w.size();) {
        const auto c = static_cast<unsigned char>(w[i]);
        const int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < w.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(w[i + static_cast<std::size_t>(k)]) & 0x3Fu);
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

std::string words_to_npy(const std::vector<std::string>& words) {
    std::vector<std::vector<std::uint32_t>> cps;
    std::size_t width = 1;
    for (const auto& w : words)
        width = std::max(width, (cps.emplace_back(code_points(w))).size());
    std::string header = "{'descr': '<U" + std::to_string(width) + "', 'fortran_order': False, 'shape': (" +
                         std::to_string(words.size()) + ",), }";
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    put16(out, static_cast<std::uint32_t>(header.size()));
    out += header;
    for (const auto& w : cps)
        for (std::size_t k = 0; k < width; ++k)
            put32(out, k < w.size() ? w[k] : 0);
    return out;
}

} // namespace

bool json_words(std::string_view text, std::vector<std::string>& words, Message& error) {
    auto parsed = io::parse_json(text);
    if (!parsed.ok()) return error = message(N_("tokens JSON: %s"), parsed.error), false;
    if (!parsed.value.is_array()) return error = message(N_("tokens JSON is not an array of words")), false;
    if (parsed.value.size() > static_cast<std::size_t>(k_import_max_tokens))
        return error = message(N_("tokens JSON holds %s words, more than the %s an import may hold"),
                               parsed.value.size(), k_import_max_tokens),
               false;
    words.clear();
    for (std::size_t i = 0; i < parsed.value.size(); ++i) {
        if (!parsed.value[i].is_string())
            return error = message(N_("tokens JSON: entry %s is not a string"), i), false;
        words.push_back(parsed.value[i].get<std::string>());
    }
    return true;
}

ImportParse import_attention_npz(std::string_view zip, std::string name) {
    std::map<std::string, Member> members;
    if (auto why = zip_directory(zip, members); !why.empty()) return refuse(why);
    const auto att = members.find("attention.npy"), tok = members.find("tokens.npy");
    if (att == members.end() || tok == members.end()) {
        std::string have;
        for (const auto& [k, v] : members)
            have += (have.empty() ? "" : ", ") + k;
        if (have.empty())
            return refuse(
                message(N_("a .npz import needs attention.npy and tokens.npy; this one holds nothing")));
        return refuse(
            message(N_("a .npz import needs attention.npy and tokens.npy; this one holds %s"), have));
    }
    std::string tokens_buffer, attention_buffer;
    std::string_view tokens_npy, attention_npy;
    if (auto why = zip_member(zip, tok->first, tok->second, tokens_buffer, tokens_npy); !why.empty())
        return refuse(why);
    std::vector<std::string> words;
    Message error;
    if (!npy_words(tokens_npy, words, error)) return refuse(std::move(error));
    if (auto why = zip_member(zip, att->first, att->second, attention_buffer, attention_npy, false);
        !why.empty())
        return refuse(why);
    // The checksum is summed by the import a head at a time, while each head is in the cache anyway.
    std::vector<CrcPiece> pieces(static_cast<std::size_t>(k_import_max_layers) * k_import_max_heads);
    std::vector<char> summed(pieces.size(), 0);
    ImportParse r = import_attention_npy(attention_npy, std::move(words), std::move(name),
                                         [&](int m, std::size_t offset, std::string_view bytes) {
                                             const auto k = static_cast<std::size_t>(m);
                                             pieces[k] = {offset, bytes.size(), crc_serial(bytes)};
                                             summed[k] = 1;
                                         });
    const auto n_summed = static_cast<std::size_t>(std::count(summed.begin(), summed.end(), 1));
    const bool all_summed = r.ok() && n_summed == static_cast<std::size_t>(r.attention.n_matrices());
    pieces.resize(all_summed ? n_summed : 0);
    // Refused or not summed (Fortran order): the whole member once more. A corrupt file is then named as
    // such rather than by whichever row its damage happened to break.
    const std::uint32_t crc =
        all_summed ? crc_of_pieces(attention_npy, std::move(pieces)) : crc_of(attention_npy);
    if (crc != att->second.crc) return refuse(checksum_failure(att->first));
    return r;
}

namespace {

// The file's bytes as a .npz, or as a .npy with its tokens beside it.
ImportParse parse_attention_bytes(std::string_view bytes, const std::string& path) {
    ImportParse r;
    if (ends_with(path, ".npz")) {
        r = import_attention_npz(bytes, base_name(path));
    } else if (ends_with(path, ".npy")) {
        const std::string tokens_path = path.substr(0, path.size() - 4) + ".tokens.json";
        const FileBytes tokens = read_file_bounded(tokens_path, 4u << 20);
        if (!tokens.ok())
            return refuse(
                message(N_("the tokens of %s are read from %s: %s"), path, tokens_path, tokens.error));
        std::vector<std::string> words;
        Message error;
        if (!json_words(tokens.bytes, words, error))
            return refuse(message(N_("%s: its tokens in %s: %s"), path, tokens_path, std::move(error)));
        r = import_attention_npy(bytes, std::move(words), base_name(path));
    } else {
        return refuse(message(N_("%s is neither a .npz nor a .npy file"), path));
    }
    if (!r.ok()) r.error = message(N_("%s: %s"), path, std::move(r.error));
    return r;
}

} // namespace

ImportParse read_attention_file(const std::string& path) {
    const MappedFile file(path, k_import_max_file_bytes);
    return read_attention_file(file, path);
}

ImportParse read_attention_file(const MappedFile& file, const std::string& path) {
    if (!file.error().empty()) return refuse(file.error());
    ImportParse r = parse_attention_bytes(file.bytes(), path);
    // Whatever was parsed, the bytes were not the file's if another program shortened it meanwhile.
    if (file.changed())
        return refuse(message(
            N_("%s changed while it was being read (another program shortened it); nothing was imported"),
            path));
    return r;
}

std::string attention_to_npz(const ImportedAttention& a) {
    const std::pair<std::string, std::string> files[] = {{"attention.npy", attention_to_npy(a)},
                                                         {"tokens.npy", words_to_npy(a.tokens)}};
    std::string out, dir;
    for (const auto& [name, data] : files) {
        const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                                          reinterpret_cast<const Bytef*>(data.data()),
                                                          static_cast<uInt>(data.size())));
        const auto offset = static_cast<std::uint32_t>(out.size());
        put32(out, 0x04034b50);
        put16(out, 20), put16(out, 0), put16(out, 0), put16(out, 0), put16(out, 0x21);
        put32(out, crc), put32(out, static_cast<std::uint32_t>(data.size())),
            put32(out, static_cast<std::uint32_t>(data.size()));
        put16(out, static_cast<std::uint32_t>(name.size())), put16(out, 0);
        out += name;
        out += data;
        put32(dir, 0x02014b50);
        put16(dir, 20), put16(dir, 20), put16(dir, 0), put16(dir, 0), put16(dir, 0), put16(dir, 0x21);
        put32(dir, crc), put32(dir, static_cast<std::uint32_t>(data.size())),
            put32(dir, static_cast<std::uint32_t>(data.size()));
        put16(dir, static_cast<std::uint32_t>(name.size())), put16(dir, 0), put16(dir, 0), put16(dir, 0),
            put16(dir, 0);
        put32(dir, 0), put32(dir, offset);
        dir += name;
    }
    const auto dir_at = static_cast<std::uint32_t>(out.size());
    out += dir;
    put32(out, 0x06054b50);
    put16(out, 0), put16(out, 0), put16(out, 2), put16(out, 2);
    put32(out, static_cast<std::uint32_t>(dir.size())), put32(out, dir_at);
    put16(out, 0);
    return out;
}

} // namespace attn
