#pragma once

#include "historyentry.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace tktalk::server {

/// @brief A point in a conversation: a message (by msgid) or a moment; or none ("*").
struct HistoryReference
{
    enum class Kind { None, Timestamp, MessageId };
    Kind kind = Kind::None;
    qint64 timeMs = 0;  ///< Timestamp: milliseconds since the epoch
    QByteArray msgid;   ///< MessageId

    static HistoryReference none() { return {}; }
    static HistoryReference at(qint64 timeMs) { return {Kind::Timestamp, timeMs, {}}; }
    static HistoryReference message(QByteArray msgid) { return {Kind::MessageId, 0, std::move(msgid)}; }
};

/// @brief One history request, with the meaning of IRCv3 CHATHISTORY's subcommands.
struct HistoryQuery
{
    enum class Selection {
        Latest,  ///< the last @c limit entries, only those after @c from unless it is None
        Before,  ///< the @c limit entries just before @c from
        After,   ///< the @c limit entries just after @c from
        Around,  ///< @c limit entries around @c from: half before it, the rest from it on
        Between, ///< entries strictly between @c from and @c to, the @c limit nearest to @c from
    };
    /// A channel's name, or privateConversationKey() of two accounts.
    QByteArray target;
    Selection selection = Selection::Latest;
    HistoryReference from;
    HistoryReference to;
    int limit = 50;
    /// JOIN, PART, QUIT, KICK, NICK, TOPIC and MODE too (draft/event-playback), not only messages.
    bool withEvents = false;
    /// Entries older than this are not returned (milliseconds since the epoch; 0: no bound).
    qint64 notBeforeMs = 0;
};

/// @brief What a query found, oldest first; or why it could not be answered.
struct HistoryResult
{
    QList<HistoryEntry> entries;
    QString error; ///< empty when the query ran
};

/// @brief TARGETS: the conversations of one reader with a message between two moments.
struct HistoryTargetsQuery
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QByteArrayList channels; ///< the channels the reader may read
    QByteArray account;      ///< the reader's account, for private conversations; empty: none
    int limit = 50;
};

struct HistoryTarget
{
    QByteArray target; ///< the channel's name, or for a private conversation the other account
    qint64 latestMs = 0;
};

struct HistoryTargetsResult
{
    QList<HistoryTarget> targets; ///< by latest message, oldest first
    QString error;
};

/// @brief Retention: what a purge removes.
struct HistoryPurge
{
    /// Entries older than this go (milliseconds since the epoch; 0: none for their age).
    qint64 olderThanMs = 0;
    /// Beyond this many entries in one conversation the oldest go, except private messages not yet
    /// delivered (0: no cap).
    int maxPerTarget = 0;
};

struct HistoryPurgeResult
{
    qint64 removed = 0;
    QString error; ///< empty when the purge ran
};

} // namespace tktalk::server
