// The lesson being shown (UiState::lesson): which lesson, which page, what its steps reported, and the
// window layout to give back when it ends. The lesson pane (lesson_pane.cpp) and the keys ask for a page;
// the frame loop enters it after the frame is drawn (lesson_runner.hpp).
#pragma once

#include "app/io/lesson.hpp"
#include "app/state/app_state.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attn {

struct LessonUi {
    std::shared_ptr<const Lesson> lesson;     // null: no lesson is running
    std::string file;                         // its file, or "built-in: NAME", for messages
    int page = 0;                             // the page shown (0-based)
    int requested_page = -1;                  // a page to enter after this frame (-1: none)
    bool leave_requested = false;             // leave after this frame
    std::string start_request;                // a built-in lesson to start after this frame ("attention")
    double page_entered_at = 0;               // ImGui time when the page was entered (for the hints)
    std::vector<std::string> problems;        // what the page's steps could not do ("FILE:LINE: ...")
    std::vector<std::uint8_t> task_seen_done; // (tasks of the page) the ✓ was shown once
    bool view_has_keys = false;               // a view that reads the arrows (Step by step, Flash) had the
                                              // focus last frame: arrows, Space, Home, End are its then
    bool show_all_model = false;              // the Model panel shows every control, not only the page's
    float pane_frac = 0.40f;                  // lesson width / work-area width
    float wanted_h = 0.0f;                    // the pane's height that shows the whole page (last frame)
    std::string open_error;                   // a lesson that could not be started: its messages, in a window
    // the open panels and layout before the lesson started, given back when it ends
    std::vector<bool> saved_panel_open;
    bool saved_split = false;
    bool saved_presentation = false;
    // what the learner had before the lesson (sentence, model, switches) and where they looked, given back
    // when it ends: the lesson's steps replace all of it
    std::shared_ptr<const AppState> saved_state;
    int saved_layer = 0, saved_head = 0, saved_query = -1;
    bool saved_mean_over_heads = false;
};

} // namespace attn
