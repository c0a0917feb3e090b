# Generates the OpenGL 3.3 core loader with Debian's python3-glad into the build tree.
# --reproducible keeps glad from trying to download the Khronos specs (there is no network).
find_program(GLAD_EXECUTABLE glad PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
set(GLAD_OUT ${CMAKE_BINARY_DIR}/glad)
add_custom_command(
  OUTPUT ${GLAD_OUT}/src/gl.c ${GLAD_OUT}/include/glad/gl.h
  COMMAND ${GLAD_EXECUTABLE} --quiet --reproducible --api=gl:core=3.3 --out-path=${GLAD_OUT} c
  COMMENT "Generating the OpenGL 3.3 core loader with glad"
  VERBATIM)
add_library(glad_gl STATIC ${GLAD_OUT}/src/gl.c)
target_include_directories(glad_gl SYSTEM PUBLIC ${GLAD_OUT}/include)
target_link_libraries(glad_gl PUBLIC ${CMAKE_DL_LIBS})
