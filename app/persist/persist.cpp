// The layout, preferences and autosaved session kept between runs, and the crash restore offer (see
// persist.hpp).
#include "persist.hpp"

#include "app/i18n/i18n.hpp"
#include "app/io/bounded_read.hpp"
#include "app/io/safe_write.hpp"
#include "app/io/session.hpp"

#include <imgui.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace attn {

namespace {

constexpr std::size_t k_max_ini_bytes = std::size_t{1} << 20;

void report(Persistence& p, App& app, const std::string& error) {
    if (error.empty()) {
        p.last_error.clear();
        return;
    }
    if (error == p.last_error) return; // a disk that stays full is reported once, not every second
    p.last_error = error;
    app.ui.status = error;
}

std::string make_parent(const std::string& path) {
    const auto dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) return {};
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    return ec ? _("cannot create ") + dir.string() + ": " + ec.message() : std::string{};
}

std::string save_layout(const Persistence& p) {
    ImGui::GetIO().WantSaveIniSettings = false;
    if (p.ini_path.empty()) return {};
    if (auto e = make_parent(p.ini_path); !e.empty()) return e;
    std::size_t size = 0;
    const char* text = ImGui::SaveIniSettingsToMemory(&size);
    return safe_write_file(p.ini_path, std::string_view(text, size));
}

