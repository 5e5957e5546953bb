#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QSettings;

namespace tktalk::client {

/**
 * @brief The user's choices for the client (theme, text size, timestamps, notifications, typing
 * indicators), kept in QSettings so that the next start has them.
 *
 * Each value is read once, when constructed, and written when set. What the settings file holds is
 * checked: an unknown theme or a text size that is not a number is the default, a size out of range
 * is clamped, a switch that is neither true nor false is the default. So a hand-edited or damaged
 * file never gives the window an unusable look.
 */
class ClientSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ClientSettings belongs to a ChatSession: use session.settings")
    /// @brief Colours: the system's palette, or a light or dark one of the client's own.
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
    /// @brief Text size in percent of the system's font size, kMinFontScale to kMaxFontScale.
    Q_PROPERTY(int fontScale READ fontScale WRITE setFontScale NOTIFY fontScaleChanged)
    /// @brief Whether each message shows the time it was said.
    Q_PROPERTY(bool showTimestamps READ showTimestamps WRITE setShowTimestamps NOTIFY showTimestampsChanged)
    /// @brief Whether others may see that the user is typing (IRCv3 typing notifications).
    Q_PROPERTY(bool sendTyping READ sendTyping WRITE setSendTyping NOTIFY sendTypingChanged)
    /// @brief Desktop notifications (and the window's urgency hint) for a private message or a
    /// mention while the window is not active.
    Q_PROPERTY(bool notifications READ notifications WRITE setNotifications NOTIFY notificationsChanged)
    /// @brief The bounds and step of fontScale, for the controls that set it.
    Q_PROPERTY(int minFontScale READ minFontScale CONSTANT)
    Q_PROPERTY(int maxFontScale READ maxFontScale CONSTANT)
    Q_PROPERTY(int fontScaleStep READ fontScaleStep CONSTANT)
    Q_PROPERTY(int defaultFontScale READ defaultFontScale CONSTANT)
public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    static constexpr int kMinFontScale = 80;
    static constexpr int kMaxFontScale = 200;
    static constexpr int kDefaultFontScale = 100;
    static constexpr int kFontScaleStep = 10;

    // The keys in the settings file. notifications/enabled predates this class: kept, so that
    // users keep their choice.
    static constexpr const char *kThemeKey = "appearance/theme";
    static constexpr const char *kFontScaleKey = "appearance/fontScale";
    static constexpr const char *kShowTimestampsKey = "appearance/showTimestamps";
    static constexpr const char *kSendTypingKey = "typing/send";
    static constexpr const char *kNotificationsKey = "notifications/enabled";

    /// Reads the choices from @p settings, which must outlive this object.
    explicit ClientSettings(QSettings &settings, QObject *parent = nullptr);

    Theme theme() const { return m_theme; }
    void setTheme(Theme theme);
    int fontScale() const { return m_fontScale; }
    /// Clamped to kMinFontScale..kMaxFontScale.
    void setFontScale(int percent);
    bool showTimestamps() const { return m_showTimestamps; }
    void setShowTimestamps(bool show);
    bool sendTyping() const { return m_sendTyping; }
    void setSendTyping(bool send);
    bool notifications() const { return m_notifications; }
    void setNotifications(bool enabled);

    static int minFontScale() { return kMinFontScale; }
    static int maxFontScale() { return kMaxFontScale; }
    static int fontScaleStep() { return kFontScaleStep; }
    static int defaultFontScale() { return kDefaultFontScale; }

    /// The name a theme is stored as ("system", "light", "dark").
    static QString themeName(Theme theme);

Q_SIGNALS:
    void themeChanged();
    void fontScaleChanged();
    void showTimestampsChanged();
    void sendTypingChanged();
    void notificationsChanged();

private:
    /// A switch from the file: true/false (as QSettings writes them) or 1/0; anything else is @p fallback.
    bool readBool(const char *key, bool fallback) const;
    void write(const char *key, const QVariant &value);

    QSettings &m_settings;
    Theme m_theme = Theme::System;
    int m_fontScale = kDefaultFontScale;
    bool m_showTimestamps = true;
    bool m_sendTyping = true;
    bool m_notifications = true;
};

} // namespace tktalk::client
