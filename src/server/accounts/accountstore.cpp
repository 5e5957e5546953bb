#include "accountstore.h"

#include "protocol/names.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace tktalk::server {

namespace {

/// Migration N takes the schema from version N to N + 1. Never edit one that has shipped: add another.
const char *const kMigrations[][4] = {
    // 0 -> 1: accounts.
    {"CREATE TABLE accounts ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " folded TEXT NOT NULL UNIQUE,"
     " password_hash TEXT NOT NULL DEFAULT '',"
     " email TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL)",
     nullptr},
    // 1 -> 2: client certificate fingerprints bound to accounts (SASL EXTERNAL).
    {"CREATE TABLE certificates ("
     " fingerprint TEXT PRIMARY KEY,"
     " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE)",
     "CREATE INDEX certificates_by_account ON certificates(account_id)", nullptr},
    // 2 -> 3: server operators, server bans (serverbans.cpp) and the operators' audit log (auditlog.cpp).
    {"ALTER TABLE accounts ADD COLUMN oper INTEGER NOT NULL DEFAULT 0",
     "CREATE TABLE server_bans ("
     " id INTEGER PRIMARY KEY,"
     " mask TEXT NOT NULL,"
     " folded TEXT NOT NULL UNIQUE,"
     " reason TEXT NOT NULL,"
     " set_by TEXT NOT NULL,"
     " set_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL)",
     "CREATE TABLE oper_audit ("
     " id INTEGER PRIMARY KEY,"
     " at INTEGER NOT NULL,"
     " oper TEXT NOT NULL,"
     " account TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " detail TEXT NOT NULL)"},
    // 3 -> 4: channels registered with ChanServ (registeredchannels.cpp) and their access lists.
    {"CREATE TABLE registered_channels ("
     " folded TEXT PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " founder TEXT NOT NULL,"
     " registered_at INTEGER NOT NULL,"
     " topic TEXT NOT NULL DEFAULT '',"
     " topic_set_by TEXT NOT NULL DEFAULT '',"
     " topic_set_at INTEGER NOT NULL DEFAULT 0)",
     "CREATE TABLE channel_access ("
     " channel_folded TEXT NOT NULL REFERENCES registered_channels(folded) ON DELETE CASCADE,"
     " account_folded TEXT NOT NULL,"
     " account TEXT NOT NULL,"
     " level INTEGER NOT NULL,"
     " PRIMARY KEY (channel_folded, account_folded))",
     nullptr},
};
static_assert(std::size(kMigrations) == AccountStore::kSchemaVersion);

QString nextConnectionName()
{
    static std::atomic<int> counter{0};
    return QStringLiteral("tktalk-accounts-%1").arg(++counter);
}

/// Binds as TEXT: an empty QByteArray would otherwise become a null QString, which Qt SQL binds as NULL.
QString text(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QStringLiteral("") : QString::fromUtf8(bytes);
}

QByteArray fold(const QByteArray &name)
{
    return protocol::foldCase(name);
}

Account accountFrom(const QSqlQuery &query)
{
    Account account;
    account.id = query.value(0).toLongLong();
    account.name = query.value(1).toString().toUtf8();
    account.passwordHash = query.value(2).toString().toUtf8();
    account.email = query.value(3).toString().toUtf8();
    account.createdAtSecs = query.value(4).toLongLong();
    account.isOperator = query.value(5).toBool();
    return account;
}

constexpr const char *kSelectColumns = "SELECT id, name, password_hash, email, created_at, oper FROM accounts";

} // namespace

AccountStore::AccountStore()
    : m_connectionName(nextConnectionName())
{
}

AccountStore::~AccountStore()
{
    m_findByName.reset(); // before its connection goes
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool AccountStore::open(const QString &path, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = QStringLiteral("the Qt SQLite driver is missing (install libqt6sql6-sqlite)");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = QStringLiteral("cannot open the account database %1: %2").arg(path, db.lastError().text());
        return false;
    }
    QSqlQuery pragma(db);
    for (const char *statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (!pragma.exec(QString::fromLatin1(statement))) {
            *error = QStringLiteral("account database %1: %2").arg(path, pragma.lastError().text());
            return false;
        }
    }
    return migrate(error);
}

bool AccountStore::isOpen() const
{
    return QSqlDatabase::database(m_connectionName, false).isOpen();
}

int AccountStore::schemaVersion() const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

