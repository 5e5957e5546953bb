#include "privateuserdirs.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace tktalk::test {

PrivateUserDirs::PrivateUserDirs()
{
    if (!m_dir.isValid())
        return;
    m_valid = true;
    // QStandardPaths reads these on every call (with test mode off), so later lookups land here.
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"}) {
        const QString path = m_dir.filePath(QString::fromLatin1(variable).toLower());
        m_valid = m_valid && QDir().mkpath(path);
        qputenv(variable, QFile::encodeName(path));
    }
    QStandardPaths::setTestModeEnabled(false);
    // QSettings works out its default folders once per process; set them in case that happened.
    const QString config = m_dir.filePath(QStringLiteral("xdg_config_home"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, config);
}

} // namespace tktalk::test
