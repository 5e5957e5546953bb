#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace tktalk::server {

/**
 * @brief One stored event of a conversation: a message (PRIVMSG, NOTICE) or a channel event a
 * reader needs to follow it (JOIN, PART, QUIT, KICK, NICK, TOPIC, MODE).
 *
 * It is made on the event loop from the line the server sent, and written later on the store's
 * thread: every field is implicitly shared, so making one copies no text.
 */
struct HistoryEntry
{
    /// Where the entry belongs: a channel's name as sent ("#Lobby"), or a private conversation.
    QByteArray target;
    /// A private conversation's two accounts (as their owners wrote them); empty for a channel.
    QByteArray accountA;
    QByteArray accountB;
    QByteArray msgid;
    qint64 timeMs = 0;       ///< server-time, milliseconds since the epoch (UTC)
    QByteArray command;      ///< PRIVMSG, NOTICE, JOIN, ...
    QByteArray senderNick;   ///< the sender's nick when it was sent
    QByteArray senderAccount; ///< the account the sender was logged in to; empty for guests
    QByteArray line;         ///< the message as sent to a client without tags, CR LF included
    QByteArray clientTags;   ///< the sender's client-only tags as on the wire ("+draft/reply=x"), or empty
    /// A private message to an account nobody was logged in to: that account, until it is delivered.
    QByteArray pendingFor;

    bool isPrivate() const { return !accountA.isEmpty(); }
    /// PRIVMSG and NOTICE: what a client without event-playback is given.
    bool isMessage() const { return command == "PRIVMSG" || command == "NOTICE"; }
};

/**
 * @brief An entry to keep, as views of what the event loop already holds: a store copies each
 * field once, into its batch, and takes a reference on none (HistoryStore::append()). Valid while
 * what it views is, so for the call it is passed to.
 */
struct HistoryRecord
{
    QByteArrayView target;
    QByteArrayView accountA;
    QByteArrayView accountB;
    QByteArrayView msgid;
    qint64 timeMs = 0;
    QByteArrayView command;
    QByteArrayView senderNick;
    QByteArrayView senderAccount;
    QByteArrayView line;
    QByteArrayView clientTags;
    QByteArrayView pendingFor;

    HistoryRecord() = default;
    /// @p entry's fields: an entry is kept as it is.
    HistoryRecord(const HistoryEntry &entry) // NOLINT(google-explicit-constructor): on purpose
        : target(entry.target)
        , accountA(entry.accountA)
        , accountB(entry.accountB)
        , msgid(entry.msgid)
        , timeMs(entry.timeMs)
        , command(entry.command)
        , senderNick(entry.senderNick)
        , senderAccount(entry.senderAccount)
        , line(entry.line)
        , clientTags(entry.clientTags)
        , pendingFor(entry.pendingFor)
    {}
};

/// The key under which a private conversation between two accounts is stored: the same whichever
/// of them writes.
QByteArray privateConversationKey(const QByteArray &account1, const QByteArray &account2);
/// privateConversationKey() of two accounts already folded to one case (protocol::foldCase(), as
/// ClientSession::foldedAccount() keeps them): the same key, made with one allocation.
QByteArray privateConversationKeyOfFolded(const QByteArray &folded1, const QByteArray &folded2);
/// The key @p target is stored and looked up under: a channel's name folded to one case, a private
/// conversation's key (privateConversationKey(), already folded) as it is.
QByteArray storedTargetKey(const QByteArray &target);

} // namespace tktalk::server
