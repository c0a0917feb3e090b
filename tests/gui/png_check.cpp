// png_check FILE.png WIDTH HEIGHT [REGIONS.json NAME...]: exits 0 when the PNG has the given size and
// every named region (from the app's --regions output) is present and is not one flat colour.
// NAME:causal also checks that the region shows a causal attention map the right way round: its top-right
// corner (queries early, keys late) is the grey hatching of masked cells and its bottom-left is coloured.
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

// Finds "name": [x, y, w, h] in the small JSON the app writes.
bool find_region(const std::string& json, const std::string& name, double r[4]) {
    const auto at = json.find("\"" + name + "\"");
    if (at == std::string::npos) return false;
    const auto open = json.find('[', at);
    if (open == std::string::npos) return false;
    std::istringstream in(json.substr(open + 1));
    char comma = 0;
    return static_cast<bool>(in >> r[0] >> comma >> r[1] >> comma >> r[2] >> comma >> r[3]);
}

// Mean over a box of the spread between a pixel's largest and smallest channel: 0 for grey, large for the
// colormap's purples, blues, greens and yellows.
double mean_chroma(const unsigned char* px, int w, int h, int x0, int y0, int x1, int y1) {
    x0 = std::max(0, x0), y0 = std::max(0, y0), x1 = std::min(w, x1), y1 = std::min(h, y1);
    double sum = 0;
    long n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            const unsigned char* p = px + (static_cast<long>(y) * w + x) * 3;
            sum += std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]});
            ++n;
        }
    return n ? sum / static_cast<double>(n) : 0.0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: png_check FILE.png WIDTH HEIGHT [REGIONS.json NAME...]\n");
        return 2;
    }
    int w = 0, h = 0, ch = 0;
    unsigned char* px = stbi_load(argv[1], &w, &h, &ch, 3);
    if (!px) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    int status = 0;
    if (w != std::atoi(argv[2]) || h != std::atoi(argv[3])) {
        std::fprintf(stderr, "size %dx%d, expected %sx%s\n", w, h, argv[2], argv[3]);
        status = 1;
    }
    if (argc >= 5) {
        std::ifstream f(argv[4]);
        std::stringstream ss;
        ss << f.rdbuf();
        const std::string json = ss.str();
        for (int a = 5; a < argc; ++a) {
            std::string name = argv[a];
            const bool causal = name.size() > 7 && name.compare(name.size() - 7, 7, ":causal") == 0;
            if (causal) name.resize(name.size() - 7);
            double r[4];
            if (!find_region(json, name, r) || r[2] < 4 || r[3] < 4) {
                std::fprintf(stderr, "region '%s' missing or empty\n", name.c_str());
                status = 1;
                continue;
            }
            // colour spread inside the region, inset by 2 px; distinct colours counted coarsely
            const int x0 = static_cast<int>(r[0]) + 2, y0 = static_cast<int>(r[1]) + 2;
            const int x1 = std::min(w, static_cast<int>(r[0] + r[2]) - 2),
                      y1 = std::min(h, static_cast<int>(r[1] + r[3]) - 2);
            double sum = 0, sum2 = 0;
            long n = 0;
            bool seen[4096] = {};
            int distinct = 0;
            for (int y = y0; y < y1; ++y)
                for (int x = x0; x < x1; ++x) {
                    const unsigned char* p = px + (static_cast<long>(y) * w + x) * 3;
                    const double lum = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
                    sum += lum, sum2 += lum * lum, ++n;
                    const int bucket = (p[0] >> 4) << 8 | (p[1] >> 4) << 4 | (p[2] >> 4);
                    if (!seen[bucket]) seen[bucket] = true, ++distinct;
                }
            const double count = static_cast<double>(n);
            const double mean = n ? sum / count : 0,
                         sd = n ? std::sqrt(std::max(0.0, sum2 / count - mean * mean)) : 0;
            std::printf("region %s: %ldpx, luminance mean %.1f sd %.1f, %d colour buckets\n", argv[a], n,
                        mean, sd, distinct);
            if (n == 0 || sd < 3.0 || distinct < 4) {
                std::fprintf(stderr, "region '%s' is flat\n", argv[a]);
                status = 1;
            }
            if (causal) { // boxes from 5% to 20% in from two opposite corners
                const auto at = [&](double frac, int o, double size) {
                    return o + static_cast<int>(frac * size);
                };
                const int ox = static_cast<int>(r[0]), oy = static_cast<int>(r[1]);
                const double masked = mean_chroma(px, w, h, at(0.80, ox, r[2]), at(0.05, oy, r[3]),
                                                  at(0.95, ox, r[2]), at(0.20, oy, r[3]));
                const double open = mean_chroma(px, w, h, at(0.05, ox, r[2]), at(0.80, oy, r[3]),
                                                at(0.20, ox, r[2]), at(0.95, oy, r[3]));
                std::printf("region %s: chroma %.1f top right (masked), %.1f bottom left\n", name.c_str(),
                            masked, open);
                if (masked > 12.0 || open < 30.0) {
                    std::fprintf(stderr, "region '%s' is not a causal map the right way round\n",
                                 name.c_str());
                    status = 1;
                }
            }
        }
    }
    stbi_image_free(px);
    return status;
}
