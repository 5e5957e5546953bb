#pragma once

#include <QTemporaryDir>

namespace tktalk::test {

/**
 * @brief Gives this test process user directories of its own, in a fresh temporary directory
 * removed when this object goes: settings (QSettings, the client's pins and last login), data, and
 * caches (the QML disk cache). Create it before the first QSettings or QML engine and keep it for
 * the whole run (a member of the test class).
 *
 * It replaces QStandardPaths' test mode, whose ~/.qttest is one place for every copy of a test that
 * runs at once (two build folders, a stress run beside a normal one), so that one copy's
 * QSettings().clear() wiped the pins another had just written.
 */
class PrivateUserDirs
{
public:
    PrivateUserDirs();

    bool isValid() const { return m_valid; }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    bool m_valid = false;
};

} // namespace tktalk::test
