#include "accountstore.h"

#include "protocol/names.h"
#include "readmarkers.h"
#include "sqltext.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QVariant>

#include <sys/statvfs.h>

#include <atomic>

namespace tktalk::server {

namespace {

/// Migration N takes the schema from version N to N + 1. Never edit one that has shipped: add another.
const char *const kMigrations[][7] = {
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
    // 4 -> 5: a registered channel's modes, bans and exceptions, and ChanServ SET DESCRIPTION.
    {"ALTER TABLE registered_channels ADD COLUMN modes TEXT NOT NULL DEFAULT 'nt'",
     "ALTER TABLE registered_channels ADD COLUMN channel_key TEXT NOT NULL DEFAULT ''",
     "ALTER TABLE registered_channels ADD COLUMN user_limit INTEGER NOT NULL DEFAULT 0",
     "ALTER TABLE registered_channels ADD COLUMN description TEXT NOT NULL DEFAULT ''",
     "CREATE TABLE channel_masks ("
     " channel_folded TEXT NOT NULL REFERENCES registered_channels(folded) ON DELETE CASCADE,"
     " list TEXT NOT NULL,"
     " position INTEGER NOT NULL,"
     " mask TEXT NOT NULL,"
     " set_by TEXT NOT NULL,"
     " set_at INTEGER NOT NULL,"
     " PRIMARY KEY (channel_folded, list, position))",
     nullptr},
    // 5 -> 6: each account's read markers (readmarkers.cpp, IRCv3 draft/read-marker).
    {"CREATE TABLE read_markers ("
     " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
     " target TEXT NOT NULL,"
     " at_ms INTEGER NOT NULL,"
     " PRIMARY KEY (account_id, target))",
     nullptr},
};
static_assert(std::size(kMigrations) == AccountStore::kSchemaVersion);

/// How long a statement waits for another writer before giving up. The `tktalk account` command
/// holds its lock for milliseconds; the server runs statements on its event loop, so this is also
/// the longest that a lock held by something else can stall the chat for one statement.
constexpr int kBusyTimeoutMs = 500;

/// SQLite's primary result code for @p error. Qt leaves the code out of some errors (a failed
/// COMMIT); SQLite's own message for the code is there then.
int resultCode(const QSqlError &error)
{
    if (const int code = error.nativeErrorCode().toInt() & 0xff; code != 0)
        return code;
    static const std::pair<const char *, int> kMessages[] = {
        {"database is locked", 5}, {"database table is locked", 6}, {"attempt to write a readonly database", 8},
        {"database disk image is malformed", 11}, {"database or disk is full", 13}, {"file is not a database", 26},
    };
    const QString text = error.databaseText();
    for (const auto &[message, code] : kMessages) {
        if (text.contains(QLatin1String(message)))
            return code;
    }
    return 0;
}

/// What an SQLite error means, in words an administrator can act on.
QString plainWords(const QSqlError &error)
{
    switch (resultCode(error)) {
    case 5:  // SQLITE_BUSY
    case 6:  // SQLITE_LOCKED
        return QStringLiteral("the account database is locked by another process");
    case 8:  // SQLITE_READONLY
        return QStringLiteral("the account database is read-only");
    case 13: // SQLITE_FULL
        return QStringLiteral("the disk is full");
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return QStringLiteral("the account database is damaged");
    case 10: // SQLITE_IOERR
    case 14: // SQLITE_CANTOPEN
        return QStringLiteral("the account database cannot be read or written");
    default:
        return QStringLiteral("the account database failed");
    }
}

bool isDamage(const QSqlError &error)
{
    const int code = resultCode(error);
    return code == 11 || code == 26;
}

/// True when @p path's directory is on a file system mounted read-only.
bool onReadOnlyFileSystem(const QString &path)
{
    struct statvfs info{};
    return ::statvfs(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), &info) == 0
           && (info.f_flag & ST_RDONLY);
}

QString nextConnectionName()
{
    static std::atomic<int> counter{0};
    return QStringLiteral("tktalk-accounts-%1").arg(++counter);
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
    , m_readMarkers(std::make_unique<ReadMarkers>(m_connectionName))
{
}

AccountStore::~AccountStore()
{
    m_findByName.reset(); // before its connection goes
    m_readMarkers.reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool AccountStore::open(const QString &path, QString *error)
{
    m_openFailure = OpenFailure::Unavailable;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = QStringLiteral("the Qt SQLite driver is missing (install libqt6sql6-sqlite)");
        return false;
    }
    m_readOnly = onReadOnlyFileSystem(path);
    if (m_readOnly && !QFile::exists(path)) {
        *error = QStringLiteral("cannot create the account database %1: its file system is read-only").arg(path);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (m_readOnly) {
        // Nobody can change the file on a read-only file system, and SQLite could not create the
        // shared-memory file that a WAL database otherwise needs even to be read.
        db.setDatabaseName(QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded)
                           + QStringLiteral("?immutable=1"));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
    } else {
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    }
    auto damaged = [this, &path, error](const QString &detail) {
        m_openFailure = OpenFailure::Damaged;
        *error = QStringLiteral("the account database %1 is damaged (%2): restore it from a backup, or move it "
                                "aside to start with no accounts")
                     .arg(path, detail);
        return false;
    };
    auto failed = [&path, error, &damaged](const QSqlError &sqlError) {
        if (isDamage(sqlError))
            return damaged(sqlError.text());
        *error = QStringLiteral("cannot open the account database %1: %2 (%3)")
                     .arg(path, plainWords(sqlError), sqlError.text());
        return false;
    };
    if (!db.open())
        return failed(db.lastError());
    QSqlQuery pragma(db);
    QStringList statements{QStringLiteral("PRAGMA foreign_keys=ON")};
    if (!m_readOnly)
        statements << QStringLiteral("PRAGMA journal_mode=WAL") << QStringLiteral("PRAGMA synchronous=FULL");
    for (const QString &statement : std::as_const(statements)) {
        if (!pragma.exec(statement))
            return failed(pragma.lastError());
    }
    // A file whose header is intact can still have damaged pages: refuse it now rather than fail
    // on the first login that reads one. The quick check reads every page once.
    if (!pragma.exec(QStringLiteral("PRAGMA quick_check")) || !pragma.next())
        return failed(pragma.lastError());
    if (const QString verdict = pragma.value(0).toString(); verdict != QLatin1String("ok"))
        return damaged(verdict.left(200).simplified());
    if (!migrate(error))
        return false;
    m_openFailure = OpenFailure::None;
    return true;
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
    if (found < kSchemaVersion && m_readOnly) {
        *error = QStringLiteral("the account database needs an upgrade to schema version %1, but its file system is "
                                "read-only")
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

bool AccountStore::fail(const QSqlError &error) const
{
    m_lastError = plainWords(error) + QStringLiteral(" (") + error.text() + QLatin1Char(')');
    m_lastCallFailed = true;
    return false;
}

std::optional<Account> AccountStore::firstAccount(QSqlQuery &query) const
{
    m_lastCallFailed = false;
    if (!query.exec()) {
        fail(query.lastError());
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
    m_lastCallFailed = false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QString::fromLatin1(kSelectColumns) + QStringLiteral(" ORDER BY folded"))) {
        fail(query.lastError());
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
    if (m_lastCallFailed)
        return AddResult::Failed;
    if (!db.transaction()) {
        fail(db.lastError());
        return AddResult::Failed;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO accounts (name, folded, password_hash, email, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(QString::fromUtf8(name));
    query.addBindValue(QString::fromUtf8(fold(name)));
    query.addBindValue(sqlText(passwordHash));
    query.addBindValue(sqlText(email));
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
        const QSqlError error = ok ? db.lastError() : query.lastError();
        db.rollback();
        // A UNIQUE violation means another writer (the admin command) added it meanwhile.
        if (exists(name))
            return AddResult::Exists;
        fail(error);
        return AddResult::Failed;
    }
    m_lastCallFailed = false;
    return AddResult::Added;
}

bool AccountStore::setPasswordHash(const QByteArray &name, const QByteArray &passwordHash)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE accounts SET password_hash = ? WHERE folded = ?"));
    query.addBindValue(sqlText(passwordHash));
    query.addBindValue(QString::fromUtf8(fold(name)));
    m_lastCallFailed = false;
    if (!query.exec())
        return fail(query.lastError());
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
    if (!query.exec())
        return fail(query.lastError());
    return true;
}

bool AccountStore::remove(const QByteArray &name)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM accounts WHERE folded = ?"));
    query.addBindValue(QString::fromUtf8(fold(name)));
    m_lastCallFailed = false;
    if (!query.exec())
        return fail(query.lastError());
    return query.numRowsAffected() == 1;
}

} // namespace tktalk::server
