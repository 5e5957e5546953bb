// `tktalk account ...` administers the accounts of a server's data directory, also while it runs.

#include "serverprocess.h"
#include "testircclient.h"

#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tktalk;
using tktalk::test::runTktalk;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

const QStringList kCheapHash{QStringLiteral("--hash-memory"), QStringLiteral("1"), QStringLiteral("--hash-passes"),
                             QStringLiteral("1")};

QStringList accountArgs(const QTemporaryDir &dir, const QStringList &words)
{
    return QStringList{QStringLiteral("account")} + words
           + QStringList{QStringLiteral("--data-dir"), dir.path()} + kCheapHash;
}

bool logsIn(quint16 port, const QSslCertificate &serverCertificate, const QByteArray &account,
            const QByteArray &password)
{
    TestIrcClient client;
    client.connectTo(port, serverCertificate);
    if (!client.waitForEncrypted())
        return false;
    client.sendLine("NICK tester");
    client.sendLine("AUTHENTICATE PLAIN");
    client.sendLine("AUTHENTICATE " + ('\0' + account + '\0' + password).toBase64());
    const auto reply = client.waitFor(
        [](const protocol::Message &m) { return m.command == "903" || m.command == "904"; });
    return reply && reply->command == "903";
}

} // namespace

class tst_AccountCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void manageAccounts();
    void badUsage_data();
    void badUsage();
    void liveServerSeesChanges();
    void operatorAccountAndBanAcrossRestart();
};

void tst_AccountCli::manageAccounts()
{
    QTemporaryDir dir;
    QByteArray output;
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("add"), QStringLiteral("Alice")}), "correct-horse\n",
                       &output),
             0);
    QVERIFY(output.contains("Added account Alice"));
    QVERIFY(!output.contains("correct-horse"));
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("add"), QStringLiteral("alice")}), "other-password\n",
                       &output),
             1);
    QVERIFY(output.contains("already exists"));
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("add"), QStringLiteral("bob")}), "short\n", &output), 2);
    QVERIFY(output.contains("at least 8"));
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("list")}), {}, &output), 0);
    QVERIFY2(output.startsWith("Alice\t"), output.constData());
    QCOMPARE(output.count('\n'), 1);
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("passwd"), QStringLiteral("ALICE")}), "battery-staple\n"), 0);
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("cert"), QStringLiteral("alice"),
                                         QStringLiteral("AB:").repeated(31) + QStringLiteral("AB")})),
             0);
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("delete"), QStringLiteral("alice")}), {}, &output), 0);
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("delete"), QStringLiteral("alice")}), {}, &output), 1);
    QVERIFY(output.contains("no account alice"));
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("list")}), {}, &output), 0);
    QVERIFY(output.isEmpty());
}

void tst_AccountCli::badUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("no action") << QStringList{QStringLiteral("account")} << QByteArray("usage: tktalk account");
    QTest::newRow("unknown action") << QStringList{QStringLiteral("account"), QStringLiteral("frob")}
                                    << QByteArray("usage: tktalk account");
    QTest::newRow("missing name") << QStringList{QStringLiteral("account"), QStringLiteral("add")}
                                  << QByteArray("usage: tktalk account");
    QTest::newRow("extra word") << QStringList{QStringLiteral("account"), QStringLiteral("list"), QStringLiteral("x")}
                                << QByteArray("usage: tktalk account");
    QTest::newRow("bad name") << QStringList{QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("9x")}
                              << QByteArray("invalid account name");
    QTest::newRow("bad fingerprint") << QStringList{QStringLiteral("account"), QStringLiteral("cert"),
                                                    QStringLiteral("alice"), QStringLiteral("abc")}
                                     << QByteArray("invalid fingerprint");
    QTest::newRow("bad oper switch") << QStringList{QStringLiteral("account"), QStringLiteral("oper"),
                                                    QStringLiteral("alice"), QStringLiteral("maybe")}
                                     << QByteArray("expected on or off");
    QTest::newRow("oper without switch") << QStringList{QStringLiteral("account"), QStringLiteral("oper"),
                                                        QStringLiteral("alice")}
                                         << QByteArray("usage: tktalk account");
    QTest::newRow("server flag") << QStringList{QStringLiteral("account"), QStringLiteral("list"),
                                                QStringLiteral("--require-account")}
                                 << QByteArray("not an option of tktalk account");
    QTest::newRow("bad hash memory") << QStringList{QStringLiteral("account"), QStringLiteral("list"),
                                                    QStringLiteral("--hash-memory"), QStringLiteral("0")}
                                     << QByteArray("--hash-memory");
}

