// Training panel: the shipped trained models as presets, the trained model's answers for the current
// tokens, and training your own with progress, loss and accuracy curves. The training thread belongs to
// the frame loop (app/ui/jobs.hpp): this panel asks it to start or stop and draws the progress it reported;
// the frame loop hands each snapshot to the views whichever tab is in front.
#include "panel_context.hpp"

#include "app/i18n/i18n.hpp"
#include "app/state/trained_model.hpp"
#include "app/widgets/help_marker.hpp"
#include "app/widgets/number_format.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/theme.hpp"
#include "core/tokenizer.hpp"
#include "core/train/tasks.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

namespace attn {

namespace {

const char* const k_sizes[] = {N_("small (d_model 16)"), N_("medium (d_model 32)"), N_("large (d_model 64)")};

void draw_presets(PanelContext& ctx) {
    ImGui::TextUnformatted(_("Models trained by this app"));
    help_marker(
        _("Tiny transformers trained here, on tasks that can only be solved by looking at the right token. "
          "Unlike random weights, their heads mean something: pick one, then look at the Heatmap."));
    for (const TrainedPreset& p : trained_presets()) {
        if (ImGui::Button(_(p.title))) ctx.commands.push_back(LoadTrainedModel{p.name});
        item_help(_(p.description));
    }
    const AppState& s = ctx.state;
    if (!s.trained) {
        ImGui::TextDisabled(_("Now showing: the untrained live model."));
        return;
    }
    ImGui::Text(_("Now showing: %s"), _(s.trained_title.c_str()));
    if (ImGui::Button(_("Back to the untrained model"))) ctx.commands.push_back(ClearTrainedModel{});
    item_help(_("Return to the live model with random weights (any model control does this too)."));
    const Derived& d = ctx.derived;
    if (!d.trained_note.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, text_tones().warning);
        ImGui::TextWrapped("%s", i18n::text(d.trained_note).c_str());
        ImGui::PopStyleColor();
    }
    if (d.prediction.size() != s.tokens.size() || s.tokens.empty()) return;
    ImGui::TextUnformatted(_("What the model answers at each token"));
    help_marker(
        _("The trained model's most likely word, with its probability. The pronoun model was only ever asked "
          "at \"it\", so only those rows are shown. For induction and reversal each row predicts the next "
          "token; rows before the repeat (or before \"|\") are guesses, since nothing there can be known "
          "yet."));
    const bool only_it = s.trained->task == "pronoun";
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < s.tokens.size(); ++i)
        if (!only_it || normalize_word(s.tokens[i]) == "it") shown.push_back(i);
    if (shown.empty()) {
        ImGui::TextDisabled(_("Add the word \"it\" to ask the model what it refers to."));
        return;
    }
    const float rows = static_cast<float>(std::min<std::size_t>(shown.size(), 8));
    if (ImGui::BeginTable("answers", 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                          ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * (rows + 1.5f)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(_("token"));
        ImGui::TableSetupColumn(_("answer"));
        ImGui::TableSetupColumn(_("probability"));
        ImGui::TableHeadersRow();
        for (const std::size_t i : shown) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool selected = ctx.ui.selected_query == static_cast<int>(i);
            if (ImGui::Selectable((s.tokens[i] + "##a" + std::to_string(i)).c_str(), selected,
                                  ImGuiSelectableFlags_SpanAllColumns))
                ctx.ui.selected_query = selected ? -1 : static_cast<int>(i);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.prediction[i].c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_whole_percent(d.confidence[i]).c_str());
        }
        ImGui::EndTable();
    }
}

void draw_settings(TrainingUi& t, bool busy) {
    const auto& names = train::task_names();
    t.task = std::clamp(t.task, 0, static_cast<int>(names.size()) - 1);
    ImGui::BeginDisabled(busy);
    if (ImGui::BeginCombo(_("task"), names[static_cast<std::size_t>(t.task)].c_str())) {
        for (int i = 0; i < static_cast<int>(names.size()); ++i)
            if (ImGui::Selectable(names[static_cast<std::size_t>(i)].c_str(), i == t.task)) t.task = i;
        ImGui::EndCombo();
    }
    item_help(_("pronoun: at \"it\", name the noun it means (the adjective decides).\n"
                "induction: continue a sequence that repeats; needs two layers working together.\n"
                "reversal: after \"|\", write the letters backwards."));
    const char* sizes[] = {_(k_sizes[0]), _(k_sizes[1]), _(k_sizes[2])};
    ImGui::Combo(_("model size"), &t.size, sizes, 3);
    item_help(
        _("The width of every token's vector. Wider models learn faster per step but each step costs more."));
    ImGui::SliderInt(_("layers"), &t.n_layers, 1, 4);
    item_help(
        _("Attention blocks stacked on each other. Pronoun resolution and induction need two: the first "
          "gathers a clue, the second uses it to decide where to look."));
    if (ImGui::SliderInt(_("heads"), &t.n_heads, 1, 8)) t.n_kv_heads = std::min(t.n_kv_heads, t.n_heads);
    item_help(_("Query heads per layer: each head can learn its own way of looking."));
    ImGui::SliderInt(_("key/value heads"), &t.n_kv_heads, 1, t.n_heads);
    while (t.n_heads % t.n_kv_heads != 0)
        --t.n_kv_heads;
    item_help(
        _("Heads that share keys and values: equal to heads is multi-head attention, fewer is grouped-query, "
          "1 is multi-query. Snaps to a divisor of the head count."));
    ImGui::Checkbox(_("MLP in each block"), &t.mlp);
    item_help(
        _("Adds a small feed-forward network after attention in every block. These tasks do not need one."));
    ImGui::SliderInt(_("steps"), &t.steps, 50, 5000);
    item_help(_("How many times the optimiser (AdamW) updates the weights, each time from 32 examples."));
    ImGui::SliderFloat(_("learning rate"), &t.lr, 1e-4f, 3e-2f, "%.4f", ImGuiSliderFlags_Logarithmic);
    item_help(_("How big each update step is. Too small: slow. Too large: the loss jumps around or blows up. "
                "0.003 works well here."));
    ImGui::InputInt(_("seed"), &t.seed);
    t.seed = std::max(0, t.seed);
    item_help(_(
        "Fixes the data split, the starting weights and the order of examples: the same seed trains the same "
        "model. Pronoun resolution can be solved two ways; some seeds let the adjective fetch the noun and "
        "\"it\" read the adjective, so no head of \"it\" looks at the noun itself."));
    ImGui::EndDisabled();
}

