// The playground's label placement (app/widgets/plane.*): labels of tips that lie on top of each other are
// spread out without overlapping, stay inside the plane, keep off blocked rectangles, and are dropped only
// when no room is left.
#include "app/widgets/plane.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace attn;

namespace {

bool overlap(ImVec2 a, ImVec2 as, ImVec2 b, ImVec2 bs) {
    return a.x < b.x + bs.x && b.x < a.x + as.x && a.y < b.y + bs.y && b.y < a.y + as.y;
}

} // namespace

TEST_CASE("labels of tips that coincide are spread out without overlapping, inside the plane") {
    const ScreenRect plane{ImVec2(0, 0), ImVec2(400, 400)};
    std::vector<LabelSpot> spots(6, LabelSpot{ImVec2(200, 200), ImVec2(1, 0), ImVec2(60, 20)});
    const std::vector<PlacedLabel> placed = place_labels(spots, plane, {}, {});
    REQUIRE(placed.size() == spots.size());
    for (std::size_t i = 0; i < placed.size(); ++i) {
        CHECK(placed[i].shown);
        CHECK(placed[i].pos.x >= 0.0f);
        CHECK(placed[i].pos.y >= 0.0f);
        CHECK(placed[i].pos.x + 60.0f <= 400.0f);
        CHECK(placed[i].pos.y + 20.0f <= 400.0f);
        for (std::size_t j = 0; j < i; ++j)
            CHECK_FALSE(overlap(placed[i].pos, spots[i].size, placed[j].pos, spots[j].size));
    }
    // the first sits just past its tip along the arrow; one pushed further out gets a leader line
    CHECK_FALSE(placed[0].leader);
    CHECK(placed[0].pos.x > 200.0f);
    CHECK(placed[5].leader);
}

TEST_CASE("a label keeps off blocked rectangles and is left out when there is no room") {
    // a plane hardly larger than one label: the second label at the same tip has nowhere to go
    const ScreenRect small{ImVec2(0, 0), ImVec2(100, 30)};
    std::vector<LabelSpot> two(2, LabelSpot{ImVec2(10, 15), ImVec2(1, 0), ImVec2(60, 20)});
    const std::vector<PlacedLabel> p = place_labels(two, small, {}, {});
    CHECK(p[0].shown);
    CHECK_FALSE(p[1].shown);

    // the place past the tip is blocked (an inset): the label goes elsewhere, clear of it
    const ScreenRect plane{ImVec2(0, 0), ImVec2(400, 400)};
    const ScreenRect inset{ImVec2(205, 150), ImVec2(400, 250)};
    const std::vector<LabelSpot> one{{ImVec2(200, 200), ImVec2(1, 0), ImVec2(60, 20)}};
    const PlacedLabel q = place_labels(one, plane, {inset}, {})[0];
    REQUIRE(q.shown);
    CHECK_FALSE(overlap(q.pos, ImVec2(60, 20), inset.min, ImVec2(195, 100)));

    // another tip's dot right past the tip is avoided while there is another free place
    const ScreenRect dot{ImVec2(205, 195), ImVec2(215, 205)};
    const PlacedLabel r = place_labels(one, plane, {}, {dot})[0];
    REQUIRE(r.shown);
    CHECK_FALSE(overlap(r.pos, ImVec2(60, 20), dot.min, ImVec2(10, 10)));
    const PlacedLabel free = place_labels(one, plane, {}, {})[0];
    CHECK(overlap(free.pos, ImVec2(60, 20), dot.min, ImVec2(10, 10))); // without the dot it would sit there
}
