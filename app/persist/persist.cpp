// The layout and preferences kept between runs (see persist.hpp).
#include "persist.hpp"

#include "app/io/bounded_read.hpp"
#include "app/io/safe_write.hpp"
#include "app/io/session.hpp"

#include <imgui.h>

#include <filesystem>
#include <system_error>

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
    return ec ? "cannot create " + dir.string() + ": " + ec.message() : std::string{};
}

std::string save_layout(const Persistence& p) {
    ImGui::GetIO().WantSaveIniSettings = false;
    if (p.ini_path.empty()) return {};
    if (auto e = make_parent(p.ini_path); !e.empty()) return e;
    std::size_t size = 0;
    const char* text = ImGui::SaveIniSettingsToMemory(&size);
    return safe_write_file(p.ini_path, std::string_view(text, size));
}

std::string save_prefs_if_changed(Persistence& p, const App& app) {
    if (p.prefs_path.empty()) return {};
    Prefs now = prefs_from_ui(app.ui);
    if (now == p.saved_prefs) return {};
    if (auto e = save_prefs(p.prefs_path, now); !e.empty()) return e;
    p.saved_prefs = std::move(now);
    return {};
}

} // namespace

void persist_start(Persistence& p, App& app) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // ImGui never writes the file itself; persist_frame saves it safely
    std::error_code ec;
    if (!p.ini_path.empty() && std::filesystem::exists(p.ini_path, ec)) {
        const FileBytes ini = read_file_bounded(p.ini_path, k_max_ini_bytes);
        if (ini.ok())
            ImGui::LoadIniSettingsFromMemory(ini.bytes.data(), ini.bytes.size());
        else
            app.ui.status = "The window layout was not restored: " + ini.error;
    }
    if (!p.prefs_path.empty() && std::filesystem::exists(p.prefs_path, ec)) {
        auto prefs = load_prefs(p.prefs_path);
        if (prefs.ok()) {
            apply_prefs(app.ui, prefs.value);
        } else {
            app.ui.status = "Preferences reset to the defaults: " + p.prefs_path + ": " + prefs.error;
        }
    }
    // What the file holds after apply_prefs normalised it: saved again only when the user changes something.
    p.saved_prefs = prefs_from_ui(app.ui);
    p.next_prefs_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
}

void persist_frame(Persistence& p, App& app) {
    if (ImGui::GetIO().WantSaveIniSettings) report(p, app, save_layout(p));
    const auto now = std::chrono::steady_clock::now();
    if (now < p.next_prefs_check) return;
    p.next_prefs_check = now + std::chrono::seconds(1); // comparing preferences is cheap, but not free
    report(p, app, save_prefs_if_changed(p, app));
}

std::string open_session_file(App& app, const std::string& path) {
    UiState& ui = app.ui;
    auto loaded = load_session(path);
    if (!loaded.ok()) return loaded.error;
    // The one place AppState is replaced whole: the loaded state was built through apply().
    const std::uint64_t rev = app.state.revision;
    app.state = std::move(loaded.value.state);
    app.state.revision = rev + 1;
    ui.selected_layer = loaded.value.view.layer;
    ui.selected_head = loaded.value.view.head;
    ui.selected_query = loaded.value.view.query < app.state.n_tokens() ? loaded.value.view.query : -1;
    ui.comfort.session_path = path; // File > Save writes back to it
    ui.status = "Opened " + path;
    return {};
}

std::string persist_exit(Persistence& p, App& app) {
    std::string errors;
    for (const std::string& e : {save_layout(p), save_prefs_if_changed(p, app)})
        if (!e.empty()) errors += (errors.empty() ? "" : "\n") + e;
    return errors;
}

} // namespace attn
