// The account database under faults, with the real server process: damaged at start (exit 2,
// one line saying what to do, the file left as it was), locked by another process, the disk
// full, the data directory read-only. In each, chat goes on, logins work where the database can
// be read, registrations fail with a clear reply and a log line, and no acknowledged account is
// lost. The disk and read-only cases mount a small tmpfs and a read-only bind mount in a mount
// namespace of the test's own, which needs root (as CI runs); elsewhere they are skipped.

#include "accounts/accountstore.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <sched.h>
#include <sys/mount.h>

#include <cerrno>
#include <csignal>
#include <cstring>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

constexpr int kMaxRegistrationsUntilFull = 400;

QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

/// A client of @p server that is registered as @p nick in #lobby, or nullptr.
std::unique_ptr<TestIrcClient> chatter(ServerProcess &server, const QSslCertificate &certificate, const QByteArray &nick)
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(server.port(), certificate);
    if (!client->waitForEncrypted() || !client->registerAs(nick))
        return nullptr;
    return client;
}

/// Sends REGISTER for @p account on a fresh connection; returns the REGISTER or FAIL reply.
std::optional<Message> registerAccount(ServerProcess &server, const QSslCertificate &certificate,
                                       const QByteArray &account)
{
    TestIrcClient client;
    client.connectTo(server.port(), certificate);
    if (!client.waitForEncrypted())
        return std::nullopt;
    client.sendLine("NICK " + account);
    client.sendLine("REGISTER * * correct-horse");
    return client.waitFor([](const Message &m) { return m.command == "REGISTER" || m.command == "FAIL"; });
}

bool logsIn(ServerProcess &server, const QSslCertificate &certificate, const QByteArray &account)
{
    TestIrcClient client;
    client.connectTo(server.port(), certificate);
    if (!client.waitForEncrypted())
        return false;
    client.sendLine("NICK checker");
    client.sendLine("AUTHENTICATE PLAIN");
    client.sendLine("AUTHENTICATE " + ('\0' + account + '\0' + QByteArray("correct-horse")).toBase64());
    const auto reply = client.waitFor([](const Message &m) { return m.command == "903" || m.command == "904"; });
    return reply && reply->command == "903";
}

/// One chat line from @p from reaches @p to.
bool chatWorks(TestIrcClient &from, TestIrcClient &to, const QByteArray &text)
{
    from.sendLine("PRIVMSG #lobby :" + text);
    return to.waitFor([&text](const Message &m) { return m.command == "PRIVMSG" && m.param(1) == text; }).has_value();
}

bool isFail(const std::optional<Message> &reply, const QByteArray &code)
{
    return reply && reply->command == "FAIL" && reply->param(0) == "REGISTER" && reply->param(1) == code;
}

/// Every acknowledged account is in the database at @p dataDir, which is intact.
void checkAccounts(const QString &dataDir, const QList<QByteArray> &acknowledged)
{
    server::AccountStore store;
    QString error;
    QVERIFY2(store.open(QDir(dataDir).filePath(QStringLiteral("accounts.sqlite")), &error), qPrintable(error));
    QVERIFY2(store.checkIntegrity(&error), qPrintable(error));
    for (const QByteArray &name : acknowledged)
        QVERIFY2(store.exists(name), name.constData());
}

} // namespace

class tst_StorageFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void damagedDatabaseStopsTheStart_data();
    void damagedDatabaseStopsTheStart();
    void lockedDatabase();
    void diskFull();
    void readOnlyDataDirectory();

private:
    /// Starts a server on @p dataDir and registers @p accounts on it, then stops it.
    void prepareAccounts(const QString &dataDir, const QList<QByteArray> &accounts);
    bool m_canMount = false;
    QString m_whyNoMounts;
};

