// A message for the learner in whatever language the interface shows: an English template marked with N_()
// (so xgettext extracts it from core/ too, though core/ never translates anything) and the values that fill
// its %s places. The app translates the template when it shows the message and substitutes the values
// afterwards (i18n::text); the command line and the tests read english(). A value can be a message itself:
// "attention: %s" holds the .npy reader's own message, and each is translated on its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// Marks a string for the catalogue without translating it (the app defines the same marker).
#ifndef N_
#define N_(msgid) msgid
#endif

namespace attn {

struct Message {
    const char* text = nullptr; // English template with %s or %1$s places, marked N_(); null: `value` as is
    std::string value;          // shown unchanged when text is null: a number, a file's name, a header's text
    std::vector<Message> args;  // what fills the places, in order

    bool empty() const { return text == nullptr && value.empty(); }
    explicit operator bool() const { return !empty(); }
};

namespace detail {
inline Message message_arg(Message m) {
    return m;
}
inline Message message_arg(std::string v) {
    return {nullptr, std::move(v), {}};
}
inline Message message_arg(const char* v) {
    return {nullptr, v, {}};
}
inline Message message_arg(std::string_view v) {
    return {nullptr, std::string(v), {}};
}
template <class T>
requires std::is_integral_v<T> Message message_arg(T v) {
    return {nullptr, std::to_string(v), {}};
}
Message message_arg(double v); // %g
} // namespace detail

// A text shown as it is, in every language: a file's name, a message that has no template.
inline Message verbatim(std::string text) {
    return {nullptr, std::move(text), {}};
}

// message(N_("d_model must be at least 1 (it is %s)."), c.d_model): strings are shown as they are (a name
// that must be translated too is passed as message(N_("causal"))), numbers in digits.
template <class... A> Message message(const char* marked_template, A&&... values) {
    return {marked_template, {}, {detail::message_arg(std::forward<A>(values))...}};
}

// The whole text with every template taken through `translate` (null: English) and the places filled:
// %s takes the next value, %N$s the N-th (a translation may reorder them), %% is a percent sign.
// A place without a value stays empty.
using Translate = const char* (*)(const char*);
std::string render(const Message& m, Translate translate);
inline std::string english(const Message& m) {
    return render(m, nullptr);
}

// Every template in m and its values, in order: what a catalogue must hold for m to be shown translated.
void collect_templates(const Message& m, std::vector<const char*>& out);

} // namespace attn
