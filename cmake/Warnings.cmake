# attn_set_options(target): our warning set, optional -Werror, sanitizers and host vector instructions.
# Debian's headers come in through imported targets / SYSTEM includes, so these flags only judge our code.
# Never -ffast-math: it breaks the -inf entries that masks rely on.
function(attn_set_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  # GCC 12 reports false "may be used uninitialized" inside avx512fintrin.h when Eigen's AVX-512 kernels
  # are inlined into our functions; the location is a system header, the warning cannot be acted on.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(ATTN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(ATTN_NATIVE)
  add_compile_options(-march=native)
endif()
# The fuzz build instruments every library for libFuzzer's coverage and checks it with ASan + UBSan; only
# the fuzz targets link libFuzzer's main (tests/fuzz/CMakeLists.txt).
if(ATTN_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(ATTN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
