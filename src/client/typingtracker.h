#pragma once

#include "conversationlist.h"
#include "networkstate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace tktalk::client {

class ServerLink;

/**
 * @brief Typing indicators (IRCv3 `+typing` client tag, sent in TAGMSG): shows who is typing in
 * each conversation, and tells the others while the user types.
 *
 * As the specification asks: `active` at most every kActiveRepeatMs while typing, `paused` when the
 * draft stops changing for kPausedAfterMs, `done` when it is emptied or the conversation is left
 * with a draft; a message sent ends the typing without a `done`. Someone else is shown typing
 * from their `active` until kActiveExpiryMs pass without another, or their `paused`, `done` or
 * message comes. Nothing is sent for commands, to a server without message-tags,
 * or when the user turned sending off.
 */
class TypingTracker : public QObject
{
    Q_OBJECT
public:
    static constexpr int kActiveRepeatMs = 3'000;
    static constexpr int kPausedAfterMs = 5'000;
    static constexpr int kActiveExpiryMs = 6'000;

    TypingTracker(ServerLink &link, NetworkState &network, ConversationList &conversations, QObject *parent = nullptr);

    /// Reads +typing from a TAGMSG, and clears a sender's typing on their message; never takes a line.
    void observe(const protocol::Message &message);
    /// Whether the user's typing is told to the others.
    bool sendEnabled() const { return m_sendEnabled; }
    void setSendEnabled(bool enabled);
    /// The user's draft for @p target is now @p text.
    void onDraftChanged(const QString &target, const QString &text);
    /// The user sent their draft to @p target: the message itself ends the typing.
    void onSent(const QString &target);
    /// The connection ended: nobody is typing any more, and nothing is to be sent.
    void clear();

private:
    enum class Sent { None, Active, Paused };
    struct Typist
    {
        QString nick;
        qint64 expiresMs = 0;
    };
    bool canSend() const;
    void send(const QString &target, const char *state);
    /// The draft has not changed for a while: paused.
    void onIdle();
    /// Forgets those whose state expired, and times the next expiry.
    void expire();
    void setTypist(const QString &target, const QString &nick, qint64 expiresMs);
    void removeTypist(const QString &target, const QString &nick);
    /// The conversation in which @p sender's TAGMSG or message to @p target shows.
    Conversation *conversationOf(const QByteArray &target, const QString &sender) const;
    void publish(const QString &conversationKey);

    ServerLink &m_link;
    NetworkState &m_network;
    ConversationList &m_conversations;
    bool m_sendEnabled = true;
    QElapsedTimer m_clock;

    // What this user told: to whom, what, and when `active` last went.
    QString m_draftTarget;
    Sent m_sent = Sent::None;
    qint64 m_activeSentMs = 0;
    QTimer m_idleTimer;

    /// Others typing, by folded conversation name, then by folded nick.
    QHash<QString, QHash<QString, Typist>> m_typing;
    QHash<QString, QStringList> m_order; ///< by folded conversation name: nicks in the order they began
    QTimer m_expiryTimer;
};

} // namespace tktalk::client
