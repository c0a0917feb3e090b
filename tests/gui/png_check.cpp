// png_check FILE.png WIDTH HEIGHT [REGIONS.json NAME...]: exits 0 when the PNG has the given size and
// every named region (from the app's --regions output) is present and is not one flat colour.
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
            double r[4];
            if (!find_region(json, argv[a], r) || r[2] < 4 || r[3] < 4) {
                std::fprintf(stderr, "region '%s' missing or empty\n", argv[a]);
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
        }
    }
    stbi_image_free(px);
    return status;
}
