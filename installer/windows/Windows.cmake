# Windows installer: NSIS (cpack -G NSIS64) or WiX (cpack -G WIX). Build on Windows with the Qt 6
# MSVC or MinGW kit and OpenSSL 3; see installer/README.md. On Linux only the NSIS part can
# be smoke-tested (Debian's nsis package), since cpack has no WiX generator there.

# QML sources that windeployqt scans for imports, so that it copies exactly the QML modules used.
set(TKTALK_QML_SCAN_DIRS "")
foreach(dir IN ITEMS qml src/qml src/client)
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${dir})
        list(APPEND TKTALK_QML_SCAN_DIRS ${PROJECT_SOURCE_DIR}/${dir})
    endif()
endforeach()

if(WIN32)
    # The icon inside tktalk.exe (Explorer, taskbar, the installer's shortcuts).
    target_sources(tktalk PRIVATE ${TKTALK_ICON_DIR}/tktalk.rc)

    # windeployqt copies the Qt DLLs, the platform plugin, the TLS backend plugins (plugins/tls)
    # and the QML modules the client imports next to tktalk.exe, at install (and so at cpack) time.
    find_program(TKTALK_WINDEPLOYQT windeployqt HINTS ${QT6_INSTALL_PREFIX}/bin REQUIRED)
    set(qml_dir_args "")
    foreach(dir IN LISTS TKTALK_QML_SCAN_DIRS)
        string(APPEND qml_dir_args " --qmldir \"${dir}\"")
    endforeach()
    install(CODE "
        execute_process(COMMAND \"${TKTALK_WINDEPLOYQT}\" --release --no-translations --no-system-d3d-compiler
                                --no-opengl-sw ${qml_dir_args}
                                \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/tktalk.exe\"
                        RESULT_VARIABLE result)
        if(NOT result EQUAL 0)
            message(FATAL_ERROR \"windeployqt failed: \${result}\")
        endif()")

    # windeployqt does not ship OpenSSL: tktalk.exe links libcrypto, and Qt's TLS plugin loads libssl.
    # The DLLs sit in <root>/bin beside <root>/include, in the Win64 OpenSSL and vcpkg layouts alike.
    file(GLOB openssl_dlls ${OPENSSL_INCLUDE_DIR}/../bin/libcrypto-3*.dll ${OPENSSL_INCLUDE_DIR}/../bin/libssl-3*.dll)
    if(NOT openssl_dlls)
        message(WARNING "OpenSSL 3 DLLs not found in ${OPENSSL_INCLUDE_DIR}/../bin: the installer will lack TLS")
    endif()
    install(FILES ${openssl_dlls} DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# NSIS
set(CPACK_NSIS_PACKAGE_NAME tktalk)
set(CPACK_NSIS_DISPLAY_NAME "tktalk ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON ${TKTALK_ICON_DIR}/tktalk.ico)
set(CPACK_NSIS_MUI_UNIICON ${TKTALK_ICON_DIR}/tktalk.ico)
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\tktalk.exe")
set(CPACK_NSIS_URL_INFO_ABOUT ${PROJECT_HOMEPAGE_URL})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin) # CPACK_PACKAGE_EXECUTABLES: a Start menu entry "tktalk"
set(CPACK_NSIS_MUI_FINISHPAGE_RUN tktalk.exe)

# WiX. The upgrade code must never change: it is how Windows recognises a newer tktalk.
set(CPACK_WIX_UPGRADE_GUID "6B0E5B8C-3D1F-4E47-9C5A-7A1D2B3C4E5F")
set(CPACK_WIX_PRODUCT_ICON ${TKTALK_ICON_DIR}/tktalk.ico)
set(CPACK_WIX_PROGRAM_MENU_FOLDER tktalk)
set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT ${PROJECT_HOMEPAGE_URL})
