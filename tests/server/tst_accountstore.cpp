// AccountStore over a real SQLite file: schema migrations, WAL, case-folded names, certificates.

#include "accounts/accountstore.h"
#include "accounts/passwordhasher.h"
#include "accounts/readmarkers.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QVariant>

using tktalk::server::AccountStore;
using tktalk::server::HashCost;
using tktalk::server::PasswordHasher;
using tktalk::server::ReadMarkers;

namespace {

/// Runs @p statements on the file at @p path through a separate connection.
void runSql(const QString &path, const QStringList &statements)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        for (const QString &statement : statements)
            QVERIFY2(query.exec(statement), qPrintable(statement));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
}

const QByteArray kFingerprint(64, 'a');

} // namespace

class tst_AccountStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsCurrentSchemaInWalMode();
    void addFindRemove();
    void certificates();
    void migratesVersionOne();
    void migratesVersionFive();
    void refusesNewerSchema();
    void persistsAcrossReopen();
    void hasher();
};

void tst_AccountStore::createsCurrentSchemaInWalMode()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("accounts.sqlite"));
    AccountStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(store.schemaVersion(), AccountStore::kSchemaVersion);
    QVERIFY(store.checkIntegrity());
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
}

void tst_AccountStore::addFindRemove()
{
    QTemporaryDir dir;
    AccountStore store;
    QString error;
    QVERIFY(store.open(dir.filePath(QStringLiteral("a.sqlite")), &error));
    QCOMPARE(store.add("Alice[x]", "$argon2id$fake", "a@example.org"), AccountStore::AddResult::Added);
    // IRC casemapping: [ and { are the same letter, as are A and a.
    QCOMPARE(store.add("alice{X}", "$argon2id$other", ""), AccountStore::AddResult::Exists);
    const auto found = store.find("ALICE{x}");
    QVERIFY(found);
    QCOMPARE(found->name, QByteArray("Alice[x]"));
    QCOMPARE(found->passwordHash, QByteArray("$argon2id$fake"));
    QCOMPARE(found->email, QByteArray("a@example.org"));
    QVERIFY(found->createdAtSecs > 0);
    QVERIFY(store.setPasswordHash("alice[x]", "$argon2id$new"));
    QCOMPARE(store.find("alice[x]")->passwordHash, QByteArray("$argon2id$new"));
    QVERIFY(!store.setPasswordHash("nobody", "x"));
    QCOMPARE(store.list().size(), 1);
    QVERIFY(store.remove("ALICE[X]"));
    QVERIFY(!store.remove("alice[x]"));
    QVERIFY(!store.exists("alice[x]"));
}

void tst_AccountStore::certificates()
{
    QTemporaryDir dir;
    AccountStore store;
    QString error;
    QVERIFY(store.open(dir.filePath(QStringLiteral("a.sqlite")), &error));
    QCOMPARE(store.add("alice", "h", "", kFingerprint), AccountStore::AddResult::Added);
    QCOMPARE(store.findByCertificate(kFingerprint)->name, QByteArray("alice"));
    QVERIFY(!store.findByCertificate(QByteArray(64, 'b')));
    QVERIFY(!store.findByCertificate({}));
    QVERIFY(store.add("bob", "h", "") == AccountStore::AddResult::Added);
    QVERIFY(store.addCertificate("bob", QByteArray(64, 'b')));
    QVERIFY(!store.addCertificate("nobody", QByteArray(64, 'c')));
    // Deleting an account unbinds its certificates.
    QVERIFY(store.remove("alice"));
    QVERIFY(!store.findByCertificate(kFingerprint));
    QCOMPARE(store.findByCertificate(QByteArray(64, 'b'))->name, QByteArray("bob"));
}

void tst_AccountStore::migratesVersionOne()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.sqlite"));
    // A database as the first schema version wrote it, with one account in it.
    runSql(path, {QStringLiteral("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, folded TEXT "
                                 "NOT NULL UNIQUE, password_hash TEXT NOT NULL DEFAULT '', email TEXT NOT NULL "
                                 "DEFAULT '', created_at INTEGER NOT NULL)"),
                  QStringLiteral("INSERT INTO accounts (name, folded, password_hash, created_at) VALUES "
                                 "('Old', 'old', '$argon2id$h', 1)"),
                  QStringLiteral("PRAGMA user_version = 1")});
    AccountStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(store.schemaVersion(), AccountStore::kSchemaVersion);
    QCOMPARE(store.find("old")->name, QByteArray("Old"));
    QVERIFY(store.addCertificate("old", kFingerprint)); // the table version 2 added
    QCOMPARE(store.findByCertificate(kFingerprint)->name, QByteArray("Old"));
    // Version 3: an account that was there is not an operator until it is made one.
    QVERIFY(!store.find("old")->isOperator);
    QVERIFY(store.setOperator("OLD", true));
    QVERIFY(store.find("old")->isOperator);
    QVERIFY(store.findByCertificate(kFingerprint)->isOperator);
    QVERIFY(store.setOperator("old", false));
    QVERIFY(!store.find("old")->isOperator);
    QVERIFY(!store.setOperator("nobody", true));
}

