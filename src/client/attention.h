#pragma once

#include "clientsettings.h"
#include "conversationlist.h"
#include "networkstate.h"
#include "notifier.h"

#include <QObject>
#include <QSettings>

namespace tktalk::client {

class ServerLink;

/**
 * @brief Makes sure the user misses nothing said to them: counts what arrives while the window is in
 * the background, and for a private message or a mention there shows a desktop notification
 * (Notifier) and asks for the window's attention, unless notifications are off (ClientSettings) or
 * the conversation is muted (kept in the settings per server and conversation).
 */
class Attention : public QObject
{
    Q_OBJECT
public:
    Attention(QSettings &settings, const ClientSettings &choices, ServerLink &link, NetworkState &network, ConversationList &conversations,
              QObject *parent = nullptr);

    bool windowActive() const { return m_windowActive; }
    void setWindowActive(bool active);
    /// Lines from others that arrived while the window was not active.
    int unreadCount() const { return m_unread; }
    /// Mutes (or unmutes) the conversation at @p row of the list; kept in the settings.
    void setMuted(int row, bool muted);
    /// Desktop notifications asked for so far, for tests.
    int notificationsSent() const { return m_notifier.sent(); }

    /// A line arrived as it was said in @p conversation.
    void onLiveLine(Conversation *conversation, const QString &sender, const QString &text, bool own, bool mention);

Q_SIGNALS:
    void windowActiveChanged();
    void unreadCountChanged();
    /// Someone spoke to the user while the window was not active: the window asks for attention.
    void attentionRequested();

private:
    /// The settings key of the conversation @p name's mute, per server.
    QString muteKey(const QString &name) const;
    /// Conversations just opened: muted if the user muted them before.
    void applyMutes(int first, int last);

    QSettings &m_settings;
    const ClientSettings &m_choices; ///< whether to notify at all
    ServerLink &m_link;
    NetworkState &m_network;
    ConversationList &m_conversations;
    Notifier m_notifier;
    bool m_windowActive = true;
    int m_unread = 0;
};

} // namespace tktalk::client
