# GUI test: the real window under Xvfb writes screenshots; png_check verifies each PNG's size and that the
# named regions the app recorded (--regions) are present and not one flat colour. Bad command lines must be
# refused with exit 2 and a message, and without a display the app exits non-zero with a one-line message.
# Under the sanitizers, the OpenGL driver that GLFW loads (Mesa) leaks a few strdup'd strings at exit;
# that is not our code and cannot be suppressed by name, so leak checking is off for the window runs only
# (the core and app suites keep it).
if(SANITIZE)
  set(ENV{ASAN_OPTIONS} "detect_leaks=0")
endif()
file(MAKE_DIRECTORY ${OUT_DIR})

# shoot(NAME ARGS <app options...> REGIONS <region names...> [SCRIPT <json>] [EXPECT_STDERR <regex>]
#       [SIZE WxH] [LANGUAGE de])
# Renders a screenshot (1280x800 unless SIZE) with the given options (and a script written from SCRIPT) in
# the environment's language (English here) or LANGUAGE, then checks it.
function(shoot name)
  cmake_parse_arguments(S "" "SCRIPT;EXPECT_STDERR;SIZE;LANGUAGE" "ARGS;REGIONS" ${ARGN})
  if(NOT S_SIZE)
    set(S_SIZE 1280x800)
  endif()
  string(REPLACE "x" ";" wh ${S_SIZE})
  list(GET wh 0 w)
  list(GET wh 1 h)
  if(S_LANGUAGE)
    set(ENV{LANGUAGE} ${S_LANGUAGE})
  endif()
  set(png ${OUT_DIR}/${name}.png)
  set(regions ${OUT_DIR}/${name}.regions.json)
  file(REMOVE ${png} ${regions})
  set(args ${S_ARGS})
  if(S_SCRIPT)
    set(script ${OUT_DIR}/${name}_script.json)
    file(WRITE ${script} "${S_SCRIPT}")
    list(APPEND args --script ${script})
  endif()
  execute_process(
    COMMAND ${XVFB_RUN} -a -s "-screen 0 2600x1700x24" ${APP} --screenshot ${png} --frames 4 --size ${S_SIZE}
            --regions ${regions} ${args}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  unset(ENV{LANGUAGE})
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name} screenshot run failed (${rc}): ${out} ${err}")
  endif()
  if(S_EXPECT_STDERR AND NOT err MATCHES "${S_EXPECT_STDERR}")
    message(FATAL_ERROR "${name}: expected a message matching '${S_EXPECT_STDERR}', got: ${err}")
  endif()
  execute_process(COMMAND ${CHECK} ${png} ${w} ${h} ${regions} ${S_REGIONS}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${name}: ${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${name} screenshot check failed")
  endif()
endfunction()

# refuse(NAME EXIT <code> MATCH <regex> ARGS <app options...>): the app must exit with that code and message,
# and write no screenshot.
function(refuse name)
  cmake_parse_arguments(R "" "EXIT;MATCH" "ARGS" ${ARGN})
  set(png ${OUT_DIR}/${name}.png)
  file(REMOVE ${png})
  execute_process(COMMAND ${R_ARGS} --screenshot ${png}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(R_EXIT STREQUAL "nonzero")
    set(bad_code FALSE)
    if(rc EQUAL 0)
      set(bad_code TRUE)
    endif()
  elseif(NOT rc EQUAL R_EXIT)
    set(bad_code TRUE)
  endif()
  if(bad_code OR NOT err MATCHES "${R_MATCH}")
    message(FATAL_ERROR "${name}: expected exit ${R_EXIT} and a message matching '${R_MATCH}', got ${rc}: ${err}")
  endif()
  if(EXISTS ${png})
    message(FATAL_ERROR "${name}: a screenshot was written although the run was refused")
  endif()
endfunction()

# The default window: the running example's heatmap.
shoot(default REGIONS heatmap)
refuse(no_display EXIT nonzero MATCH "no display"
  ARGS ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY ${APP})

# The Scaling panel opened from the command line: its FLOPs and memory plots.
shoot(scaling ARGS --open-panel Scaling REGIONS scaling_flops_plot scaling_memory_plot)
# A measurement started by a script: the screenshot waits for it, and the timed plot is scrolled into view.
shoot(measured REGIONS scaling_measured_plot
  SCRIPT "[{\"ui\": \"OpenPanel\", \"name\": \"Scaling\"}, {\"ui\": \"Measure\", \"up_to\": 1024}]")
refuse(unknown_panel EXIT 2 MATCH "no panel named" ARGS ${APP} --open-panel NoSuchPanel)

# The Flash panel midway through its sweep: the score grid and the highlighted current tile.
shoot(flash ARGS --open-panel Flash --flash-step 6 REGIONS flash_grid flash_tile flash_memory_plot)
refuse(bad_flash_step EXIT 2 MATCH "flash-step" ARGS ${APP} --flash-step -1)

# The attention views, each opened by a script in a model that shows it well (4 heads, 2 layers, causal,
# one head switched off, "it" selected).
set(model "{\"cmd\": \"SetConfig\", \"config\": {\"n_heads\": 4, \"n_kv_heads\": 4, \"n_layers\": 2, \"mask\": \"causal\"}}")
set(pick "{\"ui\": \"SelectQuery\", \"token\": 7}")
shoot(view_arc REGIONS arc SCRIPT "[${model}, ${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Arc view\"}]")
shoot(view_heads_grid REGIONS heads_grid SCRIPT
  "[${model}, {\"cmd\": \"ToggleHead\", \"layer\": 1, \"head\": 2}, {\"ui\": \"OpenPanel\", \"name\": \"Heads grid\"}]")
shoot(view_step REGIONS step SCRIPT "[${model}, ${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Step by step\"}]")
shoot(view_qkv REGIONS qkv SCRIPT "[${model}, ${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Q/K/V\"}]")
# Grouped query attention: 8 query heads over 2 key/value heads, the heads grid boxed by key/value head.
shoot(view_heads_grid_gqa REGIONS heads_grid SCRIPT
  "[{\"cmd\": \"SetConfig\", \"config\": {\"n_heads\": 8, \"n_kv_heads\": 2, \"n_layers\": 2, \"mask\": \"causal\"}}, {\"ui\": \"OpenPanel\", \"name\": \"Heads grid\"}]")
# The KV cache of Llama-2-7B (the panel's first model): MHA, a GQA row per divisor of 32 heads, MQA.
shoot(kv_cache ARGS --open-panel "KV cache" REGIONS kv_layouts)
# The light theme's Decoding view: its plot and the "now" marker, in ink that reads on white.
shoot(decoding_light REGIONS decoding_plot SCRIPT
  "[{\"ui\": \"SetTheme\", \"theme\": \"light\"}, {\"ui\": \"OpenPanel\", \"name\": \"Decoding\"}]")
# The playground opened on the live model makes d_head = 2 itself: the plane is drawn without a button.
shoot(view_playground_ready REGIONS playground SCRIPT "[${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Playground\"}]")
shoot(view_playground REGIONS playground SCRIPT
  "[{\"cmd\": \"SetConfig\", \"config\": {\"n_heads\": 2, \"n_kv_heads\": 2, \"d_head\": 2}}, ${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Playground\"}]")
# The playground at a projector's size and text: its labels placed clear of each other (the output's label
# is recorded once placed), in German with its longer table headings, and at 1,024 tokens, where the keys
# with the largest weights are arrows and the rest dots: the plane is drawn, not a message.
set(present "{\"ui\": \"SetPresentation\", \"on\": true}")
shoot(view_playground_presentation_de LANGUAGE de REGIONS playground playground_label_0 SCRIPT
  "[${present}, ${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Playground\"}]")
file(READ ${CMAKE_CURRENT_LIST_DIR}/bench_1024_tokens.json long_text_script)
string(REGEX REPLACE "\\][ \t\r\n]*$" "" long_text_script "${long_text_script}")
shoot(view_playground_1024 REGIONS playground playground_label_0 SCRIPT
  "${long_text_script}, ${present}, {\"ui\": \"OpenPanel\", \"name\": \"Playground\"}]")

# Two panes from a script: the heatmap on the left, the arc view beside it on the right, both drawn.
shoot(split REGIONS heatmap arc SCRIPT
  "[${model}, ${pick}, {\"ui\": \"OpenPanel\", \"name\": \"Arc view\", \"side\": 2}]")

# Tokens and Model panels driven by a script (GQA preset, one head off, a padding token, help open, one bad
# entry): chips, sentence box, K/V sharing diagram and shortcut table are drawn, and the bad entry is
# reported with its line while the rest still runs. A missing script file exits 2. The Model panel alone in
# the sidebar shows its per-head ablation bars too (at 800 pixels high they sit below the Tokens panel's
# fold otherwise).
shoot(ablation REGIONS model_kv_diagram model_ablation SCRIPT
  "[{\"cmd\": \"LoadPreset\", \"name\": \"gqa\"}, {\"cmd\": \"ToggleHead\", \"layer\": 0, \"head\": 1}, {\"ui\": \"ClosePanel\", \"name\": \"Tokens\"}]")
shoot(classroom REGIONS tokens_chips tokens_sentence model_kv_diagram help_shortcuts
  EXPECT_STDERR "classroom_script.json:5: unknown command \"NoSuchCommand\""
  SCRIPT "[\n  {\"cmd\": \"LoadPreset\", \"name\": \"gqa\"},\n  {\"cmd\": \"ToggleHead\", \"layer\": 0, \"head\": 1},\n  {\"cmd\": \"SetPadding\", \"index\": 3, \"padding\": true},\n  {\"cmd\": \"NoSuchCommand\"},\n  {\"ui\": \"ShowHelp\", \"on\": true}\n]\n")
refuse(missing_script EXIT 2 MATCH "cannot open" ARGS ${APP} --script ${OUT_DIR}/no_such_script.json)
refuse(script_is_a_folder EXIT 2 MATCH "is a folder" ARGS ${APP} --script ${OUT_DIR})
# Issue 16: a stray '}' used to hang the app with memory growing; now it is reported and the window opens.
# A session passed as a file manager does (attention-lab FILE.json) that cannot be read opens the default
# state with the reason on stderr and the status line.
shoot(stray_brace REGIONS heatmap EXPECT_STDERR "closes nothing"
  SCRIPT "[{\"cmd\": \"SetText\", \"text\": \"The cat sat on the mat\"}}]")
file(WRITE ${OUT_DIR}/broken_session.json "{\"format\": \"attention-lab-session\", \"version\": 1, \"tokens\": [1e999]}")
shoot(broken_session_argument REGIONS heatmap EXPECT_STDERR "broken_session.json: .*number overflow"
  ARGS ${OUT_DIR}/broken_session.json)

# Presentation mode (large rebuilt font, high contrast) from a script: the panels still draw their regions.
shoot(presentation REGIONS tokens_chips heatmap
  SCRIPT "[ {\"ui\": \"SetPresentation\", \"on\": true}, {\"cmd\": \"LoadPreset\", \"name\": \"wide\"} ]\n")

# Imported attention (issue 14): a trained model's attention exported as .npz by the command line, then
# read back through a script as File → Import attention reads it; the heatmap shows it under the
# "imported:" banner, and a view that needs q, k and v says what an import lacks. A damaged file is
# reported with its name and the window opens on the default state.
execute_process(COMMAND ${APP} export-attention --model english
    --text "The animal didn't cross the street because it was too wide" --out ${OUT_DIR}/exported.npz
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "export-attention failed (${rc}): ${out} ${err}")
endif()
shoot(imported_heatmap REGIONS heatmap import_banner
  SCRIPT "[{\"cmd\": \"ImportAttention\", \"path\": \"${OUT_DIR}/exported.npz\"}, {\"ui\": \"SelectHead\", \"layer\": 1, \"head\": 0}, {\"ui\": \"SelectQuery\", \"token\": 7}, {\"ui\": \"OpenPanel\", \"name\": \"Heatmap\"}]")
shoot(imported_step REGIONS import_banner
  SCRIPT "[{\"cmd\": \"ImportAttention\", \"path\": \"${OUT_DIR}/exported.npz\"}, {\"ui\": \"OpenPanel\", \"name\": \"Step by step\"}]")
file(WRITE ${OUT_DIR}/damaged.npz "PK not really an archive")
shoot(imported_damaged REGIONS heatmap EXPECT_STDERR "damaged.npz: not a .npz file"
  SCRIPT "[{\"cmd\": \"ImportAttention\", \"path\": \"${OUT_DIR}/damaged.npz\"}]")

# A model trained from the command line with RoPE and multi-query attention (issue 11): `train` builds it
# with the options given, the file keeps them (inspect reads RoPE and one K/V head back), and the window
# loads it. A short run: what is checked is the variant reaching the file and the app, not the training.
execute_process(COMMAND ${APP} train --task pronoun --positions rope --kv-heads 1 --steps 30 --eval-every 30
    --out ${OUT_DIR}/rope_mqa.atlm
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT out MATCHES "2 heads \\(1 kv\\)[^\n]*RoPE positions")
  message(FATAL_ERROR "train --positions rope --kv-heads 1 failed or ignored an option (${rc}): ${out} ${err}")
endif()
execute_process(COMMAND ${APP} inspect --model ${OUT_DIR}/rope_mqa.atlm --json
    --text "the dog didn't cross the street because it was too tired"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"heads\": 2, \"kv_heads\": 1" OR NOT out MATCHES "\"positions\": \"RoPE\"")
  message(FATAL_ERROR "the trained file lost RoPE or MQA (${rc}): ${out} ${err}")
endif()
shoot(trained_rope_mqa REGIONS model_kv_diagram heatmap
  SCRIPT "[{\"cmd\": \"LoadTrainedModel\", \"source\": \"${OUT_DIR}/rope_mqa.atlm\"}, {\"cmd\": \"SetText\", \"text\": \"the dog didn't cross the street because it was too tired\"}, {\"ui\": \"SelectHead\", \"layer\": 1, \"head\": 0}]")

# A lesson with mistakes: the app opens as usual with a window listing each mistake's line, and says so on
# stderr; a lesson file that cannot be read ends the run like an unreadable script.
file(WRITE ${OUT_DIR}/broken_lesson.md "lang: en\n# A page\n```steps\nSetTxt text=hello\n```\n")
shoot(broken_lesson REGIONS lesson_error heatmap EXPECT_STDERR "broken_lesson.md:4: unknown command \"SetTxt\""
  ARGS --lesson ${OUT_DIR}/broken_lesson.md)
refuse(missing_lesson EXIT 2 MATCH "cannot open" ARGS ${APP} --lesson ${OUT_DIR}/no_such_lesson.md)

# Every page of the built-in lessons in presentation mode, at a classroom projector's 1280x800 and at
# 1920x1080: the lesson text and the view beside it are drawn, the body text is at least 40 px tall at 1080
# lines (and in proportion at 800), and no step of any page reports a problem (printed on stderr as
# "built-in lesson NAME:LINE: ..."). Pages are counted in the file: "# " lines outside ``` blocks.
function(count_pages file out)
  file(STRINGS ${file} lines)
  set(n 0)
  set(fenced FALSE)
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*```")
      if(fenced)
        set(fenced FALSE)
      else()
        set(fenced TRUE)
      endif()
    elseif(NOT fenced AND line MATCHES "^# ")
      math(EXPR n "${n} + 1")
    endif()
  endforeach()
  set(${out} ${n} PARENT_SCOPE)
endfunction()

# shoot_lesson(NAME [LANGUAGE de]): in German the app picks NAME.de.md, whose pages are counted.
function(shoot_lesson lesson)
  cmake_parse_arguments(L "" "LANGUAGE" "" ${ARGN})
  set(file ${lesson})
  set(tag ${lesson})
  if(L_LANGUAGE)
    set(file ${lesson}.${L_LANGUAGE})
    set(tag ${lesson}_${L_LANGUAGE})
    set(ENV{LANGUAGE} ${L_LANGUAGE})
  endif()
  count_pages(${LESSONS_DIR}/${file}.md pages)
  if(pages LESS 2)
    message(FATAL_ERROR "${file}.md: found ${pages} pages")
  endif()
  file(WRITE ${OUT_DIR}/presentation_script.json "[{\"ui\": \"SetPresentation\", \"on\": true}]")
  foreach(size 1280x800 1920x1080)
    string(REPLACE "x" ";" wh ${size})
    list(GET wh 0 w)
    list(GET wh 1 h)
    math(EXPR min_px "40 * ${h} / 1080")
    # one run writes every page: NAME-01.png, NAME-02.png, ... with their regions
    set(base ${OUT_DIR}/lesson_${tag}_${size})
    file(GLOB old ${base}-*)
    if(old)
      file(REMOVE ${old})
    endif()
    execute_process(
      COMMAND ${XVFB_RUN} -a -s "-screen 0 2000x1200x24" ${APP} --screenshot ${base}.png --frames 3 --size ${size}
              --regions ${base}.regions.json --script ${OUT_DIR}/presentation_script.json
              --lesson ${lesson} --lesson-page all
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "lesson ${lesson} at ${size}: screenshot run failed (${rc}): ${out} ${err}")
    endif()
    if(err MATCHES "built-in lesson")
      message(FATAL_ERROR "lesson ${lesson} at ${size}: a page's steps failed: ${err}")
    endif()
    foreach(page RANGE 1 ${pages})
      if(page LESS 10)
        set(page 0${page})
      endif()
      set(name lesson_${tag}_${size}-${page})
      set(png ${OUT_DIR}/${name}.png)
      set(regions ${OUT_DIR}/${name}.regions.json)
      execute_process(COMMAND ${CHECK} ${png} ${w} ${h} ${regions} lesson lesson_text lesson_counter
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${name} screenshot check failed: ${out}${err}")
      endif()
      # the page counter is drawn in the body font: its height is the body text's size
      file(READ ${regions} json)
      if(NOT json MATCHES "\"lesson_counter\": \\[[^,]+, [^,]+, [^,]+, ([0-9.]+)\\]")
        message(FATAL_ERROR "${name}: no lesson_counter region")
      endif()
      set(px ${CMAKE_MATCH_1})
      if(px LESS min_px)
        message(FATAL_ERROR "${name}: body text is ${px} px, less than ${min_px} px")
      endif()
      # the counter ("4 / 16") ends inside the lesson pane: a clipped digit is a wrong page number
      string(REGEX MATCH "\"lesson_counter\": \\[([0-9]+)[0-9.]*, [^,]+, ([0-9]+)" m "${json}")
      math(EXPR counter_end "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
      string(REGEX MATCH "\"lesson\": \\[([0-9]+)[0-9.]*, [^,]+, ([0-9]+)" m "${json}")
      math(EXPR pane_end "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
      if(counter_end GREATER pane_end)
        message(FATAL_ERROR "${name}: the page counter ends at x=${counter_end}, past the lesson pane (${pane_end})")
      endif()
    endforeach()
  endforeach()
  unset(ENV{LANGUAGE})
  message("lesson ${tag}: ${pages} pages at 1280x800 and 1920x1080 checked")
endfunction()
shoot_lesson(attention)
shoot_lesson(kv-cache)
shoot_lesson(attention LANGUAGE de)

# The interface in German (LANGUAGE=de): the first screen, the Model panel with its long labels, the
# Explanations and Scaling views, at 1280x800 and in presentation mode at 1920x1080 (look at them for clipped
# labels: German words are long).
foreach(size 1280x800 1920x1080)
  set(present "")
  if(size STREQUAL "1920x1080")
    set(present "{\"ui\": \"SetPresentation\", \"on\": true}, ")
  endif()
  # the running example as the first screen shows it: the referent head, "it" selected, the answer beside it
  shoot(german_default_${size} SIZE ${size} LANGUAGE de REGIONS heatmap tokens_chips SCRIPT
    "[${present}{\"cmd\": \"LoadPreset\", \"name\": \"tired\"}, {\"ui\": \"SelectHead\", \"layer\": 1, \"head\": 3}, {\"ui\": \"SelectQuery\", \"token\": 7}]")
  shoot(german_scaling_${size} SIZE ${size} LANGUAGE de REGIONS scaling_flops_plot SCRIPT
    "[${present}{\"ui\": \"OpenPanel\", \"name\": \"Scaling\"}]")
  shoot(german_explanations_${size} SIZE ${size} LANGUAGE de REGIONS explain_table SCRIPT
    "[${present}{\"cmd\": \"LoadPreset\", \"name\": \"looked-at\"}, {\"ui\": \"OpenPanel\", \"name\": \"Explanations\"}]")
  shoot(german_kv_${size} SIZE ${size} LANGUAGE de REGIONS kv_layouts model_kv_diagram SCRIPT
    "[${present}{\"ui\": \"OpenPanel\", \"name\": \"KV cache\"}]")
endforeach()

# A 1,024-token heatmap zoomed by a script onto a readable region around row 500: the minimap appears (only
# when zoomed) and the row labels of the cells on screen are drawn.
string(REPEAT "the animal did not cross the street because it was too tired and the dog ran " 64 long_text)
# The map is copied to the screen pixel for pixel (app/gfx/heatmap_renderer.cpp): a causal mask must show
# its hatching top right and the weights bottom left, at 11 and 1,024 tokens and at twice the pixel scale.
set(causal "{\"cmd\": \"SetMask\", \"kind\": \"causal\"}")
shoot(causal_map REGIONS heatmap:causal SCRIPT "[${causal}]")
shoot(causal_map_long REGIONS heatmap:causal SCRIPT "[{\"cmd\": \"SetText\", \"text\": \"${long_text}\"}, ${causal}]")
shoot(causal_map_scale2 SIZE 2560x1600 ARGS --scale 2 REGIONS heatmap:causal SCRIPT "[${causal}]")
shoot(long_zoomed REGIONS heatmap heatmap_minimap heatmap_row_labels
  SCRIPT "[{\"cmd\": \"SetText\", \"text\": \"${long_text}\"}, {\"ui\": \"ZoomHeatmap\", \"zoom\": 40, \"row\": 500, \"col\": 490}]")

# HiDPI: --scale 2 stands in for a 2x monitor's content scale: fonts are built at twice the size (sharp, not
# stretched) and the controls scale with them, in a 2560x1600 window; a scale out of range is refused.
shoot(hidpi_scale2 SIZE 2560x1600 ARGS --scale 2 REGIONS heatmap tokens_chips model_kv_diagram)
refuse(bad_scale EXIT 2 MATCH "--scale expects a content scale" ARGS ${APP} --scale 9)