void tst_StorageFaults::initTestCase()
{
    // Mounts made from here on are seen by this process and the servers it starts, nobody else.
    if (::unshare(CLONE_NEWNS) != 0) {
        m_whyNoMounts = QStringLiteral("no mount namespace of our own (%1); run as root").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    m_canMount = ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
    if (!m_canMount)
        m_whyNoMounts = QStringLiteral("cannot make mounts private (%1)").arg(QString::fromLocal8Bit(std::strerror(errno)));
}

void tst_StorageFaults::prepareAccounts(const QString &dataDir, const QList<QByteArray> &accounts)
{
    ServerProcess server;
    // One connection per account, all from 127.0.0.1: more than a client may begin at once.
    QVERIFY(server.start(dataDir, test::cheapAccountArguments()
                                      << QStringLiteral("--handshake-rate") << QStringLiteral("0")));
    const QSslCertificate certificate = QSslCertificate::fromPath(QDir(dataDir).filePath(QStringLiteral("tktalk.crt"))).value(0);
    for (const QByteArray &account : accounts) {
        const auto reply = registerAccount(server, certificate, account);
        QVERIFY2(reply && reply->command == "REGISTER", account.constData());
    }
    QVERIFY(server.stop(SIGTERM));
}

void tst_StorageFaults::damagedDatabaseStopsTheStart_data()
{
    QTest::addColumn<bool>("keepHeader");
    QTest::newRow("not a database") << false;
    QTest::newRow("damaged page") << true;
}

void tst_StorageFaults::damagedDatabaseStopsTheStart()
{
    QFETCH(bool, keepHeader);
    QTemporaryDir dir;
    QList<QByteArray> accounts;
    for (int i = 0; i < 60; ++i)
        accounts << "user" + QByteArray::number(i);
    prepareAccounts(dir.path(), accounts);
    if (QTest::currentTestFailed())
        return;
    const QString path = dir.filePath(QStringLiteral("accounts.sqlite"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY2(file.size() >= 4 * 4096, "the database should span several pages");
        // Either the header itself, or a page of the accounts table behind an intact header.
        QVERIFY(file.seek(keepHeader ? 2 * 4096 : 0));
        QVERIFY(file.write(QByteArray(4096, char(0xA5))) == 4096);
    }
    const QByteArray before = fileDigest(path);

    QByteArray out;
    QByteArray err;
    const int status = test::runTktalkSeparately({QStringLiteral("--server"), QStringLiteral("--listen"),
                                                  QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.path()},
                                                 &out, &err);
    QCOMPARE(status, 2);
    // The last thing said is one line that names the file and says what to do.
    const QList<QByteArray> lines = err.trimmed().split('\n');
    const QByteArray verdict = lines.constLast();
    QVERIFY2(verdict.startsWith("tktalk: the account database ") && verdict.contains(path.toUtf8())
                 && verdict.contains("damaged") && verdict.contains("restore it from a backup, or move it aside"),
             err.constData());
    // Nothing was lost: the file is exactly as it was.
    QCOMPARE(fileDigest(path), before);
}

void tst_StorageFaults::lockedDatabase()
{
    QTemporaryDir dir;
    prepareAccounts(dir.path(), {"alice"});
    if (QTest::currentTestFailed())
        return;
    ServerProcess server;
    QVERIFY(server.start(dir.path(), test::cheapAccountArguments()));
    const QSslCertificate certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
    auto one = chatter(server, certificate, "one");
    auto two = chatter(server, certificate, "two");
    QVERIFY(one && two);

    {
        // Another process (this test) holds the write lock, as a stuck `sqlite3` shell would.
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
        other.setDatabaseName(dir.filePath(QStringLiteral("accounts.sqlite")));
        QVERIFY(other.open());
        QSqlQuery lock(other);
        QVERIFY2(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(lock.lastError().text()));
        QVERIFY(lock.exec(QStringLiteral("INSERT INTO accounts (name, folded, created_at) VALUES ('held', 'held', 0)")));

        QVERIFY(isFail(registerAccount(server, certificate, "bob"), "TEMPORARILY_UNAVAILABLE"));
        QVERIFY(server.waitForLog(QStringLiteral("locked by another process")));
        QVERIFY2(logsIn(server, certificate, "alice"), "reading the database needs no write lock");
        QVERIFY(chatWorks(*one, *two, "still chatting while the database is locked"));

        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        other.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other"));

    const auto retry = registerAccount(server, certificate, "bob");
    QVERIFY(retry && retry->command == "REGISTER" && retry->param(0) == "SUCCESS");
    QVERIFY(chatWorks(*two, *one, "and after"));
    QVERIFY(server.stop(SIGTERM));
    checkAccounts(dir.path(), {"alice", "bob"});
}

void tst_StorageFaults::diskFull()
{
    if (!m_canMount)
        QSKIP(qPrintable(m_whyNoMounts));
    QTemporaryDir dir;
    QVERIFY2(::mount("tmpfs", QFile::encodeName(dir.path()).constData(), "tmpfs", 0, "size=2m,mode=0700") == 0,
             std::strerror(errno));
    const auto unmount = qScopeGuard([&dir] { ::umount2(QFile::encodeName(dir.path()).constData(), MNT_DETACH); });
    ServerProcess server;
    QVERIFY(server.start(dir.path(), test::cheapAccountArguments()));
    const QSslCertificate certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
    QList<QByteArray> acknowledged;
    QVERIFY(registerAccount(server, certificate, "alice").value_or(Message()).command == "REGISTER");
    acknowledged << "alice";
    auto one = chatter(server, certificate, "one");
    auto two = chatter(server, certificate, "two");
    QVERIFY(one && two);

    // Fill the file system to the last block.
    QFile filler(dir.filePath(QStringLiteral("filler")));
    QVERIFY(filler.open(QIODevice::WriteOnly));
    const QByteArray block(4096, 'x');
    while (filler.write(block) == block.size() && filler.flush()) {
    }
    filler.close();

    // Registrations go on until the database cannot grow; that one is refused with a reason.
    std::optional<Message> reply;
    for (int i = 0; i < kMaxRegistrationsUntilFull; ++i) {
        const QByteArray name = "full" + QByteArray::number(i);
        reply = registerAccount(server, certificate, name);
        QVERIFY(reply);
        if (reply->command != "REGISTER")
            break;
        acknowledged << name;
    }
    QVERIFY2(isFail(reply, "TEMPORARILY_UNAVAILABLE"), "a registration should fail once the disk is full");
    QVERIFY(server.waitForLog(QStringLiteral("the disk is full")));
    QVERIFY(logsIn(server, certificate, "alice"));
    QVERIFY(chatWorks(*one, *two, "the disk is full, the chat is not"));

    // Space again: registrations work again, without a restart.
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("filler"))));
    const auto again = registerAccount(server, certificate, "afterwards");
    QVERIFY(again && again->command == "REGISTER" && again->param(0) == "SUCCESS");
    acknowledged << "afterwards";
    QVERIFY(server.stop(SIGTERM));
    checkAccounts(dir.path(), acknowledged);
}

