# GUI test: the real window under Xvfb writes a screenshot; png_check verifies size and the heatmap region.
# Also checks that without a display the app exits non-zero with a one-line message.
file(MAKE_DIRECTORY ${OUT_DIR})
set(png ${OUT_DIR}/default.png)
set(regions ${OUT_DIR}/default.json)
file(REMOVE ${png} ${regions})
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" ${APP} --screenshot ${png} --frames 4 --size 1280x800 --regions ${regions}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "screenshot run failed (${rc}): ${out} ${err}")
endif()
execute_process(COMMAND ${CHECK} ${png} 1280 800 ${regions} heatmap RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "screenshot check failed")
endif()

# No display: must fail cleanly with a message, not crash.
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY ${APP} --screenshot ${OUT_DIR}/none.png
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(rc EQUAL 0 OR NOT err MATCHES "no display")
  message(FATAL_ERROR "without a display expected a non-zero exit and a message, got ${rc}: ${err}")
endif()
if(EXISTS ${OUT_DIR}/none.png)
  message(FATAL_ERROR "a screenshot was written without a display")
endif()

# The Scaling panel opened from the command line: its FLOPs and memory plots must be drawn (not one flat
# colour), and an unknown panel name must be refused with a message.
set(png ${OUT_DIR}/scaling.png)
set(regions ${OUT_DIR}/scaling.json)
file(REMOVE ${png} ${regions})
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" ${APP} --screenshot ${png} --frames 4 --size 1280x800
          --regions ${regions} --open-panel Scaling
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scaling screenshot run failed (${rc}): ${out} ${err}")
endif()
execute_process(COMMAND ${CHECK} ${png} 1280 800 ${regions} scaling_flops_plot scaling_memory_plot
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scaling screenshot check failed")
endif()
execute_process(COMMAND ${APP} --open-panel NoSuchPanel --screenshot ${OUT_DIR}/none2.png
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 2 OR NOT err MATCHES "no panel named")
  message(FATAL_ERROR "an unknown --open-panel name should exit 2 with a message, got ${rc}: ${err}")
endif()

# The Flash panel midway through its sweep (--flash-step): the score grid and the highlighted current tile
# must both be drawn (not one flat colour), and a bad --flash-step value is refused with exit 2.
set(png ${OUT_DIR}/flash.png)
set(regions ${OUT_DIR}/flash.json)
file(REMOVE ${png} ${regions})
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1600x1000x24" ${APP} --screenshot ${png} --frames 4 --size 1280x800
          --regions ${regions} --open-panel Flash --flash-step 6
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "flash screenshot run failed (${rc}): ${out} ${err}")
endif()
execute_process(COMMAND ${CHECK} ${png} 1280 800 ${regions} flash_grid flash_tile
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "flash screenshot check failed")
endif()
execute_process(COMMAND ${APP} --flash-step -1 --screenshot ${OUT_DIR}/none3.png
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 2 OR NOT err MATCHES "flash-step")
  message(FATAL_ERROR "a negative --flash-step should exit 2 with a message, got ${rc}: ${err}")
endif()
