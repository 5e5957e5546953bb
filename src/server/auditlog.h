#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace tktalk::server {

/// @brief One operator action: who did what, when.
struct AuditEntry
{
    qint64 atSecs = 0;
    QByteArray oper;    ///< the operator's (or the services user's) nick at the time
    QByteArray account; ///< the oper account it used (for services: the account logged in to)
    QByteArray action;  ///< the command: "KILL", "KLINE", "SAMODE"..., "ChanServ ACCESS"...
    QByteArray detail;  ///< its target and arguments, as given
};

/**
 * @brief The audit log of server-operator actions and of changes made through the services
 * (NickServ, ChanServ): every entry goes to the server log (category
 * tktalk.operators) and to the table oper_audit of the account database, which keeps it across
 * restarts (`sqlite3 accounts.sqlite 'SELECT * FROM oper_audit'` reads it).
 */
class AuditLog
{
public:
    /// Writes to the open database @p connectionName from now on.
    void open(const QString &connectionName) { m_connectionName = connectionName; }

    void record(const QByteArray &oper, const QByteArray &account, const QByteArray &action,
                const QByteArray &detail);
    /// A change made through NickServ or ChanServ by @p nick, logged in to @p account (may be
    /// empty): logged under tktalk.accounts, stored in the same table with @p action such as
    /// "ChanServ ACCESS". Passwords never appear in @p detail.
    void recordService(const QByteArray &nick, const QByteArray &account, const QByteArray &action,
                       const QByteArray &detail);
    /// Every stored entry, oldest first.
    QList<AuditEntry> entries() const;

private:
    void store(const QByteArray &who, const QByteArray &account, const QByteArray &action, const QByteArray &detail);

    QString m_connectionName;
};

} // namespace tktalk::server
