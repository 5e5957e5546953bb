#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

class QSqlError;
class QSqlQuery;

namespace tktalk::server {

class ReadMarkers;

/// @brief One stored account. The hash never leaves the server process and is never logged.
struct Account
{
    qint64 id = 0;
    QByteArray name;         ///< as registered ("Alice")
    QByteArray passwordHash; ///< Argon2id encoded string; empty for certificate-only accounts
    QByteArray email;
    qint64 createdAtSecs = 0;
    bool isOperator = false; ///< may become a server operator (OPER, or a SASL login)
};

/**
 * @brief The account database: SQLite through Qt SQL in the data directory.
 *
 * WAL journal with synchronous=FULL, so a write that returned is on disk (an acknowledged
 * registration survives a crash). The schema version lives in PRAGMA user_version and pending
 * migrations run, each in its own transaction, when the store opens. Names are looked up folded
 * with the IRC casemapping, so "Alice" and "alice" are one account.
 *
 * Every call runs on the calling thread; each is one indexed statement, far cheaper than hashing.
 */
class AccountStore
{
public:
    static constexpr int kSchemaVersion = 6;
    static constexpr const char *kFileName = "accounts.sqlite";

    AccountStore();
    ~AccountStore();
    AccountStore(const AccountStore &) = delete;
    AccountStore &operator=(const AccountStore &) = delete;

    /// Why open() failed.
    enum class OpenFailure {
        None,
        Damaged,    ///< the file is not an intact account database: a person must restore or move it
        Unavailable ///< anything else: the driver, a lock, the disk (may pass)
    };

    /**
     * Opens (creating if needed) @p path and migrates it; false with @p error (one sentence that
     * says what to do) on failure. A database that SQLite's quick check finds damaged is refused.
     * A database on a read-only file system is opened read-only: logins work, writes fail.
     */
    bool open(const QString &path, QString *error);
    OpenFailure openFailure() const { return m_openFailure; }
    bool isOpen() const;
    bool isReadOnly() const { return m_readOnly; }
    /// The schema version found in the file (after migrating: kSchemaVersion).
    int schemaVersion() const;
    /// Runs SQLite's integrity check; true if the database is intact.
    bool checkIntegrity(QString *error = nullptr) const;

    std::optional<Account> find(const QByteArray &name) const;
    bool exists(const QByteArray &name) const { return find(name).has_value(); }
    /// The account a certificate fingerprint (lowercase hex SHA-256) is bound to.
    std::optional<Account> findByCertificate(const QByteArray &fingerprint) const;
    QList<Account> list() const;

    enum class AddResult { Added, Exists, Failed };
    /// Adds an account, binding @p certificateFingerprint to it when not empty; atomic.
    AddResult add(const QByteArray &name, const QByteArray &passwordHash, const QByteArray &email,
                  const QByteArray &certificateFingerprint = {});
    bool setPasswordHash(const QByteArray &name, const QByteArray &passwordHash);
    /// Makes @p name a server-operator account, or an ordinary one; false if it does not exist.
    bool setOperator(const QByteArray &name, bool isOperator);
    /// Binds a certificate fingerprint to @p name; false if the account does not exist.
    bool addCertificate(const QByteArray &name, const QByteArray &fingerprint);
    bool remove(const QByteArray &name);

    /// Why the last call that failed did: plain words first ("the disk is full"), SQLite's after.
    QString lastError() const { return m_lastError; }
    /// The accounts' read markers, in the same database.
    ReadMarkers &readMarkers() { return *m_readMarkers; }

    /// The Qt SQL connection name of the open database, for the stores that share its file
    /// (ServerBans, AuditLog): one file, one schema version, one set of migrations.
    const QString &connectionName() const { return m_connectionName; }
    /// True if the last call failed on the database itself, rather than finding nothing: find()
    /// and exists() answer "no such account" then too, which must not be taken at its word.
    bool lastCallFailed() const { return m_lastCallFailed; }

private:
    bool migrate(QString *error);
    bool openConnection(const QString &path, bool readOnly, QString *error);
    /// Records @p error as the last one (returns false, for `return fail(...)`).
    bool fail(const QSqlError &error) const;

    QString m_connectionName;
    std::unique_ptr<ReadMarkers> m_readMarkers;
    /// Runs @p query (prepared, bound) and returns the account in its first row, if any.
    std::optional<Account> firstAccount(QSqlQuery &query) const;

    /// find()'s statement, prepared once: every registration looks its nick up (a reserved nick?),
    /// and preparing the statement cost more than running it.
    mutable std::unique_ptr<QSqlQuery> m_findByName;
    mutable QString m_lastError;
    mutable bool m_lastCallFailed = false;
    OpenFailure m_openFailure = OpenFailure::None;
    bool m_readOnly = false;
};

} // namespace tktalk::server