void draw_curves(const TrainProgress& p, UiState& ui, HeatmapTextureSource& textures) {
    if (p.loss.empty()) return;
    PlotSpec loss;
    loss.x = {0, std::max(1.0, static_cast<double>(p.total)), plot::Scale::Linear, plot::Units::Plain};
    const double hi = std::max(1.0, *std::max_element(p.loss.begin(), p.loss.end()));
    loss.y = {1e-3, hi * 1.2, plot::Scale::Log, plot::Units::Plain};
    loss.x_label = _("step");
    loss.y_label = _("training loss (cross-entropy)");
    loss.height = ImGui::GetTextLineHeight() * 9;
    loss.series.push_back({_("loss"), p.loss_step, p.loss, IM_COL32(240, 130, 90, 255)});
    const PlotResult lr = draw_plot("train_loss", loss, &textures);
    record_region(ui, "training_loss_plot", lr.min, lr.max);
    if (p.accuracy.empty()) return;
    PlotSpec acc = loss;
    acc.y = {0, 1, plot::Scale::Linear, plot::Units::Plain};
    acc.y_label = _("held-out accuracy / attention criterion");
    acc.series = {
        {_("accuracy"), p.eval_step, p.accuracy, IM_COL32(110, 200, 120, 255)},
        {_("head looks at the right token"), p.eval_step, p.attention, IM_COL32(120, 160, 255, 255), true}};
    const PlotResult ar = draw_plot("train_accuracy", acc, &textures);
    record_region(ui, "training_accuracy_plot", ar.min, ar.max);
}

void draw_training(PanelContext& ctx) {
    TrainingUi& t = ctx.ui.training;
    const TrainProgress& p = ctx.jobs.training;
    const bool busy =
        p.phase == TrainPhase::Preparing || p.phase == TrainPhase::Running || p.phase == TrainPhase::Paused;
    ImGui::TextUnformatted(_("Train your own"));
    help_marker(_(
        "Watch attention heads form. Training runs in the background; every few steps the heatmap shows the "
        "current weights, so the pattern appears while you watch."));
    draw_settings(t, busy);
    if (!busy) {
        if (ImGui::Button(_("Start training"))) {
            TrainRequest r;
            r.task = train::task_names()[static_cast<std::size_t>(t.task)];
            r.size = t.size;
            r.n_layers = t.n_layers;
            r.n_heads = t.n_heads;
            r.n_kv_heads = t.n_kv_heads;
            r.mlp = t.mlp;
            r.steps = t.steps;
            r.lr = t.lr;
            r.seed = static_cast<std::uint64_t>(t.seed);
            ctx.requests.push_back(StartTraining{r});
        }
        item_help(_("Starts from random weights with the settings above."));
    } else if (p.phase == TrainPhase::Paused) {
        if (ImGui::Button(_("Resume"))) ctx.requests.push_back(ResumeTraining{});
        item_help(_("Carries on from where it paused."));
    } else {
        if (ImGui::Button(_("Pause"))) ctx.requests.push_back(PauseTraining{});
        item_help(_("Holds training so you can study the current heads; the snapshot stays in the heatmap."));
    }
    ImGui::SameLine();
    if (ImGui::Button(_("Reset"))) ctx.requests.push_back(ResetTraining{});
    item_help(
        _("Stops training and forgets this run. The last snapshot stays on screen until you pick another "
          "model."));
    ImGui::SameLine();
    ImGui::Checkbox(_("show in heatmap"), &t.follow);
    item_help(_("Hand each new snapshot of the weights to the heatmap and heads views."));
    if (!t.message.empty()) ImGui::TextWrapped("%s", i18n::text(t.message).c_str());

    if (p.phase == TrainPhase::Idle) return;
    const float frac = p.total > 0 ? static_cast<float>(p.step) / static_cast<float>(p.total) : 0.0f;
    const std::string label = std::string(to_string(p.phase)) + _(": step ") + std::to_string(p.step) +
                              " / " + std::to_string(p.total);
    ImGui::ProgressBar(frac, ImVec2(-1, 0), label.c_str());
    if (!p.accuracy.empty())
        ImGui::Text(_("held-out accuracy %.1f%%, best head (layer %d, head %d) looks at the right token "
                      "%.1f%%, %.1f s"),
                    100.0 * p.accuracy.back(), p.best_layer + 1, p.best_head + 1, 100.0 * p.attention.back(),
                    p.seconds);
    draw_curves(p, ctx.ui, ctx.textures);
}

} // namespace

void draw_training_panel(PanelContext& ctx) {
    draw_presets(ctx);
    ImGui::Separator();
    draw_training(ctx);
}

} // namespace attn
