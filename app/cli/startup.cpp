// The command line's effect on a run (see startup.hpp).
#include "startup.hpp"
#include "app/i18n/i18n.hpp"
#include "app/io/model_files.hpp"

#include "app/cli/attention_command.hpp"
#include "app/cli/compute_command.hpp"
#include "app/cli/inspect_command.hpp"
#include "app/cli/train_command.hpp"
#include "app/io/prefs.hpp"
#include "app/panels/panel_context.hpp"
#include "app/persist/persist.hpp"
#include "app/state/trained_model.hpp"
#include "app/ui/frame.hpp"
#include "app/ui/lesson_runner.hpp"
#include "app/ui/workspace.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace attn {

std::optional<int> handle_command_line(int argc, char** argv, Startup& out) {
    if (argc >= 2 && std::string_view(argv[1]) == "compute") return compute_command_main(argc - 1, argv + 1);
    if (argc >= 2 && std::string_view(argv[1]) == "train") return train_command_main(argc - 1, argv + 1);
    if (argc >= 2 && std::string_view(argv[1]) == "inspect") return inspect_command_main(argc - 1, argv + 1);
    if (argc >= 2 && std::string_view(argv[1]) == "read-attention")
        return read_attention_main(argc - 1, argv + 1);
    if (argc >= 2 && std::string_view(argv[1]) == "export-attention")
        return export_attention_main(argc - 1, argv + 1);
    const CliOptions& opt = out.opt = parse_cli(argc, argv);
    if (!opt.error.empty()) {
        std::fprintf(stderr, "attention-lab: %s\n", opt.error.c_str());
        return 2;
    }
    if (opt.help) {
        std::fputs(cli_usage(), stdout);
        return 0;
    }
    if (opt.version) {
        std::printf("attention-lab %s (Dear ImGui %s)\ntrained models: %s\ntranslations: %s\n", ATTN_VERSION,
                    IMGUI_VERSION, trained_models_dir().c_str(), i18n::catalogue_dir().c_str());
        return 0;
    }
    // --open-panel: every name must be a panel of the View menu
    const auto& list = panels();
    for (const auto& name : opt.open_panels) {
        const auto it =
            std::find_if(list.begin(), list.end(), [&](const PanelInfo& p) { return name == p.name; });
        if (it == list.end()) {
            std::string names;
            for (const auto& p : list)
                names += std::string(names.empty() ? "" : ", ") + p.name;
            std::fprintf(stderr, "attention-lab: no panel named '%s' (panels: %s)\n", name.c_str(),
                         names.c_str());
            return 2;
        }
        out.open_panels.push_back(static_cast<int>(it - list.begin()));
    }
    if (!opt.script.empty()) {
        out.script = load_script(opt.script);
        if (!out.script.errors.empty() && out.script.errors.front().line == 0) {
            std::fprintf(stderr, "attention-lab: %s\n",
                         format_script_message(opt.script, out.script.errors.front()).c_str());
            return 2;
        }
    }
    // --lesson: a built-in name or a file. An unreadable file ends the run like an unreadable script; a
    // lesson with mistakes opens the app with its lines listed in a window.
    if (!opt.lesson.empty()) {
        out.lesson = builtin_lesson(opt.lesson);
        out.lesson_file = out.lesson ? "built-in lesson " + opt.lesson : opt.lesson;
        if (!out.lesson) out.lesson = std::make_shared<const Lesson>(load_lesson(opt.lesson));
        if (!out.lesson->errors.empty() && out.lesson->errors.front().line == 0) {
            std::fprintf(stderr, "attention-lab: %s\n",
                         format_script_message(opt.lesson, out.lesson->errors.front()).c_str());
            return 2;
        }
    }
    // Screenshots and benchmarks neither read nor write preferences or the window layout (reproducible).
    out.persist = opt.screenshot.empty() && opt.bench_frames == 0;
    if (out.persist) out.cfg_dir = config_dir();
    if (!out.cfg_dir.empty()) {
        out.ini_path = out.cfg_dir + "/imgui.ini";
        out.prefs_path = out.cfg_dir + "/prefs.json";
        std::error_code ec;
        std::filesystem::create_directories(out.cfg_dir, ec);
    }
    return std::nullopt;
}

void start_app(App& app, const Startup& s, float content_scale, Persistence& persistence) {
    app.ui.content_scale = content_scale;
    if (s.opt.flash_step >= 0) app.ui.flash.requested_step = s.opt.flash_step;
    ensure_layout(app.ui);
    persistence.ini_path = s.ini_path;
    persistence.prefs_path = s.prefs_path;
    if (s.persist) persistence.autosave_dir = state_dir();
    persist_start(persistence, app); // layout, preferences, and the offer to restore after a crash
    i18n::set_language(app.ui.comfort.language); // the preferences' language, before a lesson is picked
    app.ui.comfort.applied_language = app.ui.comfort.language;
    if (!app.ui.status.empty()) std::fprintf(stderr, "attention-lab: %s\n", app.ui.status.c_str());
    const bool session = !s.opt.session.empty();
    if (session)
        if (auto e = open_session_file(app, s.opt.session); !e.empty()) {
            std::fprintf(stderr, "attention-lab: %s\n", e.c_str());
            app.ui.status = e; // the default state opens, with the reason on the status line
        }
    for (const int i : s.open_panels)
        show_panel(app.ui, i); // the last one named is in front
    if (s.opt.bench_frames > 0) app.ui.panel_open.assign(panels().size(), true);
    if (s.opt.script.empty() && s.opt.bench_frames == 0 && !session) show_first_screen(app);
    if (!s.opt.script.empty())
        for (const auto& msg : run_script(app, s.script, s.opt.script))
            std::fprintf(stderr, "attention-lab: %s\n", msg.c_str());
    if (s.lesson) {
        // a built-in lesson in the language just chosen (the command line was read before the preferences)
        const auto builtin = builtin_lesson(s.opt.lesson);
        if (auto e = start_lesson(app, builtin ? builtin : s.lesson, s.lesson_file, 0.0); !e.empty())
            std::fprintf(stderr, "attention-lab: %s\n", e.c_str());
        else if (s.opt.lesson_page > 1)
            enter_lesson_page(app, s.opt.lesson_page - 1, 0.0);
        for (const auto& msg : app.ui.lesson.problems)
            std::fprintf(stderr, "attention-lab: %s\n", msg.c_str());
    }
}

void finish_app(App& app, Persistence& persistence) {
    if (auto e = persist_exit(persistence, app); !e.empty())
        std::fprintf(stderr, "attention-lab: %s\n", e.c_str());
}

} // namespace attn
