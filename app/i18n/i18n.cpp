// GNU gettext behind _(): the catalogue directory, the language from the environment or the View menu, and
// a switch at run time (LANGUAGE is set and gettext's cache of looked-up strings is invalidated).
#include "i18n.hpp"

#include <libintl.h>

#include <algorithm>
#include <clocale>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

extern "C" int _nl_msg_cat_cntr; // glibc: bumping it makes gettext forget the translations it cached

namespace attn::i18n {

namespace {

constexpr const char* k_domain = "attention-lab";
std::string g_chosen;       // "", "en" or "de"
std::string g_env_language; // LANGUAGE as the program found it (set_language replaces the variable)
bool g_env_saved = false;

// "de_DE.UTF-8" -> "de"; "" for C, POSIX and empty values.
std::string code_of(const char* value) {
    if (!value || !*value) return {};
    std::string v(value);
    v = v.substr(0, v.find(':')); // LANGUAGE may list several
    v = v.substr(0, v.find_first_of("_.@"));
    if (v == "C" || v == "POSIX") return {};
    return v;
}

bool known(const std::string& code) {
    for (const Language& l : languages())
        if (code == l.code) return true;
    return false;
}

std::string program_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string{} : exe.parent_path().string();
}

bool has_catalogue(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::exists(dir / "de" / "LC_MESSAGES" / (std::string(k_domain) + ".mo"), ec);
}

// gettext ignores LANGUAGE while the messages locale is "C"; C.UTF-8 (built into glibc) lifts that and
// keeps every other category as it was.
void allow_language_variable() {
    const char* now = std::setlocale(LC_MESSAGES, nullptr);
    if (!now || std::strcmp(now, "C") == 0 || std::strcmp(now, "POSIX") == 0)
        std::setlocale(LC_MESSAGES, "C.UTF-8");
}

void save_environment() {
    if (g_env_saved) return;
    const char* l = std::getenv("LANGUAGE");
    g_env_language = l ? l : "";
    g_env_saved = true;
}

} // namespace

const char* tr(const char* msgid) {
    return dgettext(k_domain, msgid);
}

const char* tr_ctx(const char* context, const char* msgid) {
    // gettext's msgctxt: the context and the text joined by EOT (0x04), as xgettext --keyword=C_:1c,2 writes
    std::string key = std::string(context) + '\004' + msgid;
    const char* out = dgettext(k_domain, key.c_str());
    return out == key.c_str() ? msgid : out; // untranslated: gettext hands back our temporary
}

const char* tr_plural(const char* one, const char* many, unsigned long n) {
    return dngettext(k_domain, one, many, n);
}

const std::vector<Language>& languages() {
    static const std::vector<Language> list = {{"en", "English"}, {"de", "Deutsch"}};
    return list;
}

std::string catalogue_dir() {
    if (const char* d = std::getenv("ATTN_LOCALEDIR"); d && *d) return d;
    const std::filesystem::path exe = program_dir();
    if (!exe.empty()) {
        if (has_catalogue(exe / "locale")) return (exe / "locale").string();
        const auto installed = (exe / ATTN_INSTALLED_LOCALE_DIR).lexically_normal();
        if (has_catalogue(installed)) return installed.string();
    }
    return ATTN_BUILD_LOCALE_DIR;
}

std::string language_from(const char* language, const char* lc_all, const char* lc_messages,
                          const char* lang) {
    // LANGUAGE first (a list: the first language we have wins), then the messages locale as gettext reads it
    if (language && *language) {
        const std::string list = language;
        for (std::size_t at = 0; at <= list.size();) {
            const std::size_t end = std::min(list.find(':', at), list.size());
            const std::string code = code_of(list.substr(at, end - at).c_str());
            if (known(code)) return code;
            at = end + 1;
        }
    }
    for (const char* v : {lc_all, lc_messages, lang})
        if (v && *v) {
            const std::string code = code_of(v);
            return known(code) ? code : "en";
        }
    return "en";
}

std::string environment_language() {
    return language_from(g_env_saved ? g_env_language.c_str() : std::getenv("LANGUAGE"),
                         std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG"));
}

void init(const std::string& language) {
    // LANGUAGE is replaced by set_language; keep what the user had for "follow the environment"
    save_environment();
    std::setlocale(LC_MESSAGES, "");
    bindtextdomain(k_domain, catalogue_dir().c_str());
    bind_textdomain_codeset(k_domain, "UTF-8");
    set_language(language);
}

void set_language(const std::string& language) {
    save_environment();
    g_chosen = known(language) ? language : std::string{};
    std::string use = g_chosen.empty() ? environment_language() : g_chosen;
    if (!known(use)) use = "en";
    allow_language_variable();
    setenv("LANGUAGE", use.c_str(), 1);
    ++_nl_msg_cat_cntr;
}

std::string chosen_language() {
    return g_chosen;
}

std::string current_language() {
    const char* l = std::getenv("LANGUAGE");
    return l && known(l) ? l : "en";
}

std::string format(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, args);
    va_end(args);
    std::string out(n > 0 ? static_cast<std::size_t>(n) : 0u, '\0');
    if (n > 0) std::vsnprintf(out.data(), out.size() + 1, fmt, again);
    va_end(again);
    return out;
}

const char* digit_separator() {
    // TRANSLATORS: the thousands separator in numbers such as 2,147,483,648 (German: ".")
    return C_("digit grouping", ",");
}

std::string text(const Message& m) {
    return render(m, &tr);
}

std::string label_id(const char* translated, const char* id) {
    return std::string(translated) + "###" + id;
}

} // namespace attn::i18n
