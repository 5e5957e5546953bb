#include "auditlog.h"

#include "accounts/sqltext.h"
#include "logging.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace tktalk::server {

void AuditLog::record(const QByteArray &oper, const QByteArray &account, const QByteArray &action,
                      const QByteArray &detail)
{
    qCInfo(lcOperators).noquote() << "Operator" << oper << "(account" << account + ')' << action << detail;
    store(oper, account, action, detail);
}

void AuditLog::recordService(const QByteArray &nick, const QByteArray &account, const QByteArray &action,
                             const QByteArray &detail)
{
    qCInfo(lcAccounts).noquote() << "User" << nick << "(account" << (account.isEmpty() ? QByteArray("none") : account) + ')'
                                 << action << detail;
    store(nick, account, action, detail);
}

void AuditLog::store(const QByteArray &who, const QByteArray &account, const QByteArray &action,
                     const QByteArray &detail)
{
    if (m_connectionName.isEmpty())
        return;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("INSERT INTO oper_audit (at, oper, account, action, detail) VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(QDateTime::currentSecsSinceEpoch());
    query.addBindValue(sqlText(who));
    query.addBindValue(sqlText(account));
    query.addBindValue(sqlText(action));
    query.addBindValue(sqlText(detail));
    if (!query.exec())
        qCWarning(lcOperators).noquote() << "Cannot write the audit log:" << query.lastError().text();
}

QList<AuditEntry> AuditLog::entries() const
{
    QList<AuditEntry> entries;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("SELECT at, oper, account, action, detail FROM oper_audit ORDER BY id")))
        return entries;
    while (query.next()) {
        entries.append({query.value(0).toLongLong(), query.value(1).toString().toUtf8(),
                        query.value(2).toString().toUtf8(), query.value(3).toString().toUtf8(),
                        query.value(4).toString().toUtf8()});
    }
    return entries;
}

} // namespace tktalk::server
