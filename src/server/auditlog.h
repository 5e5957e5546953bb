#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace tktalk::server {

/// @brief One operator action: who did what, when.
struct AuditEntry
{
    qint64 atSecs = 0;
    QByteArray oper;    ///< the operator's nick at the time
    QByteArray account; ///< the oper account it used
    QByteArray action;  ///< the command: "KILL", "KLINE", "SAMODE"...
    QByteArray detail;  ///< its target and arguments, as given
};

/**
 * @brief The audit log of server-operator actions: every entry goes to the server log (category
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
    /// Every stored entry, oldest first.
    QList<AuditEntry> entries() const;

private:
    QString m_connectionName;
};

} // namespace tktalk::server