void tst_StorageFaults::readOnlyDataDirectory()
{
    if (!m_canMount)
        QSKIP(qPrintable(m_whyNoMounts));
    QTemporaryDir dir;
    prepareAccounts(dir.path(), {"alice"});
    if (QTest::currentTestFailed())
        return;
    const QByteArray path = QFile::encodeName(dir.path());
    QVERIFY2(::mount(path.constData(), path.constData(), nullptr, MS_BIND, nullptr) == 0, std::strerror(errno));
    const auto unmount = qScopeGuard([&path] { ::umount2(path.constData(), MNT_DETACH); });
    QVERIFY2(::mount(nullptr, path.constData(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) == 0,
             std::strerror(errno));

    ServerProcess server;
    QVERIFY(server.start(dir.path(), test::cheapAccountArguments()));
    QVERIFY(server.log().contains(QStringLiteral("read-only file system")));
    const QSslCertificate certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
    QVERIFY(logsIn(server, certificate, "alice"));
    QVERIFY(isFail(registerAccount(server, certificate, "bob"), "TEMPORARILY_UNAVAILABLE"));
    auto one = chatter(server, certificate, "one");
    auto two = chatter(server, certificate, "two");
    QVERIFY(one && two);
    QVERIFY(chatWorks(*one, *two, "a read-only disk does not stop the chat"));
    QVERIFY(server.stop(SIGTERM));
}

QTEST_GUILESS_MAIN(tst_StorageFaults)
#include "tst_storagefaults.moc"
