# Install rules and CPack configuration for every platform's installer.
#   Linux:   cpack -G DEB     -> tktalk_<version>_<arch>.deb   (scripts/package does this)
#   Windows: cpack -G NSIS64  (or WIX) after windeployqt        (installer/README.md)
#   macOS:   cpack -G DragNDrop after macdeployqt               (installer/README.md)
# Included from the top-level CMakeLists.txt after the targets exist.

set(TKTALK_INSTALLER_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TKTALK_ICON_DIR ${PROJECT_SOURCE_DIR}/resources/icons)
set(TKTALK_ICON_SIZES 16 22 24 32 48 64 128 256)

# Packages the program loads at run time without linking them, so dpkg-shlibdeps cannot find them.
# Checked by installing into a bare Debian system and removing each one
# (scripts/test-package-chroot --without PKG; docs/INSTALL.md records what broke).
set(TKTALK_DEB_RUNTIME_DEPENDS
    # The maintainer scripts create the tktalk system user.
    adduser
    # Qt's TLS backend is a plugin (plugins/tls/libqopensslbackend.so) shipped by libqt6network6; it
    # dlopen()s libssl.so.3 from libssl3. Without them Qt has no TLS and tktalk refuses to start.
    libqt6network6
    libssl3
    # The server keeps its accounts in SQLite through Qt SQL's driver plugin (plugins/sqldrivers/
    # libqsqlite.so), which libqt6sql6 does not ship; without it the server does not start.
    libqt6sql6-sqlite)
if(TKTALK_BUILD_CLIENT)
    # QML modules the client imports, directly or through another module. QtQuick needs
    # QtQml.WorkerScript although qml6-module-qtquick does not depend on it; ApplicationWindow
    # imports QtQuick.Window; Controls needs its Templates. Each one's absence stops the client's
    # window from loading, except qml6-module-qtquick's: libQt6Quick, which tktalk links,
    # registers QtQuick itself. It stays listed because it is the package behind `import QtQuick`.
    list(APPEND TKTALK_DEB_RUNTIME_DEPENDS
        qml6-module-qtquick
        qml6-module-qtquick-controls
        qml6-module-qtquick-layouts
        qml6-module-qtquick-templates
        qml6-module-qtquick-window
        qml6-module-qtqml-workerscript)
endif()

