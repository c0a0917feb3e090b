// Soft wrapping for multi-line text boxes: ImGui 1.86's multi-line input never wraps, so a sentence longer
// than the box runs off its right edge. soft_wrap turns the spaces where a line would overflow into
// newlines; a space and a newline are one byte each, so the cursor and the selection stay where they were.
// The text a box commits is unwrapped again (every newline a space), so wrapping never changes the tokens.
#pragma once

#include <string>

namespace attn {

// Rewraps `text` in place for lines at most `width` pixels wide in the current ImGui font: every space or
// newline between words becomes a newline where the next word would overflow the line, a space elsewhere.
// A single word wider than the box keeps a line of its own. Returns true when a byte changed.
bool soft_wrap(char* text, int length, float width);
bool soft_wrap(std::string& text, float width);
// The text with every newline read as a space.
std::string unwrapped(std::string text);

} // namespace attn
