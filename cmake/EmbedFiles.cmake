# attn_embed_files(OUT_CPP NAMESPACE ns FILES a.glsl b.glsl): generates a .cpp that defines
#   std::string_view ns::<file stem with non-identifier characters replaced by _>
# Regenerated whenever an input changes, so editing a shader rebuilds the binary.
function(attn_embed_files out_cpp)
  cmake_parse_arguments(EMB "" "NAMESPACE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNAMESPACE=${EMB_NAMESPACE} "-DFILES=${EMB_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake
    DEPENDS ${EMB_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake
    COMMENT "Embedding ${EMB_NAMESPACE} sources"
    VERBATIM)
endfunction()