void tst_AccountStore::migratesVersionFive()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.sqlite"));
    {
        AccountStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        QCOMPARE(store.add("Old", "$argon2id$h", ""), AccountStore::AddResult::Added);
    }
    // Version 6 added only the read markers: without them, the file is as version 5 left it.
    runSql(path, {QStringLiteral("DROP TABLE read_markers"), QStringLiteral("PRAGMA user_version = 5")});
    AccountStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(store.schemaVersion(), AccountStore::kSchemaVersion);
    QCOMPARE(store.find("old")->name, QByteArray("Old"));
    ReadMarkers &markers = store.readMarkers();
    QVERIFY(markers.find("old", "#dev").ok);
    QVERIFY(!markers.find("old", "#dev").atMs);
    // Folded account and target; a marker never moves back.
    QVERIFY(markers.advance("OLD", "#Dev", 2000));
    QCOMPARE(markers.find("old", "#DEV").atMs, std::optional<qint64>(2000));
    QVERIFY(markers.advance("old", "#dev", 1000));
    QCOMPARE(markers.find("old", "#dev").atMs, std::optional<qint64>(2000));
    QVERIFY(markers.advance("old", "bob", 3000));
    QCOMPARE(markers.find("old", "bob").atMs, std::optional<qint64>(3000));
    QVERIFY(!markers.advance("nobody", "#dev", 1000));
    // Deleting the account deletes its markers.
    QVERIFY(store.remove("old"));
    QSqlQuery count(QSqlDatabase::database(store.connectionName()));
    QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM read_markers")) && count.next());
    QCOMPARE(count.value(0).toInt(), 0);
}

void tst_AccountStore::refusesNewerSchema()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.sqlite"));
    runSql(path, {QStringLiteral("PRAGMA user_version = 99")});
    AccountStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY2(error.contains(QStringLiteral("newer")), qPrintable(error));
}

void tst_AccountStore::persistsAcrossReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.sqlite"));
    QString error;
    {
        AccountStore store;
        QVERIFY(store.open(path, &error));
        QCOMPARE(store.add("alice", "h", ""), AccountStore::AddResult::Added);
    }
    AccountStore store;
    QVERIFY(store.open(path, &error));
    QVERIFY(store.exists("alice"));
    QCOMPARE(store.schemaVersion(), AccountStore::kSchemaVersion);
}

void tst_AccountStore::hasher()
{
    QVERIFY(PasswordHasher::initialize());
    const HashCost cheap{1, 8 * 1024};
    QVERIFY(PasswordHasher::isValidCost(cheap));
    QVERIFY(!PasswordHasher::isValidCost({0, 8 * 1024}));
    QVERIFY(!PasswordHasher::isValidCost({1, 1024}));
    const PasswordHasher hasher(cheap);
    const QByteArray hash = hasher.hash("correct horse");
    QVERIFY(hash.startsWith("$argon2id$v=19$m=8,t=1,p=1$"));
    QVERIFY(hasher.hash("correct horse") != hash); // salted
    QVERIFY(PasswordHasher::verify(hash, "correct horse"));
    QVERIFY(!PasswordHasher::verify(hash, "correct horsE"));
    QVERIFY(!PasswordHasher::verify(hash, ""));
    QVERIFY(!PasswordHasher::verify({}, "correct horse"));
    QVERIFY(!PasswordHasher::verify("garbage", "correct horse"));
    QVERIFY(!hasher.needsRehash(hash));
    QVERIFY(PasswordHasher({2, 8 * 1024}).needsRehash(hash));
    QVERIFY(PasswordHasher({1, 16 * 1024}).needsRehash(hash));
}

QTEST_GUILESS_MAIN(tst_AccountStore)
#include "tst_accountstore.moc"