if(UNIX AND NOT APPLE)
    include(GNUInstallDirs)
    set(TKTALK_SYSTEMD_UNIT_DIR /lib/systemd/system CACHE PATH
        "Where the system service unit is installed (Debian 12: /lib/systemd/system)")

    install(FILES ${TKTALK_INSTALLER_DIR}/linux/tktalk.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${TKTALK_ICON_DIR}/tktalk.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
    foreach(size IN LISTS TKTALK_ICON_SIZES)
        install(FILES ${TKTALK_ICON_DIR}/hicolor/${size}x${size}/tktalk.png
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    install(FILES ${TKTALK_INSTALLER_DIR}/linux/tktalk-server.service DESTINATION ${TKTALK_SYSTEMD_UNIT_DIR})
    # The service's configuration file, made from the table of settings (tst_settingsdocs keeps it
    # current); a conffile (debian/conffiles), so that dpkg keeps the administrator's changes.
    set(TKTALK_SYSCONF_DIR /etc/tktalk CACHE PATH "Where the server's configuration file is installed")
    install(FILES ${TKTALK_INSTALLER_DIR}/linux/tktalk.conf DESTINATION ${TKTALK_SYSCONF_DIR})

    # Debian wants manual pages and changelogs compressed with gzip -9n (no timestamp: reproducible).
    set(man_gz ${PROJECT_BINARY_DIR}/installer/tktalk.1.gz)
    add_custom_command(OUTPUT ${man_gz}
        COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/docs/tktalk.1 > ${man_gz}
        DEPENDS ${PROJECT_SOURCE_DIR}/docs/tktalk.1
        COMMENT "Compressing the manual page")
    add_custom_target(tktalk_manpage ALL DEPENDS ${man_gz})
    install(FILES ${man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

    # CPack strips without arguments; like dh_strip, also drop the compilers' .comment notes.
    if(CMAKE_OBJCOPY)
        install(CODE "execute_process(COMMAND \"${CMAKE_OBJCOPY}\" --remove-section=.comment
                                      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/tktalk\")")
    endif()
endif()

# --- CPack: common -------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME tktalk)
set(CPACK_PACKAGE_VENDOR "The tktalk authors")
set(CPACK_PACKAGE_CONTACT "tktalk maintainers <maintainers@tktalk.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "secure self-hosted chat: IRC-over-TLS server and Qt Quick client")
# Debian shows the description as written: keep its lines under 80 columns.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "tktalk is one program with two roles. 'tktalk' opens a desktop chat"
    "client; 'tktalk --server' runs a headless chat server that speaks IRC"
    "over TLS on port 6697, so any IRC client can use it too."
    ""
    "The server makes a self-signed certificate on first start and logs its"
    "fingerprint, or uses a certificate from a certificate authority. The"
    "package includes a hardened systemd service, tktalk-server, installed"
    "disabled.")
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_INSTALL_DIRECTORY tktalk)
set(CPACK_PACKAGE_EXECUTABLES tktalk tktalk)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/;/build[^/]*/;\\\\.deb$")
if(EXISTS ${PROJECT_SOURCE_DIR}/LICENSE)
    set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
endif()

# --- Debian package ------------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # tktalk_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
list(JOIN TKTALK_DEB_RUNTIME_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS) # merged with dpkg-shlibdeps' list
if(TKTALK_BUILD_CLIENT)
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland") # native Wayland windows; X11 works without it
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${TKTALK_INSTALLER_DIR}/linux/debian/conffiles
    ${TKTALK_INSTALLER_DIR}/linux/debian/postinst
    ${TKTALK_INSTALLER_DIR}/linux/debian/prerm
    ${TKTALK_INSTALLER_DIR}/linux/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

if(UNIX AND NOT APPLE)
    # /usr/share/doc/tktalk: the copyright file and a changelog, as Debian policy asks (tktalk is a
    # native package: changelog.gz).
    string(TIMESTAMP TKTALK_COPYRIGHT_YEAR "%Y" UTC)
    string(TIMESTAMP TKTALK_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC) # honours SOURCE_DATE_EPOCH
    if(EXISTS ${PROJECT_SOURCE_DIR}/LICENSE)
        # LICENSE is the MIT License, which the copyright format calls Expat; its text follows
        # the title line.
        set(TKTALK_LICENSE_NAME "Expat")
        file(READ ${PROJECT_SOURCE_DIR}/LICENSE license_text)
        string(REGEX REPLACE "^MIT License\n\n" "" license_text "${license_text}")
        string(REGEX REPLACE "\n$" "" license_text "${license_text}")
        string(REGEX REPLACE "\n\n" "\n.\n" license_text "${license_text}")
        string(REGEX REPLACE "\n" "\n " TKTALK_LICENSE_TEXT " ${license_text}")
    else()
        set(TKTALK_LICENSE_NAME "other")
        set(TKTALK_LICENSE_TEXT " No license has been chosen yet: all rights reserved by the authors.")
    endif()
    set(doc_dir ${PROJECT_BINARY_DIR}/installer/doc)
    configure_file(${TKTALK_INSTALLER_DIR}/linux/debian/copyright.in ${doc_dir}/copyright @ONLY)
    configure_file(${TKTALK_INSTALLER_DIR}/linux/debian/changelog.in ${doc_dir}/changelog @ONLY)
    add_custom_command(OUTPUT ${doc_dir}/changelog.gz
        COMMAND gzip -9nc ${doc_dir}/changelog > ${doc_dir}/changelog.gz
        DEPENDS ${doc_dir}/changelog)
    add_custom_target(tktalk_changelog ALL DEPENDS ${doc_dir}/changelog.gz)
    install(FILES ${doc_dir}/copyright ${doc_dir}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

include(${TKTALK_INSTALLER_DIR}/windows/Windows.cmake)
include(${TKTALK_INSTALLER_DIR}/macos/MacOS.cmake)

include(CPack)
