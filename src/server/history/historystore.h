#pragma once

#include "historyquery.h"

#include <QObject>
#include <QString>

#include <functional>

namespace tktalk::server {

/**
 * @brief Where conversations are kept: the interface the server talks to, whatever stores them.
 *
 * Every call returns at once; a store does its work off the event loop and calls back on the
 * thread that called it, through @p context (no call back if @p context is gone by then). Calls
 * take effect in the order they are made: a query sees every entry appended before it.
 */
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    using QueryDone = std::function<void(const HistoryResult &)>;
    using TargetsDone = std::function<void(const HistoryTargetsResult &)>;
    using Done = std::function<void(bool ok)>;
    using PurgeDone = std::function<void(const HistoryPurgeResult &)>;

    using QObject::QObject;
    ~HistoryStore() override = default;

    /// Keeps @p entry (written within the store's group-commit window): a copy of what it views.
    virtual void append(const HistoryRecord &entry) = 0;
    virtual void query(const HistoryQuery &query, QObject *context, QueryDone done) = 0;
    virtual void targets(const HistoryTargetsQuery &query, QObject *context, TargetsDone done) = 0;
    /// The private messages waiting for @p account (HistoryEntry::pendingFor), oldest first.
    virtual void pending(const QByteArray &account, QObject *context, QueryDone done) = 0;
    /// Marks @p msgids as delivered to @p account: they stay in the history, no longer waiting.
    virtual void markDelivered(const QByteArray &account, const QByteArrayList &msgids) = 0;
    /// Removes what @p purge says is too old or too much (after everything appended before it).
    virtual void purge(const HistoryPurge &purge, QObject *context, PurgeDone done) = 0;
    /// Removes every message (PRIVMSG, NOTICE) sent from @p account (whatever its case) from every
    /// conversation; its events (JOIN, ...) stay.
    virtual void removeFromAccount(const QByteArray &account, QObject *context, PurgeDone done) = 0;
    /// Removes the message @p msgid of conversation @p target (a channel's name or
    /// privateConversationKey()); @p done says whether there was one.
    virtual void remove(const QByteArray &target, const QByteArray &msgid, QObject *context, Done done) = 0;
    /// Calls @p done once everything appended so far is stored (ok) or could not be (false).
    virtual void whenWritten(QObject *context, Done done) = 0;

    /// Why entries cannot be stored now ("disk full"), or empty while all is well.
    virtual QString problem() const = 0;

Q_SIGNALS:
    /// Storing started failing (@p problem says why) or works again (@p problem is empty).
    void problemChanged(const QString &problem);
};

} // namespace tktalk::server
