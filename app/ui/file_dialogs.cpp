// File dialogs (see file_dialogs.hpp).
#include "file_dialogs.hpp"

#include "app/i18n/i18n.hpp"
#include "app/io/attention_file.hpp"
#include "app/io/csv_export.hpp"
#include "app/io/safe_write.hpp"
#include "app/io/session.hpp"
#include "app/panels/panel_context.hpp"
#include "app/persist/persist.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/lesson_runner.hpp"
#include "app/ui/workspace.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/theme.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <string>

namespace attn {

namespace {

const char* dialog_title(FileDialog d) {
    switch (d) {
    case FileDialog::OpenSession:
        return _("Open session");
    case FileDialog::SaveSession:
        return _("Save session");
    case FileDialog::ExportPng:
        return _("Export PNG");
    case FileDialog::ExportCsv:
        return _("Export weights CSV");
    case FileDialog::ImportAttention:
        return _("Import attention");
    case FileDialog::ExportAttention:
        return _("Export attention");
    case FileDialog::OpenLesson:
        return _("Open lesson");
    case FileDialog::None:
        break;
    }
    return "";
}

// Runs the dialog's action; returns an error message, or "" when done (the dialog then closes).
std::string run_dialog(App& app) {
    UiState& ui = app.ui;
    ComfortUi& c = ui.comfort;
    switch (c.dialog) {
    case FileDialog::SaveSession: {
        const SessionView view{ui.selected_layer, ui.selected_head, ui.selected_query};
        if (auto e = save_session(c.session_path, app.state, view); !e.empty()) return i18n::text(e);
        ui.status = i18n::text(message(N_("Saved %s"), c.session_path));
        return {};
    }
    case FileDialog::OpenSession:
        return open_session_file(app, std::string(c.session_path)); // a copy: it is assigned back
    case FileDialog::ExportPng: {
        if (c.png_path.empty()) return _("type a file name first");
        c.png.pending = true;
        c.png.path = c.png_path;
        c.png.region = c.png_panel >= 0
                           ? std::string("panel:") + panels()[static_cast<std::size_t>(c.png_panel)].name
                           : std::string{};
        c.png.wait_frames = 2;                             // the dialog must be gone from the picture
        if (c.png_panel >= 0) show_panel(ui, c.png_panel); // a view behind another tab comes to the front
        return {};
    }
    case FileDialog::ExportCsv: {
        refresh_derived(app); // the weights of the state as it is now, even while the frame shows older ones
        const auto& layers = app.derived.forward.layers;
        if (layers.empty()) return _("there are no weights yet: type a sentence first");
        const int l = std::clamp(ui.selected_layer, 0, static_cast<int>(layers.size()) - 1);
        const auto& heads = layers[static_cast<std::size_t>(l)].heads;
        const int h = std::clamp(ui.selected_head, 0, static_cast<int>(heads.size()) - 1);
        const auto& hr = heads[static_cast<std::size_t>(h)];
        if (auto e = write_weights_csv(c.csv_path, app.state.tokens, weights_of(hr), hr.scores); !e.empty())
            return i18n::text(e);
        ui.status =
            i18n::text(message(N_("Wrote the weights of layer %s, head %s to %s"), l + 1, h + 1, c.csv_path));
        return {};
    }
    case FileDialog::ImportAttention: {
        if (c.import_path.empty()) return _("type a file name first");
        const ImportParse r = read_attention_file(c.import_path);
        if (!r.ok()) return i18n::text(r.error);
        apply_commands(app, {ShowImportedAttention{std::make_shared<const ImportedAttention>(r.attention)}});
        ui.selected_layer = ui.selected_head = 0;
        ui.selected_query = -1;
        ui.status = i18n::text(message(N_("Imported %s"), c.import_path));
        return {};
    }
    case FileDialog::ExportAttention: {
        refresh_derived(app);
        if (app.derived.forward.layers.empty()) return _("there are no weights yet: type a sentence first");
        const std::string name = app.state.imported  ? app.state.imported->name
                                 : app.state.trained ? app.state.trained_title
                                                     : std::string("live model");
        const std::string bytes = attention_to_npz(attention_of(app.derived.forward, app.state.tokens, name));
        if (auto e = safe_write(c.attention_path, bytes); !e.empty()) return i18n::text(e);
        ui.status = i18n::text(message(N_("Wrote every layer's and head's weights to %s"), c.attention_path));
        return {};
    }
    case FileDialog::OpenLesson: {
        // a broken lesson changes nothing: its lines and problems stay in the dialog to be fixed
        if (c.lesson_path.empty()) return _("type a file name first");
        auto err = start_lesson_file(app, c.lesson_path, ImGui::GetTime());
        ui.lesson.open_error.clear(); // shown here instead of in the error window
        return err;
    }
    case FileDialog::None:
        break;
    }
    return {};
}

} // namespace

void draw_file_dialog(App& app) {
    ComfortUi& c = app.ui.comfort;
    if (c.dialog == FileDialog::None) return;
    const char* title = dialog_title(c.dialog);
    if (!ImGui::IsPopupOpen(title)) {
        ImGui::OpenPopup(title);
        c.dialog_message.clear();
    }
    bool open = true;
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30.0f, 0.0f), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal(title, &open)) {
        c.dialog = FileDialog::None;
        return;
    }
    std::string* path = c.dialog == FileDialog::ExportPng         ? &c.png_path
                        : c.dialog == FileDialog::ExportCsv       ? &c.csv_path
                        : c.dialog == FileDialog::ImportAttention ? &c.import_path
                        : c.dialog == FileDialog::ExportAttention ? &c.attention_path
                        : c.dialog == FileDialog::OpenLesson      ? &c.lesson_path
                                                                  : &c.session_path;
    ImGui::TextUnformatted(_("File"));
    ImGui::SetNextItemWidth(-1.0f);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputText("##path", path, ImGuiInputTextFlags_EnterReturnsTrue);
    if (c.dialog == FileDialog::ExportPng) {
        const auto& list = panels();
        const char* preview =
            c.png_panel >= 0 ? list[static_cast<std::size_t>(c.png_panel)].name : _("the whole window");
        if (ImGui::BeginCombo(_("Picture of"), preview)) {
            if (ImGui::Selectable(_("the whole window"), c.png_panel < 0)) c.png_panel = -1;
            for (std::size_t i = 0; i < list.size(); ++i)
                if (i < app.ui.panel_open.size() && app.ui.panel_open[i] &&
                    ImGui::Selectable(_(list[i].name), c.png_panel == static_cast<int>(i)))
                    c.png_panel = static_cast<int>(i);
            ImGui::EndCombo();
        }
        item_help(_("Crop the picture to one panel, for a slide, or keep the whole window."));
    }
    if (c.dialog == FileDialog::ExportCsv)
        ImGui::TextWrapped(
            _("The selected layer and head: one row per query token, one column per key token. Masked "
              "cells are written as nan."));
    if (c.dialog == FileDialog::ImportAttention)
        ImGui::TextWrapped(
            _("Attention weights exported from another program: a .npz holding attention.npy (layers, heads, "
              "n, n) and tokens.npy, or a .npy with NAME.tokens.json beside it (README, \"Importing "
              "attention\"). The heatmap, arc view and heads grid show them."));
    if (c.dialog == FileDialog::ExportAttention)
        ImGui::TextWrapped(_("Every layer's and head's weights and the tokens, as a .npz that File → Import "
                             "attention (or NumPy) reads back."));
    if (!c.dialog_message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, text_tones().error);
        ImGui::TextWrapped("%s", c.dialog_message.c_str());
        ImGui::PopStyleColor();
    }
    const char* verb = c.dialog == FileDialog::OpenSession || c.dialog == FileDialog::OpenLesson ? _("Open")
                       : c.dialog == FileDialog::SaveSession                                     ? _("Save")
                       : c.dialog == FileDialog::ImportAttention                                 ? _("Import")
                                                                 : _("Export");
    bool close = false;
    if (ImGui::Button(verb) || enter) {
        c.dialog_message = run_dialog(app);
        close = c.dialog_message.empty();
    }
    ImGui::SameLine();
    if (ImGui::Button(_("Cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
        close = true;
    if (close || !open) {
        c.dialog = FileDialog::None;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

} // namespace attn
