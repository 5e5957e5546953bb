#pragma once

#include "channelstate.h"
#include "messagemodel.h"
#include "usermodel.h"

#include <QDateTime>
#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief One conversation of the window: the server's own lines, a channel, or a private
 * conversation with one person. It holds its transcript, its members (channels only), and how much
 * of it the user has not read yet.
 */
class Conversation : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A Conversation belongs to a ChatSession's ConversationList")
    Q_PROPERTY(QString name READ name NOTIFY nameChanged)
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    /// @brief For a channel: whether we are in it (a channel left, or not yet joined again after a
    /// reconnect, is kept with its transcript).
    Q_PROPERTY(bool joined READ joined NOTIFY joinedChanged)
    /// @brief Lines from others that arrived while the user was not looking at this conversation.
    Q_PROPERTY(int unread READ unread NOTIFY unreadChanged)
    /// @brief Of those, the ones that speak to the user: their nick named, or a private message.
    Q_PROPERTY(int mentions READ mentions NOTIFY unreadChanged)
    /// @brief The server has no older lines of it than those shown (or keeps no history).
    Q_PROPERTY(bool historyComplete READ historyComplete NOTIFY historyChanged)
    /// @brief Up to when the user has read it (IRCv3 read marker), from any of their devices;
    /// invalid when unknown.
    Q_PROPERTY(QDateTime readMarker READ readMarker NOTIFY readMarkerChanged)
    /// @brief No desktop notification for it (set with ChatSession::setMuted(), kept across runs).
    Q_PROPERTY(bool muted READ muted NOTIFY mutedChanged)
    /// @brief Older lines were asked for and have not come yet.
    Q_PROPERTY(bool loadingOlder READ loadingOlder NOTIFY historyChanged)
    /// @brief Who is typing here (IRCv3 +typing), in a few words; empty when nobody is.
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingChanged)
    Q_PROPERTY(tktalk::client::MessageModel *messages READ messages CONSTANT)
    Q_PROPERTY(tktalk::client::UserModel *members READ members CONSTANT)
    /// @brief For a channel: its topic, modes and bans, and what an operator does to it; null for
    /// the other kinds.
    Q_PROPERTY(tktalk::client::ChannelState *channel READ channel CONSTANT)
public:
    enum class Kind { Server, Channel, Private };
    Q_ENUM(Kind)

    Conversation(Kind kind, const QString &name, QObject *parent = nullptr);

    QString name() const { return m_name; }
    void setName(const QString &name);
    Kind kind() const { return m_kind; }
    bool joined() const { return m_joined; }
    void setJoined(bool joined);
    int unread() const { return m_unread; }
    int mentions() const { return m_mentions; }
    /// One more unread line; @p mention when it speaks to the user.
    void addUnread(bool mention);
    void markRead();
    QDateTime readMarker() const { return m_readMarker; }
    bool muted() const { return m_muted; }
    void setMuted(bool muted);
    /// The server's read marker: the unread and mention counts become the lines from others after
    /// it. The "new messages" mark moves to it only when @p moveMark (the conversation is not
    /// being looked at: the mark stays where it was while the user reads).
    void setReadMarker(const QDateTime &marker, bool moveMark);
    bool historyComplete() const { return m_historyComplete; }
    bool loadingOlder() const { return m_loadingOlder; }
    void setHistoryState(bool loadingOlder, bool complete);
    /// A line of an answer to "older lines": before the oldest line the server gave so far, after
    /// the lines of the same answer that came before it.
    void addOlderLine(MessageModel::Entry entry);
    /// The people typing here, in the order they started.
    QStringList typists() const { return m_typists; }
    void setTypists(const QStringList &typists);
    QString typingText() const;
    MessageModel *messages() { return &m_messages; }
    const MessageModel *messages() const { return &m_messages; }
    UserModel *members() { return &m_members; }
    const UserModel *members() const { return &m_members; }
    ChannelState *channel() { return m_channel; }
    const ChannelState *channel() const { return m_channel; }

    /// A line of the client's own (a notice, an error) at the end of the transcript.
    void addSystemLine(const QString &text, MessageModel::Kind kind = MessageModel::Kind::System);

Q_SIGNALS:
    void typingChanged();
    void nameChanged();
    void joinedChanged();
    void unreadChanged();
    void historyChanged();
    void readMarkerChanged();
    void mutedChanged();

private:
    const Kind m_kind;
    QString m_name;
    bool m_joined = false;
    int m_unread = 0;
    int m_mentions = 0;
    bool m_historyComplete = false;
    bool m_loadingOlder = false;
    int m_olderRow = -1;
    QDateTime m_readMarker;
    QStringList m_typists;
    bool m_muted = false; ///< where the next older line goes; -1 until an answer's first line
    MessageModel m_messages;
    UserModel m_members;
    ChannelState *m_channel = nullptr; ///< a child, for channels only
};

} // namespace tktalk::client
