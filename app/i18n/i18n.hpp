// Translation of the interface with GNU gettext (domain "attention-lab", catalogues in po/). _() looks a
// string up at the moment it is drawn, so the View menu can switch the language without a restart; N_()
// only marks a string for the catalogue (tables built once), C_() adds a context, P_() picks a plural form.
// ImGui uses a label as its ID: a label whose widget keeps state (a window, a tab, a collapsing header)
// carries a fixed English ID after "###" (see label_id), so a switch keeps the layout and open headers.
#pragma once

#include "core/message.hpp"

#include <string>
#include <vector>

namespace attn::i18n {

const char* tr(const char* msgid);
const char* tr_ctx(const char* context, const char* msgid);
const char* tr_plural(const char* one, const char* many, unsigned long n);

// Reads the environment's messages locale and binds the catalogue directory (catalogue_dir()). Once, at
// start-up, before the first _(). `language` as in set_language.
void init(const std::string& language = {});

// "" follows the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); "en" or "de" picks one. Takes effect
// for the next _() call. Unknown codes fall back to English.
void set_language(const std::string& language);
std::string chosen_language(); // as last set: "", "en" or "de"
// The language the interface is in now: "de" when the catalogue applies, else "en".
std::string current_language();
// The environment's language as gettext reads it ("de" from LANG=de_DE.UTF-8), "en" for C/POSIX/unset.
std::string environment_language();
// The same from given values of LANGUAGE, LC_ALL, LC_MESSAGES and LANG (null = unset).
std::string language_from(const char* language, const char* lc_all, const char* lc_messages,
                          const char* lang);

struct Language {
    const char* code; // "en", "de"
    const char* name; // in its own language: "English", "Deutsch"
};
const std::vector<Language>& languages();

// Where the compiled catalogues are found: $ATTN_LOCALEDIR, else beside a program run from the build tree
// (<build>/locale), else the installed share/locale relative to the program, else the build tree's.
std::string catalogue_dir();

// printf into a std::string, for a translated format: format(P_("%d head", "%d heads", n), n).
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// The thousands separator of the current language, for numbers shown whole: "," in English, "." in German
// (plot::format_grouped(n, digit_separator()) gives 1,024 or 1.024).
const char* digit_separator();

// A message from core/ (message.hpp) in the current language: each template is translated, then filled.
std::string text(const Message& m);

// "Translated###id": the visible text in the current language with a label ID that never changes.
std::string label_id(const char* translated, const char* id);

} // namespace attn::i18n

#define _(msgid) ::attn::i18n::tr(msgid)
#ifndef N_ // core/message.hpp defines the same marker
#define N_(msgid) msgid
#endif
#define C_(context, msgid) ::attn::i18n::tr_ctx(context, msgid)
#define P_(one, many, n) ::attn::i18n::tr_plural(one, many, static_cast<unsigned long>(n))
// A visible label with a stable ImGui ID: L_("Help", "help") draws "Hilfe" with the ID "###help".
#define L_(msgid, id) ::attn::i18n::label_id(::attn::i18n::tr(msgid), id).c_str()
