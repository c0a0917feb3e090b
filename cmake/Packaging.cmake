# The Debian package (make package): the program, the trained models, a menu entry, icons, AppStream
# metainfo, a man page made from --help, MIME types for sessions and lessons, and the README's screenshots
# that the metainfo shows. Built by CPack; the Makefile configures this build for baseline x86-64
# (ATTN_NATIVE=OFF) so the package runs on any 64-bit PC in a lab.
include(GNUInstallDirs)
set(ATTN_DESKTOP ${PROJECT_SOURCE_DIR}/assets/desktop)

install(FILES ${ATTN_DESKTOP}/attention-lab.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${ATTN_DESKTOP}/org.attentionlab.AttentionLab.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${ATTN_DESKTOP}/attention-lab-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME attention-lab.xml)
install(FILES ${ATTN_DESKTOP}/attention-lab.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/assets/screenshots/english_heatmap.png
              ${PROJECT_SOURCE_DIR}/assets/screenshots/heads_grid.png ${PROJECT_SOURCE_DIR}/assets/screenshots/flash.png
        DESTINATION ${CMAKE_INSTALL_DATADIR}/attention-lab/screenshots)
# the export script runs on another machine (python3 hf_attention.py ...): shipped as a plain file, so the
# package does not depend on Python (cmake/lintian-overrides)
install(FILES ${PROJECT_SOURCE_DIR}/assets/export/hf_attention.py DESTINATION ${CMAKE_INSTALL_DATADIR}/attention-lab/export)

# PNG icons rendered from the SVG, and the man page from the program's own --help, when the tools exist
# (make package installs them; a plain build does without).
find_program(RSVG_CONVERT rsvg-convert)
find_program(HELP2MAN help2man)
set(ATTN_PACKAGE_FILES)
if(RSVG_CONVERT)
  foreach(size 16 32 48 64 128 256)
    set(png ${CMAKE_BINARY_DIR}/icons/${size}/attention-lab.png)
    add_custom_command(OUTPUT ${png}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/${size}
      COMMAND ${RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${ATTN_DESKTOP}/attention-lab.svg
      DEPENDS ${ATTN_DESKTOP}/attention-lab.svg VERBATIM)
    list(APPEND ATTN_PACKAGE_FILES ${png})
    install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
  endforeach()
endif()
if(HELP2MAN)
  set(man ${CMAKE_BINARY_DIR}/attention-lab.1.gz)
  add_custom_command(OUTPUT ${man}
    COMMAND ${HELP2MAN} --no-info --section=1 --name "explore attention in transformers"
            --output ${CMAKE_BINARY_DIR}/attention-lab.1 $<TARGET_FILE:attention-lab>
    COMMAND gzip -9nf ${CMAKE_BINARY_DIR}/attention-lab.1
    DEPENDS attention-lab VERBATIM)
  list(APPEND ATTN_PACKAGE_FILES ${man})
  install(FILES ${man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
# Debian's changelog and copyright, which every package carries.
set(changelog ${CMAKE_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${changelog}
  COMMAND ${CMAKE_COMMAND} -E copy ${ATTN_DESKTOP}/changelog ${CMAKE_BINARY_DIR}/changelog
  COMMAND gzip -9nf ${CMAKE_BINARY_DIR}/changelog
  DEPENDS ${ATTN_DESKTOP}/changelog VERBATIM)
list(APPEND ATTN_PACKAGE_FILES ${changelog})
install(FILES ${changelog} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/attention-lab)
install(FILES ${ATTN_DESKTOP}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/attention-lab)
add_custom_target(package_files ALL DEPENDS ${ATTN_PACKAGE_FILES})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME attention-lab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "The Attention Lab team <team@attentionlab.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "interactive explorer of attention in transformers")
# the extended description only: CPack puts the summary above it as the synopsis
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Attention Lab teaches the attention mechanism with live numbers:
 queries, keys and values, scaled dot products, softmax and weighted sums,
 multi-head attention with heads of small models trained here, flash
 attention, multi-query and grouped-query attention and the KV cache, and why
 cost grows with the square of the prompt length. Attention exported from
 other models can be imported and explored in the same views.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core, fonts-wqy-microhei")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
