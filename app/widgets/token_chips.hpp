// Tokens drawn as wrapped, rounded chips; returns the index of a clicked chip.
#pragma once

#include <string>
#include <vector>

namespace attn {

struct TokenChipsResult {
    int clicked = -1;
    int hovered = -1;
};

TokenChipsResult draw_token_chips(const std::vector<std::string>& tokens, int selected);

} // namespace attn
