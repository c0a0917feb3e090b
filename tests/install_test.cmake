# Install test: `cmake --install` into a fresh prefix, then the installed program must find the trained
# models and translations it was installed with (not the source or build tree's), and report them with
# --version.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}): ${out} ${err}")
endif()
foreach(f bin/attention-lab share/attention-lab/models/pronoun.atlm share/attention-lab/models/induction.atlm
          share/attention-lab/models/reversal.atlm share/locale/de/LC_MESSAGES/attention-lab.mo
          share/attention-lab/lessons/attention.de.md)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=ATTN_MODELS_DIR ${PREFIX}/bin/attention-lab --version
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "trained models: ${PREFIX}/share/attention-lab/models")
  message(FATAL_ERROR "the installed program does not use its installed models: ${rc} ${out} ${err}")
endif()
# and its installed translations (share/locale), not the build tree's
if(NOT out MATCHES "translations: ${PREFIX}/share/locale")
  message(FATAL_ERROR "the installed program does not use its installed translations: ${out}")
endif()
file(REMOVE_RECURSE ${PREFIX})
