// Brute force and flood: failed logins are throttled per account and per address, hashing runs
// off the event loop so chat goes on meanwhile, and no password or hash reaches a log.

#include "accounts/authenticator.h"
#include "hashinggate.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QRegularExpression>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

/// One PLAIN attempt on a fresh connection; returns the 903/904 reply's text (empty on timeout).
QByteArray attemptLogin(TestServer &server, const QByteArray &nick, const QByteArray &account,
                        const QByteArray &password)
{
    auto client = server.connectClient();
    client->sendLine("NICK " + nick);
    client->sendLine("AUTHENTICATE PLAIN");
    if (!client->waitForCommand("AUTHENTICATE"))
        return {};
    client->sendLine("AUTHENTICATE " + test::saslPlain(account, password));
    const auto reply = client->waitFor([](const Message &m) { return m.command == "903" || m.command == "904"; });
    return reply ? reply->command + ' ' + reply->param(1) : QByteArray();
}

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log << message;
    }
    g_previousHandler(type, context, message);
}

} // namespace

class tst_BruteForce : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void throttledPerAccount();
    void throttledPerAddress();
    void chatContinuesWhileHashing();
    void secretsNeverLogged();
};

void tst_BruteForce::throttledPerAccount()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.loginFreeFailures = 2;
    config.loginLockoutMs = 60'000;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", "correct-horse"));
    QVERIFY(server.addAccount("bob", "battery-staple"));
    QElapsedTimer sinceLastFailure;
    for (int i = 0; i < 2; ++i) {
        sinceLastFailure.start();
        QVERIFY(attemptLogin(server, "m" + QByteArray::number(i), "alice", "guess").startsWith("904 SASL"));
    }
    // Locked: even the right password is refused now, before any hashing.
    const QByteArray locked = attemptLogin(server, "alice", "alice", "correct-horse");
    static const QRegularExpression wait(QStringLiteral("^904 Too many failed attempts; try again in (\\d+) seconds$"));
    const QRegularExpressionMatch match = wait.match(QString::fromLatin1(locked));
    QVERIFY2(match.hasMatch(), locked.constData());
    // What is left of the 60 s lockout: at most 60 s, and no less than 60 s minus the time since
    // the test started the failed attempt (the server recorded the failure after that).
    const qint64 leftMs = match.captured(1).toLongLong() * 1000;
    QVERIFY2(leftMs <= 60'000 && leftMs >= 60'000 - sinceLastFailure.elapsed(), locked.constData());
    QCOMPARE(server.server().authenticator().pendingHashes(), 0);
    // Another account from the same address is unaffected (the address allowance is larger).
    QCOMPARE(attemptLogin(server, "bob", "bob", "battery-staple").left(3), QByteArray("903"));
}

void tst_BruteForce::throttledPerAddress()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.loginFreeFailures = 1; // per address: four times that
    config.loginLockoutMs = 60'000;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", "correct-horse"));
    // Spraying guesses over many (even unknown) accounts trips the address limit.
    for (int i = 0; i < 4; ++i) {
        const QByteArray reply = attemptLogin(server, "m" + QByteArray::number(i), "user" + QByteArray::number(i), "x");
        QVERIFY2(reply.startsWith("904 SASL"), reply.constData());
    }
    const QByteArray locked = attemptLogin(server, "alice", "alice", "correct-horse");
    QVERIFY2(locked.startsWith("904 Too many failed attempts"), locked.constData());
}

void tst_BruteForce::chatContinuesWhileHashing()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    // Every hashing job stops at the gate: while one is held there, a hash is known to be under
    // way, however fast or slow the machine.
    test::HashingGate gate(server.server().authenticator());

    auto chatter1 = server.registeredClient("chatter1");
    auto chatter2 = server.registeredClient("chatter2");
    QVERIFY(chatter1 && chatter2);

    constexpr int kLogins = 4;
    std::vector<std::unique_ptr<TestIrcClient>> logins;
    for (int i = 0; i < kLogins; ++i) {
        auto client = server.connectClient();
        client->sendLine("NICK login" + QByteArray::number(i));
        client->sendLine("AUTHENTICATE PLAIN");
        client->sendLine("AUTHENTICATE " + test::saslPlain("alice", i % 2 ? "correct-horse" : "wrong-horse"));
        logins.push_back(std::move(client));
    }
    QVERIFY2(gate.waitForHeld(1), "no hashing job started on the thread pool");
    QVERIFY2(!gate.ranOnEventLoopThread(), "a password was hashed on the event loop");
    QTRY_COMPARE(server.server().authenticator().pendingHashes(), kLogins);

    // With hashes under way, the event loop relays chat and answers a round trip.
    chatter1->sendLine("PRIVMSG chatter2 :while hashing");
    QVERIFY(chatter2->waitFor(test::commandWithParam("PRIVMSG", 1, "while hashing")));
    QVERIFY(chatter1->sync());
    // And no login was answered before its hash was done.
    QVERIFY(gate.held() >= 1);
    QCOMPARE(server.server().authenticator().pendingHashes(), kLogins);

    // Once the gate opens, every login gets its answer.
    gate.open();
    for (int i = 0; i < kLogins; ++i) {
        const auto reply =
            logins[i]->waitFor([](const Message &m) { return m.command == "903" || m.command == "904"; });
        QVERIFY(reply);
        QCOMPARE(reply->command, QByteArray(i % 2 ? "903" : "904"));
    }
    QCOMPARE(server.server().authenticator().pendingHashes(), 0);
}

void tst_BruteForce::secretsNeverLogged()
{
    QLoggingCategory::setFilterRules(QStringLiteral("tktalk.*=true"));
    g_previousHandler = qInstallMessageHandler(captureMessage);
    {
        TestServer server(test::accountsTestConfig());
        auto client = server.connectClient();
        client->sendLine("PASS not-needed-secret");
        client->sendLine("NICK alice");
        client->sendLine("REGISTER * * first-secret-pw");
        QVERIFY(client->waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")));
        client->sendLine("USER alice 0 * :Alice");
        QVERIFY(client->waitForCommand("001"));
        const QByteArray hash = server.server().accountStore().find("alice")->passwordHash;
        QVERIFY(!hash.isEmpty());
        QCOMPARE(attemptLogin(server, "a2", "alice", "first-secret-pw").left(3), QByteArray("903"));
        QCOMPARE(attemptLogin(server, "a3", "alice", "wrong-secret-pw").left(3), QByteArray("904"));
        client->sendLine("QUIT");
        QVERIFY(client->waitForDisconnected());

        QMutexLocker lock(&g_logMutex);
        QVERIFY(g_log.size() > 5); // the logging itself worked
        for (const QString &line : std::as_const(g_log)) {
            for (const QString &secret : {QStringLiteral("secret-pw"), QStringLiteral("not-needed-secret"),
                                          QStringLiteral("$argon2"), QString::fromLatin1(hash)}) {
                QVERIFY2(!line.contains(secret), qPrintable(line));
            }
            // Nor the base64 of the PLAIN payload.
            QVERIFY(!line.contains(QString::fromLatin1(test::saslPlain("alice", "first-secret-pw"))));
        }
    }
    qInstallMessageHandler(g_previousHandler);
    QLoggingCategory::setFilterRules(QString());
}

// The log test needs every tktalk category on, whatever QT_LOGGING_RULES the test runner sets
// (environment rules outrank QLoggingCategory::setFilterRules, and are read once at start).
int main(int argc, char *argv[])
{
    qunsetenv("QT_LOGGING_RULES");
    QCoreApplication app(argc, argv);
    tst_BruteForce test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_bruteforce.moc"
