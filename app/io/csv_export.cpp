// weights_csv(): RFC 4180 quoting for tokens (they may hold commas or quotes), 9 significant digits for
// weights so a float survives the round trip.
#include "csv_export.hpp"

#include "safe_write.hpp"

#include <cmath>
#include <cstdio>

namespace attn {

namespace {

std::string quoted(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (const char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

} // namespace

std::string weights_csv(const std::vector<std::string>& tokens, const Eigen::Ref<const Matrix>& weights,
                        const Matrix& scores) {
    std::string out = "query\\key";
    for (const auto& t : tokens) {
        out += ',';
        out += quoted(t);
    }
    out += "\n";
    char buf[32];
    for (Eigen::Index i = 0; i < weights.rows(); ++i) {
        out += i < static_cast<Eigen::Index>(tokens.size()) ? quoted(tokens[static_cast<std::size_t>(i)])
                                                            : std::string("?");
        for (Eigen::Index j = 0; j < weights.cols(); ++j) {
            const bool masked = i < scores.rows() && j < scores.cols() && std::isinf(scores(i, j));
            if (masked) {
                out += ",nan";
            } else {
                std::snprintf(buf, sizeof buf, ",%.9g", static_cast<double>(weights(i, j)));
                out += buf;
            }
        }
        out += "\n";
    }
    return out;
}

Message write_weights_csv(const std::string& path, const std::vector<std::string>& tokens,
                          const Eigen::Ref<const Matrix>& weights, const Matrix& scores) {
    if (path.empty()) return message(N_("type a file name first"));
    return safe_write(path, weights_csv(tokens, weights, scores));
}

std::string measurements_csv(const std::vector<MeasurePoint>& points) {
    std::string out = "n,naive_seconds,flash_seconds,naive_skipped,max_abs_diff\n";
    char buf[160];
    for (const auto& p : points) {
        if (p.naive_skipped)
            std::snprintf(buf, sizeof buf, "%d,,%.9g,1,\n", p.n, p.flash_seconds);
        else
            std::snprintf(buf, sizeof buf, "%d,%.9g,%.9g,0,%.3g\n", p.n, p.naive_seconds, p.flash_seconds,
                          p.max_abs_diff);
        out += buf;
    }
    return out;
}

Message save_measurements_csv(const std::string& path, const std::vector<MeasurePoint>& points) {
    if (path.empty()) return message(N_("type a file name first"));
    return safe_write(path, measurements_csv(points));
}

} // namespace attn
