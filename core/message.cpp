// Filling a message's template: %s / %N$s places, %% for a percent sign (message.hpp).
#include "message.hpp"

#include <cstdio>

namespace attn {

Message detail::message_arg(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return {nullptr, buf, {}};
}

std::string render(const Message& m, Translate translate) {
    if (!m.text) return m.value;
    const std::string_view t = translate ? translate(m.text) : m.text;
    std::string out;
    out.reserve(t.size() + 16);
    std::size_t next = 0; // the value a plain %s takes
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '%' || i + 1 >= t.size()) {
            out += t[i];
            continue;
        }
        if (t[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        std::size_t j = i + 1, index = 0;
        bool positional = false;
        while (j < t.size() && t[j] >= '0' && t[j] <= '9')
            index = index * 10 + static_cast<std::size_t>(t[j++] - '0');
        if (j > i + 1 && j < t.size() && t[j] == '$' && index > 0) {
            positional = true;
            ++j;
        } else {
            j = i + 1;
        }
        if (j >= t.size() || t[j] != 's') { // not a place: kept as written
            out += t[i];
            continue;
        }
        const std::size_t k = positional ? index - 1 : next++;
        if (k < m.args.size()) out += render(m.args[k], translate);
        i = j;
    }
    return out;
}

void collect_templates(const Message& m, std::vector<const char*>& out) {
    if (m.text) out.push_back(m.text);
    for (const Message& a : m.args)
        collect_templates(a, out);
}

} // namespace attn