// The marker holds the pid of the run that wrote it; a live process with that pid is another window
// running now, not a crash.
bool marker_left_by_a_crash(const std::string& marker) {
    const FileBytes f = read_file_bounded(marker, 64);
    if (!f.ok()) return false;
    const long pid = std::strtol(f.bytes.c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) return true; // our own pid: a crashed run whose pid came round again
    return !(::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

std::string autosave_if_changed(Persistence& p, const App& app) {
    if (p.autosave_dir.empty() || app.state.revision == p.autosaved_revision) return {};
    if (app.state.imported) return {}; // a session cannot hold an import: the last autosave stays
    if (auto e = make_parent(p.autosave_path()); !e.empty()) return e;
    const SessionView view{app.ui.selected_layer, app.ui.selected_head, app.ui.selected_query};
    if (auto e = save_session(p.autosave_path(), app.state, view); !e.empty())
        return _("Autosave failed: ") + i18n::text(e);
    p.autosaved_revision = app.state.revision;
    return {};
}

void draw_restore_offer(Persistence& p, App& app) {
    const char* title = _("Restore the last session?");
    if (!ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted(_("Attention Lab did not close normally last time."));
    ImGui::TextUnformatted(_("Its session was autosaved; restore it, or start from the default state?"));
    ImGui::TextDisabled("%s", p.autosave_path().c_str());
    if (ImGui::Button(_("Restore"))) {
        if (auto e = restore_autosave(p, app); !e.empty()) app.ui.status = e;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(_("Start fresh"))) {
        p.offer_restore = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

std::string save_prefs_if_changed(Persistence& p, const App& app) {
    if (p.prefs_path.empty()) return {};
    Prefs now = prefs_from_ui(app.ui);
    if (now == p.saved_prefs) return {};
    if (auto e = save_prefs(p.prefs_path, now); !e.empty()) return i18n::text(e);
    p.saved_prefs = std::move(now);
    return {};
}

} // namespace

std::string state_dir() {
    if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/attention-lab";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/state/attention-lab";
    return {};
}

namespace {

// What the terminate handler saves: set by persist_start, cleared by persist_exit.
Persistence* g_persistence = nullptr;
const App* g_app = nullptr;

[[noreturn]] void save_then_abort() {
    static bool once = false; // a second failure inside the handler must not recurse
    if (!once && g_persistence && g_app) {
        once = true;
        try {
            const std::string e = emergency_save(*g_persistence, *g_app);
            std::fprintf(stderr, "attention-lab: stopped by an unexpected error; %s\n",
                         e.empty() ? ("the session was saved to " + g_persistence->autosave_path()).c_str()
                                   : e.c_str());
        } catch (...) {
        }
    }
    std::abort();
}

} // namespace

Persistence::~Persistence() {
    if (g_persistence == this) {
        g_persistence = nullptr;
        g_app = nullptr;
    }
}

std::string emergency_save(Persistence& p, const App& app) {
    if (p.autosave_dir.empty()) return _("autosave is off");
    p.autosaved_revision = app.state.revision - 1; // force the save
    return autosave_if_changed(p, app);
}

void persist_start(Persistence& p, App& app) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // ImGui never writes the file itself; persist_frame saves it safely
    std::error_code ec;
    if (!p.ini_path.empty() && std::filesystem::exists(p.ini_path, ec)) {
        const FileBytes ini = read_file_bounded(p.ini_path, k_max_ini_bytes);
        if (ini.ok())
            ImGui::LoadIniSettingsFromMemory(ini.bytes.data(), ini.bytes.size());
        else
            app.ui.status = _("The window layout was not restored: ") + i18n::text(ini.error);
    }
    if (!p.prefs_path.empty() && std::filesystem::exists(p.prefs_path, ec)) {
        auto prefs = load_prefs(p.prefs_path);
        if (prefs.ok()) {
            apply_prefs(app.ui, prefs.value);
        } else {
            app.ui.status =
                _("Preferences reset to the defaults: ") + p.prefs_path + ": " + i18n::text(prefs.error);
        }
    }
    // What the file holds after apply_prefs normalised it: saved again only when the user changes something.
    p.saved_prefs = prefs_from_ui(app.ui);
    p.next_prefs_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    p.autosaved_revision = app.state.revision; // the default state is not worth an autosave
    p.next_autosave = std::chrono::steady_clock::now() + k_autosave_every;
    if (p.autosave_dir.empty()) return;
    p.offer_restore = std::filesystem::exists(p.marker_path(), ec) &&
                      marker_left_by_a_crash(p.marker_path()) &&
                      std::filesystem::exists(p.autosave_path(), ec);
    if (auto e = make_parent(p.marker_path()); !e.empty()) {
        app.ui.status = _("Autosave is off: ") + e;
        p.autosave_dir.clear();
        return;
    }
    if (auto e = safe_write_file(p.marker_path(), std::to_string(::getpid()) + "\n"); !e.empty()) {
        app.ui.status = _("Autosave is off: ") + e;
        p.autosave_dir.clear();
        return;
    }
    g_persistence = &p;
    g_app = &app;
    std::set_terminate(save_then_abort);
}

std::string restore_autosave(Persistence& p, App& app) {
    p.offer_restore = false;
    const std::string keep_path = app.ui.comfort.session_path; // File > Save keeps its own target
    if (auto e = open_session_file(app, p.autosave_path()); !e.empty()) return _("Could not restore: ") + e;
    app.ui.comfort.session_path = keep_path;
    app.ui.status = _("Restored the session autosaved before the last run ended");
    p.autosaved_revision = app.state.revision;
    return {};
}

void persist_frame(Persistence& p, App& app) {
    if (p.offer_restore) draw_restore_offer(p, app);
    if (ImGui::GetIO().WantSaveIniSettings) report(p, app, save_layout(p));
    const auto now = std::chrono::steady_clock::now();
    // not while the restore offer is open: the autosave it offers must not be replaced first
    if (now >= p.next_autosave && !p.offer_restore) {
        p.next_autosave = now + k_autosave_every;
        report(p, app, autosave_if_changed(p, app));
    }
    if (now < p.next_prefs_check) return;
    p.next_prefs_check = now + std::chrono::seconds(1); // comparing preferences is cheap, but not free
    report(p, app, save_prefs_if_changed(p, app));
}

std::string open_session_file(App& app, const std::string& path) {
    UiState& ui = app.ui;
    auto loaded = load_session(path);
    if (!loaded.ok()) return i18n::text(loaded.error);
    // The one place AppState is replaced whole: the loaded state was built through apply().
    const std::uint64_t rev = app.state.revision;
    app.state = std::move(loaded.value.state);
    app.state.revision = rev + 1;
    ui.selected_layer = loaded.value.view.layer;
    ui.selected_head = loaded.value.view.head;
    ui.selected_query = loaded.value.view.query < app.state.n_tokens() ? loaded.value.view.query : -1;
    ui.comfort.session_path = path; // File > Save writes back to it
    ui.status = _("Opened ") + path;
    return {};
}

std::string persist_exit(Persistence& p, App& app) {
    std::string errors;
    const std::string autosave = p.offer_restore ? std::string{} : autosave_if_changed(p, app);
    for (const std::string& e : {save_layout(p), save_prefs_if_changed(p, app), autosave})
        if (!e.empty()) errors += (errors.empty() ? "" : "\n") + e;
    std::error_code ec;
    if (!p.autosave_dir.empty()) std::filesystem::remove(p.marker_path(), ec); // a normal exit
    if (g_persistence == &p) {
        g_persistence = nullptr;
        g_app = nullptr;
    }
    return errors;
}

} // namespace attn
