// The `check:` lines of a lesson's ```try blocks: what a check can look at (lesson_quantity_names), and
// the reader of one line into a LessonCheck.
#include "lesson.hpp"
#include "lesson_text.hpp"

#include "core/config.hpp"

#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

namespace attn {

namespace {

using namespace lesson_text;

struct QuantityInfo {
    LessonQuantity q;
    const char* name;
    enum Kind { Number, Word, NumberOrWord } kind;
};

const std::vector<QuantityInfo>& quantities() {
    static const std::vector<QuantityInfo> list = {
        {LessonQuantity::Query, "query", QuantityInfo::NumberOrWord},
        {LessonQuantity::Layer, "layer", QuantityInfo::Number},
        {LessonQuantity::Head, "head", QuantityInfo::Number},
        {LessonQuantity::HeadsOff, "heads_off", QuantityInfo::Number},
        {LessonQuantity::Off, "off", QuantityInfo::Word},
        {LessonQuantity::Heads, "n_heads", QuantityInfo::Number},
        {LessonQuantity::KvHeads, "kv_heads", QuantityInfo::Number},
        {LessonQuantity::Layers, "n_layers", QuantityInfo::Number},
        {LessonQuantity::DModel, "d_model", QuantityInfo::Number},
        {LessonQuantity::Tokens, "tokens", QuantityInfo::Number},
        {LessonQuantity::Text, "text", QuantityInfo::Word},
        {LessonQuantity::Mask, "mask", QuantityInfo::Word},
        {LessonQuantity::Positions, "positions", QuantityInfo::Word},
        {LessonQuantity::Implementation, "implementation", QuantityInfo::Word},
        {LessonQuantity::Overrides, "overrides", QuantityInfo::Number},
        {LessonQuantity::Stage, "stage", QuantityInfo::Number},
        {LessonQuantity::FlashStep, "flash_step", QuantityInfo::Number},
        {LessonQuantity::View, "view", QuantityInfo::Word},
        {LessonQuantity::Model, "model", QuantityInfo::Word},
    };
    return list;
}

std::string joined_quantity_names() {
    std::string out;
    for (const auto& q : quantities())
        out += std::string(out.empty() ? "" : ", ") + q.name;
    return out;
}

// A name of one of the enum's values, as to_string() spells it (any case, spaces or underscores).
template <typename E> bool known_name(const std::string& key, std::initializer_list<E> values) {
    for (const E e : values)
        if (name_key(to_string(e)) == key) return true;
    return false;
}

} // namespace

Message lesson_text::parse_check(std::string_view s, LessonCheck& c) {
    s = trim(s);
    std::size_t i = 0;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_'))
        ++i;
    const std::string name = lower(s.substr(0, i));
    const auto& list = quantities();
    const auto it =
        std::find_if(list.begin(), list.end(), [&](const QuantityInfo& q) { return name == q.name; });
    if (name.empty() || it == list.end())
        return message(N_("a check starts with what it looks at (%s), not \"%s\""), joined_quantity_names(),
                       std::string(s.substr(0, std::max<std::size_t>(i, 1))));
    c.quantity = it->q;
    s = trim(s.substr(i));
    static const std::pair<const char*, LessonOp> ops[] = {
        {"contains", LessonOp::Contains},
        {"<=", LessonOp::Le},
        {">=", LessonOp::Ge},
        {"!=", LessonOp::Ne},
        {"==", LessonOp::Eq},
        {"=", LessonOp::Eq},
        {"<", LessonOp::Lt},
        {">", LessonOp::Gt},
    };
    bool found = false;
    for (const auto& [text, op] : ops)
        if (starts_with(s, text)) {
            c.op = op;
            s = trim(s.substr(std::strlen(text)));
            found = true;
            break;
        }
    if (!found) return message(N_("after \"%s\" comes =, !=, <, <=, >, >= or contains"), name);
    if (s.empty()) return message(N_("the check \"%s\" has no value to compare with"), name);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        c.text = std::string(s.substr(1, s.size() - 2));
    } else {
        c.text = std::string(s);
        c.is_number = parse_number(s, c.number);
    }
    const bool ordering =
        c.op == LessonOp::Lt || c.op == LessonOp::Le || c.op == LessonOp::Gt || c.op == LessonOp::Ge;
    switch (it->kind) {
    case QuantityInfo::Number:
        if (!c.is_number) return message(N_("\"%s\" is a number; \"%s\" is not one"), name, c.text);
        if (c.op == LessonOp::Contains)
            return message(N_("\"%s\" is a number: use =, !=, <, <=, > or >="), name);
        break;
    case QuantityInfo::NumberOrWord:
        if (ordering && !c.is_number) return message(N_("only a token's number can be compared with < or >"));
        if (c.op == LessonOp::Contains) return message(N_("\"%s\" is one token: use = or !="), name);
        break;
    case QuantityInfo::Word:
        if (ordering) return message(N_("\"%s\" is compared with =, != or contains"), name);
        c.is_number = false;
        break;
    }
    const std::string key = name_key(c.text);
    switch (c.quantity) {
    case LessonQuantity::Mask:
        if (!known_name(key, {MaskKind::Bidirectional, MaskKind::Causal, MaskKind::SlidingWindow}))
            return message(N_("unknown mask \"%s\" (bidirectional, causal or sliding_window)"), c.text);
        c.text = key;
        break;
    case LessonQuantity::Positions:
        if (!known_name(key, {PositionKind::None, PositionKind::Sinusoidal, PositionKind::Learned,
                              PositionKind::Rope, PositionKind::Alibi}))
            return message(N_("unknown positions \"%s\" (none, sinusoidal, learned, rope or alibi)"), c.text);
        c.text = key;
        break;
    case LessonQuantity::Implementation:
        if (!known_name(key, {Implementation::Reference, Implementation::Matrix, Implementation::Flash}))
            return message(N_("unknown implementation \"%s\" (reference, matrix or flash)"), c.text);
        c.text = key;
        break;
    case LessonQuantity::Off: {
        const auto dot = c.text.find('.');
        int layer = 0, head = 0;
        double dl = 0, dh = 0;
        if (dot == std::string::npos || !parse_number(std::string_view(c.text).substr(0, dot), dl) ||
            !parse_number(std::string_view(c.text).substr(dot + 1), dh) || dl < 0 || dh < 0 || dl > 1e6 ||
            dh > 1e6)
            return message(N_("\"off\" names a head as LAYER.HEAD, e.g. off contains 1.0"));
        layer = static_cast<int>(dl);
        head = static_cast<int>(dh);
        c.text = std::to_string(layer) + std::string(".") + std::to_string(head);
        if (c.op != LessonOp::Contains)
            return message(N_("\"off\" is a set of heads: use off contains LAYER.HEAD"));
        break;
    }
    default:
        break;
    }
    return {};
}

std::vector<std::string> lesson_quantity_names() {
    std::vector<std::string> out;
    for (const auto& q : quantities())
        out.emplace_back(q.name);
    return out;
}

const char* lesson_quantity_name(LessonQuantity q) {
    for (const auto& i : quantities())
        if (i.q == q) return i.name;
    return "?";
}

} // namespace attn