bool AccountStore::migrate(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const int found = schemaVersion();
    if (found < 0 || found > kSchemaVersion) {
        *error = found < 0 ? QStringLiteral("cannot read the account database's schema version")
                           : QStringLiteral("the account database has schema version %1, newer than this "
                                            "tktalk understands (%2); use a newer tktalk")
                                 .arg(found)
                                 .arg(kSchemaVersion);
        return false;
    }
    for (int version = found; version < kSchemaVersion; ++version) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        QSqlQuery query(db);
        bool ok = true;
        for (const char *const *statement = kMigrations[version]; ok && *statement; ++statement)
            ok = query.exec(QString::fromLatin1(*statement));
        ok = ok && query.exec(QStringLiteral("PRAGMA user_version = %1").arg(version + 1));
        if (!ok || !db.commit()) {
            *error = QStringLiteral("account database migration to version %1 failed: %2")
                         .arg(version + 1)
                         .arg(query.lastError().text());
            db.rollback();
            return false;
        }
    }
    return true;
}

bool AccountStore::checkIntegrity(QString *error) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    const QString result = query.value(0).toString();
    if (error)
        *error = result;
    return result == QLatin1String("ok");
}

std::optional<Account> AccountStore::firstAccount(QSqlQuery &query) const
{
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return std::nullopt;
    }
    std::optional<Account> account;
    if (query.next())
        account = accountFrom(query);
    query.finish(); // a statement left open would hold a read snapshot of the database
    return account;
}

std::optional<Account> AccountStore::find(const QByteArray &name) const
{
    if (!m_findByName) {
        m_findByName = std::make_unique<QSqlQuery>(QSqlDatabase::database(m_connectionName, false));
        if (!m_findByName->prepare(QString::fromLatin1(kSelectColumns) + QStringLiteral(" WHERE folded = ?"))) {
            m_lastError = m_findByName->lastError().text();
            m_findByName.reset();
            return std::nullopt;
        }
    }
    m_findByName->bindValue(0, QString::fromUtf8(fold(name)));
    return firstAccount(*m_findByName);
}

std::optional<Account> AccountStore::findByCertificate(const QByteArray &fingerprint) const
{
    if (fingerprint.isEmpty())
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT a.id, a.name, a.password_hash, a.email, a.created_at, a.oper FROM accounts a "
                                 "JOIN certificates c ON c.account_id = a.id WHERE c.fingerprint = ?"));
    query.addBindValue(QString::fromLatin1(fingerprint));
    return firstAccount(query);
}

QList<Account> AccountStore::list() const
{
    QList<Account> accounts;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QString::fromLatin1(kSelectColumns) + QStringLiteral(" ORDER BY folded"))) {
        m_lastError = query.lastError().text();
        return accounts;
    }
    while (query.next())
        accounts.append(accountFrom(query));
    return accounts;
}

AccountStore::AddResult AccountStore::add(const QByteArray &name, const QByteArray &passwordHash,
                                          const QByteArray &email, const QByteArray &certificateFingerprint)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (exists(name))
        return AddResult::Exists;
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        return AddResult::Failed;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO accounts (name, folded, password_hash, email, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(QString::fromUtf8(name));
    query.addBindValue(QString::fromUtf8(fold(name)));
    query.addBindValue(text(passwordHash));
    query.addBindValue(text(email));
    query.addBindValue(QDateTime::currentSecsSinceEpoch());
    bool ok = query.exec();
    if (ok && !certificateFingerprint.isEmpty()) {
        const QVariant id = query.lastInsertId();
        query.prepare(QStringLiteral("INSERT OR REPLACE INTO certificates (fingerprint, account_id) VALUES (?, ?)"));
        query.addBindValue(QString::fromLatin1(certificateFingerprint));
        query.addBindValue(id);
        ok = query.exec();
    }
    if (!ok || !db.commit()) {
        m_lastError = query.lastError().text();
        db.rollback();
        // A UNIQUE violation means another writer (the admin command) added it meanwhile.
        return exists(name) ? AddResult::Exists : AddResult::Failed;
    }
    return AddResult::Added;
}

bool AccountStore::setPasswordHash(const QByteArray &name, const QByteArray &passwordHash)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE accounts SET password_hash = ? WHERE folded = ?"));
    query.addBindValue(text(passwordHash));
    query.addBindValue(QString::fromUtf8(fold(name)));
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return query.numRowsAffected() == 1;
}

bool AccountStore::setOperator(const QByteArray &name, bool isOperator)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE accounts SET oper = ? WHERE folded = ?"));
    query.addBindValue(isOperator ? 1 : 0);
    query.addBindValue(QString::fromUtf8(fold(name)));
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return query.numRowsAffected() == 1;
}

bool AccountStore::addCertificate(const QByteArray &name, const QByteArray &fingerprint)
{
    const std::optional<Account> account = find(name);
    if (!account)
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO certificates (fingerprint, account_id) VALUES (?, ?)"));
    query.addBindValue(QString::fromLatin1(fingerprint));
    query.addBindValue(account->id);
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return true;
}

bool AccountStore::remove(const QByteArray &name)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM accounts WHERE folded = ?"));
    query.addBindValue(QString::fromUtf8(fold(name)));
    if (!query.exec()) {
        m_lastError = query.lastError().text();
        return false;
    }
    return query.numRowsAffected() == 1;
}

} // namespace tktalk::server
