#include "readmarkers.h"

#include "protocol/names.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace tktalk::server {

namespace {

// Both go through the unique index on accounts.folded and the primary key (account_id, target).
constexpr const char *kFind = "SELECT m.at_ms FROM read_markers m JOIN accounts a ON a.id = m.account_id "
                              "WHERE a.folded = ? AND m.target = ?";
// max(): a marker never moves back, even if two writers race. An existing account always counts
// one row (inserted or updated), so no row means no such account.
constexpr const char *kAdvance = "INSERT INTO read_markers (account_id, target, at_ms) "
                                 "SELECT id, ?, ? FROM accounts WHERE folded = ? "
                                 "ON CONFLICT (account_id, target) DO UPDATE SET at_ms = max(at_ms, excluded.at_ms)";

QString folded(const QByteArray &name)
{
    return QString::fromUtf8(protocol::foldCase(name));
}

} // namespace

ReadMarkers::ReadMarkers(QString connectionName)
    : m_connectionName(std::move(connectionName))
{
}

ReadMarkers::~ReadMarkers() = default;

QSqlQuery *ReadMarkers::prepared(std::unique_ptr<QSqlQuery> &slot, const char *sql) const
{
    if (!slot) {
        auto query = std::make_unique<QSqlQuery>(QSqlDatabase::database(m_connectionName, false));
        if (!query->prepare(QString::fromLatin1(sql))) {
            m_lastError = query->lastError().text();
            return nullptr;
        }
        slot = std::move(query);
    }
    return slot.get();
}

ReadMarkers::Lookup ReadMarkers::find(const QByteArray &account, const QByteArray &target) const
{
    QSqlQuery *query = prepared(m_find, kFind);
    if (!query)
        return {};
    query->bindValue(0, folded(account));
    query->bindValue(1, folded(target));
    if (!query->exec()) {
        m_lastError = query->lastError().text();
        return {};
    }
    Lookup lookup{true, std::nullopt};
    if (query->next())
        lookup.atMs = query->value(0).toLongLong();
    query->finish(); // a statement left open would hold a read snapshot of the database
    return lookup;
}

bool ReadMarkers::advance(const QByteArray &account, const QByteArray &target, qint64 atMs)
{
    QSqlQuery *query = prepared(m_advance, kAdvance);
    if (!query)
        return false;
    query->bindValue(0, folded(target));
    query->bindValue(1, atMs);
    query->bindValue(2, folded(account));
    if (!query->exec()) {
        m_lastError = query->lastError().text();
        return false;
    }
    if (query->numRowsAffected() != 1) {
        m_lastError = QStringLiteral("no account %1").arg(QString::fromUtf8(account));
        return false;
    }
    return true;
}

} // namespace tktalk::server
