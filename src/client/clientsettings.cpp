#include "clientsettings.h"

#include <QSettings>

#include <algorithm>

namespace tktalk::client {

namespace {

QString keyOf(const char *key)
{
    return QString::fromLatin1(key);
}

} // namespace

ClientSettings::ClientSettings(QSettings &settings, QObject *parent) : QObject(parent), m_settings(settings)
{
    const QString theme = m_settings.value(keyOf(kThemeKey)).toString().trimmed().toLower();
    for (const Theme candidate : {Theme::System, Theme::Light, Theme::Dark}) {
        if (theme == themeName(candidate))
            m_theme = candidate;
    }

    const QVariant scale = m_settings.value(keyOf(kFontScaleKey));
    bool isNumber = false;
    // Through a string: an ini file gives strings, and a double or "12abc" is not a percentage.
    const qint64 percent = scale.toString().trimmed().toLongLong(&isNumber);
    if (isNumber)
        m_fontScale = int(std::clamp<qint64>(percent, kMinFontScale, kMaxFontScale));

    m_showTimestamps = readBool(kShowTimestampsKey, true);
    m_sendTyping = readBool(kSendTypingKey, true);
    m_notifications = readBool(kNotificationsKey, true);
}

QString ClientSettings::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

bool ClientSettings::readBool(const char *key, bool fallback) const
{
    // QVariant::toBool() calls any string but "", "0" and "false" true: a damaged value would
    // switch things on. Only what QSettings writes (and 1/0) counts.
    const QString text = m_settings.value(keyOf(key)).toString().trimmed().toLower();
    if (text == QLatin1String("true") || text == QLatin1String("1"))
        return true;
    if (text == QLatin1String("false") || text == QLatin1String("0"))
        return false;
    return fallback;
}

void ClientSettings::write(const char *key, const QVariant &value)
{
    m_settings.setValue(keyOf(key), value);
}

void ClientSettings::setTheme(Theme theme)
{
    if (theme != Theme::System && theme != Theme::Light && theme != Theme::Dark)
        theme = Theme::System; // QML can assign any number to an enum property
    if (m_theme == theme)
        return;
    m_theme = theme;
    write(kThemeKey, themeName(theme));
    Q_EMIT themeChanged();
}

void ClientSettings::setFontScale(int percent)
{
    percent = std::clamp(percent, kMinFontScale, kMaxFontScale);
    if (m_fontScale == percent)
        return;
    m_fontScale = percent;
    write(kFontScaleKey, percent);
    Q_EMIT fontScaleChanged();
}

void ClientSettings::setShowTimestamps(bool show)
{
    if (m_showTimestamps == show)
        return;
    m_showTimestamps = show;
    write(kShowTimestampsKey, show);
    Q_EMIT showTimestampsChanged();
}

void ClientSettings::setSendTyping(bool send)
{
    if (m_sendTyping == send)
        return;
    m_sendTyping = send;
    write(kSendTypingKey, send);
    Q_EMIT sendTypingChanged();
}

void ClientSettings::setNotifications(bool enabled)
{
    if (m_notifications == enabled)
        return;
    m_notifications = enabled;
    write(kNotificationsKey, enabled);
    Q_EMIT notificationsChanged();
}

} // namespace tktalk::client