void tst_AccountCli::badUsage()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    QTemporaryDir dir;
    QByteArray output;
    QCOMPARE(runTktalk(arguments + QStringList{QStringLiteral("--data-dir"), dir.path()}, {}, &output), 2);
    QVERIFY2(output.contains(message), output.constData());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("accounts.sqlite"))));
}

void tst_AccountCli::liveServerSeesChanges()
{
    QTemporaryDir dir;
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("add"), QStringLiteral("alice")}), "correct-horse\n"), 0);
    ServerProcess server;
    QVERIFY(server.start(QStringList{QStringLiteral("--data-dir"), dir.path()} + kCheapHash));
    const QList<QSslCertificate> certificate =
        QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt")));
    QCOMPARE(certificate.size(), 1);
    QVERIFY(logsIn(server.port(), certificate.first(), "alice", "correct-horse"));
    // Added while the server runs: usable at once (SQLite in WAL mode, several processes).
    QVERIFY(!logsIn(server.port(), certificate.first(), "bob", "battery-staple"));
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("add"), QStringLiteral("bob")}), "battery-staple\n"), 0);
    QVERIFY(logsIn(server.port(), certificate.first(), "bob", "battery-staple"));
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("delete"), QStringLiteral("alice")})), 0);
    QVERIFY(!logsIn(server.port(), certificate.first(), "alice", "correct-horse"));
}

void tst_AccountCli::operatorAccountAndBanAcrossRestart()
{
    QTemporaryDir dir;
    QByteArray output;
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("add"), QStringLiteral("opal")}), "oper-password\n"), 0);
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("oper"), QStringLiteral("nobody"), QStringLiteral("on")}), {},
                       &output),
             1);
    QVERIFY2(output.contains("no account nobody"), output.constData());
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("oper"), QStringLiteral("opal"), QStringLiteral("on")}), {},
                       &output),
             0);
    QVERIFY2(output.contains("opal is now a server operator account"), output.constData());
    QCOMPARE(runTktalk(accountArgs(dir, {QStringLiteral("list")}), {}, &output), 0);
    QVERIFY2(output.contains("\toperator"), output.constData());

    const QStringList serverArguments = QStringList{QStringLiteral("--data-dir"), dir.path()} + kCheapHash;
    ServerProcess server;
    QVERIFY(server.start(serverArguments));
    const QList<QSslCertificate> certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt")));
    QCOMPARE(certificate.size(), 1);
    {
        TestIrcClient oper;
        oper.connectTo(server.port(), certificate.first());
        QVERIFY(oper.waitForEncrypted());
        QVERIFY(oper.registerAs("opnick"));
        oper.sendLine("OPER opal oper-password");
        QVERIFY(oper.waitForCommand("381"));
        oper.sendLine("KLINE troll 0 :trolling");
        QVERIFY(oper.waitFor(test::commandWithParam("NOTICE", 1, "Added K-line on troll!*@* (permanent): trolling")));
    }
    QVERIFY(server.waitForLog(QStringLiteral("Operator opnick (account opal) KLINE troll!*@* 0 :trolling")));
    QVERIFY(server.stop(SIGTERM));

    ServerProcess restarted;
    QVERIFY(restarted.start(serverArguments));
    TestIrcClient troll;
    troll.connectTo(restarted.port(), certificate.first());
    QVERIFY(troll.waitForEncrypted());
    troll.sendLine("NICK troll");
    troll.sendLine("USER troll 0 * :troll");
    QVERIFY(troll.waitForCommand("465"));
    QCOMPARE(troll.waitForError()->param(0), QByteArray("Closing Link: 127.0.0.1 (K-Lined: trolling)"));
    QVERIFY(restarted.waitForLog(QStringLiteral("by the server ban on troll!*@*")));
}

QTEST_GUILESS_MAIN(tst_AccountCli)
#include "tst_accountcli.moc"
