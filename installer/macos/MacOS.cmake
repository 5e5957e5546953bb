# macOS: an application bundle, tktalk.app, in a disk image (cpack -G DragNDrop). Build on a Mac
# with the Qt 6 macOS kit and OpenSSL 3; see installer/README.md.

if(APPLE)
    # The bundle's icon: iconutil (part of macOS) turns the committed PNGs into tktalk.icns.
    set(iconset ${PROJECT_BINARY_DIR}/installer/tktalk.iconset)
    set(icns ${PROJECT_BINARY_DIR}/installer/tktalk.icns)
    set(iconset_commands "")
    foreach(pair IN ITEMS "16x16:16" "16x16@2x:32" "32x32:32" "32x32@2x:64" "128x128:128" "128x128@2x:256"
                          "256x256:256")
        string(REPLACE ":" ";" pair "${pair}")
        list(GET pair 0 name)
        list(GET pair 1 size)
        list(APPEND iconset_commands COMMAND ${CMAKE_COMMAND} -E copy
             ${TKTALK_ICON_DIR}/hicolor/${size}x${size}/tktalk.png ${iconset}/icon_${name}.png)
    endforeach()
    add_custom_command(OUTPUT ${icns}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${iconset}
        ${iconset_commands}
        COMMAND iconutil --convert icns --output ${icns} ${iconset}
        DEPENDS ${TKTALK_ICON_DIR}/tktalk.svg
        COMMENT "Making tktalk.icns")
    target_sources(tktalk PRIVATE ${icns})
    set_source_files_properties(${icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set_target_properties(tktalk PROPERTIES
        MACOSX_BUNDLE ON
        MACOSX_BUNDLE_BUNDLE_NAME tktalk
        MACOSX_BUNDLE_GUI_IDENTIFIER org.tktalk.tktalk
        MACOSX_BUNDLE_ICON_FILE tktalk.icns
        MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
        MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION})

    # macdeployqt copies the Qt frameworks, plugins (platforms, tls) and the QML modules the client
    # imports into the bundle and fixes their install names.
    find_program(TKTALK_MACDEPLOYQT macdeployqt HINTS ${QT6_INSTALL_PREFIX}/bin REQUIRED)
    set(qml_dir_args "")
    foreach(dir IN LISTS TKTALK_QML_SCAN_DIRS)
        string(APPEND qml_dir_args " \"-qmldir=${dir}\"")
    endforeach()
    install(CODE "
        execute_process(COMMAND \"${TKTALK_MACDEPLOYQT}\" \"\${CMAKE_INSTALL_PREFIX}/tktalk.app\" ${qml_dir_args}
                        RESULT_VARIABLE result)
        if(NOT result EQUAL 0)
            message(FATAL_ERROR \"macdeployqt failed: \${result}\")
        endif()")
endif()

set(CPACK_DMG_VOLUME_NAME tktalk)
set(CPACK_DMG_FORMAT UDZO)
set(CPACK_BUNDLE_NAME tktalk)
