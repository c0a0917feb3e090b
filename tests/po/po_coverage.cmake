# The catalogues cover the code: every string passed to _() / N_() / C_() / P_() / L_() in the interface's
# sources (extracted here with xgettext, as update-po does) must be in po/attention-lab.pot and translated
# (not empty, not fuzzy) in every po/<lang>.po. Fails with the strings that are missing.
# Inputs: SOURCE_DIR, OUT_DIR, XGETTEXT, MSGCMP, SOURCES (;-list, relative to SOURCE_DIR), ARGS, LINGUAS.
file(MAKE_DIRECTORY ${OUT_DIR})
set(extracted ${OUT_DIR}/extracted.pot)
execute_process(COMMAND ${XGETTEXT} ${ARGS} -o ${extracted} ${SOURCES}
  WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext failed (${rc}): ${err}")
endif()
if(NOT EXISTS ${extracted})
  message(FATAL_ERROR "xgettext found no translatable strings in the sources")
endif()
# the template holds every string of the code (its msgstrs are empty by design)
execute_process(COMMAND ${MSGCMP} --use-untranslated ${SOURCE_DIR}/po/attention-lab.pot ${extracted}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "po/attention-lab.pot is missing strings of the code (run the update-po target):\n${err}")
endif()
foreach(lang ${LINGUAS})
  execute_process(COMMAND ${MSGCMP} ${SOURCE_DIR}/po/${lang}.po ${extracted}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "po/${lang}.po lacks a translation of strings in the code:\n${err}")
  endif()
endforeach()
message(STATUS "every string of the interface is in the template and translated in: ${LINGUAS}")
