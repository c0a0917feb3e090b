// A "(?)" marker that shows teaching text on hover, and a tooltip helper for any item.
#pragma once

namespace attn {

void help_marker(const char* text); // "(?)" on the same line: a tooltip, and a click shows the text in place
void item_help(const char* text);   // tooltip for the last item, when hovered

} // namespace attn
