// Registered channels across a restart of the real server process: accounts made with NickServ
// REGISTER, a channel registered with ChanServ, its modes, key, limit, bans, exceptions and topic set
// by its founder; after the process is stopped and started again, the empty channel answers MODE,
// the ban list and TOPIC as before, a banned mask still cannot join, the key still holds, an
// access-list operator gets @ again on joining, and the audit log kept every services change.

#include "accounts/accountstore.h"
#include "auditlog.h"
#include "clientsetup.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;
using tktalk::test::connectRegistered;
using tktalk::test::serviceSays;

namespace {

constexpr const char *kPassword = "correct-horse";

/// Every message about #dev @p client received up to a sync, as "<source nick> <COMMAND>
/// <params>" (numerics without the client's nick).
QByteArrayList seen(TestIrcClient &client)
{
    const auto messages = client.sync();
    if (!messages)
        return {"<no answer to the sync>"};
    QByteArrayList lines;
    for (const Message &m : *messages) {
        const bool numeric = m.command.at(0) >= '0' && m.command.at(0) <= '9';
        const QByteArrayList params = numeric ? m.params.mid(1) : m.params;
        if (params.value(0) == "#dev")
            lines << m.sourceNick() + ' ' + m.command + ' ' + params.join(' ');
    }
    return lines;
}

/// What @p client is told about #dev by MODE, the three lists and TOPIC, one line per reply, but
/// the creation time (329): a restarted server knows when the channel was registered, not created.
QByteArrayList describeDev(TestIrcClient &client)
{
    client.sendLine("MODE #dev");
    client.sendLine("MODE #dev b");
    client.sendLine("MODE #dev e");
    client.sendLine("MODE #dev I");
    client.sendLine("TOPIC #dev");
    QByteArrayList lines;
    for (const QByteArray &line : seen(client)) {
        if (line.split(' ').value(1) != "329")
            lines << line.mid(line.indexOf(' ') + 1); // without the server's name
    }
    return lines;
}

} // namespace

class tst_RegisteredChannels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keptAcrossRestart();
};

void tst_RegisteredChannels::keptAcrossRestart()
{
    QTemporaryDir dir;
    const QStringList args = QStringList{QStringLiteral("--data-dir"), dir.path()} + test::cheapAccountArguments();
    QByteArrayList before;
    QSslCertificate certificate;
    {
        ServerProcess server;
        QVERIFY(server.start(args));
        certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
        QVERIFY(!certificate.isNull());
        auto alice = connectRegistered(server, certificate, "alice");
        auto bob = connectRegistered(server, certificate, "bob");
        auto carol = connectRegistered(server, certificate, "carol");
        QVERIFY(alice && bob && carol);
        // Accounts made from a client without SASL.
        alice->sendLine("PRIVMSG NickServ :REGISTER " + QByteArray(kPassword));
        QCOMPARE(serviceSays(*alice, "NickServ"), QByteArray("The account alice is registered, and you are logged in to it"));
        bob->sendLine("PRIVMSG NickServ :REGISTER " + QByteArray(kPassword) + " bob@example.org");
        QCOMPARE(serviceSays(*bob, "NickServ"), QByteArray("The account bob is registered, and you are logged in to it"));

        alice->sendLine("JOIN #dev");
        QVERIFY(alice->waitForCommand("366"));
        alice->sendLine("PRIVMSG ChanServ :REGISTER #dev");
        QCOMPARE(serviceSays(*alice, "ChanServ"), QByteArray("#dev is registered to alice"));
        alice->sendLine("PRIVMSG ChanServ :ACCESS #dev ADD bob op");
        QCOMPARE(serviceSays(*alice, "ChanServ"), QByteArray("bob is now op on #dev"));
        alice->sendLine("MODE #dev +mks-t sesame");
        alice->sendLine("MODE #dev +l 5");
        alice->sendLine("MODE #dev +bbe troll!*@* ~a:spammer troll!*@trusted.example");
        alice->sendLine("MODE #dev +I friend!*@*");
        alice->sendLine("TOPIC #dev :Kept across restarts");
        QCOMPARE(seen(*alice), QByteArrayList({"alice MODE #dev +mks-t sesame", "alice MODE #dev +l 5",
                                               "alice MODE #dev +bbe troll!*@* ~a:spammer troll!*@trusted.example",
                                               "alice MODE #dev +I friend!*@*", "alice TOPIC #dev Kept across restarts"}));
        alice->sendLine("PART #dev");
        QVERIFY(alice->waitForCommand("PART"));
        // carol, outside, sees what outsiders see of a secret channel: nothing until she joins.
        carol->sendLine("JOIN #dev sesame");
        QVERIFY(carol->waitForCommand("366"));
        carol->skipReceived();
        before = describeDev(*carol);
        QCOMPARE(before.size(), 10); // 324, 367 x2, 368, 348, 349, 346, 347, 332, 333
        QCOMPARE(before.first(), QByteArray("324 #dev +klmns sesame 5"));
        QVERIFY2(before.at(1).startsWith("367 #dev troll!*@* alice "), before.at(1).constData());
        QCOMPARE(before.at(8), QByteArray("332 #dev Kept across restarts"));
        carol->sendLine("PART #dev");
        QVERIFY(carol->waitForCommand("PART"));
        QVERIFY(server.stop(SIGTERM));
    }

    ServerProcess server;
    QVERIFY(server.start(args));
    // carol (no account) finds the channel empty, with all it had: the key keeps her out without it.
    auto carol = connectRegistered(server, certificate, "carol");
    auto troll = connectRegistered(server, certificate, "troll");
    QVERIFY(carol && troll);
    carol->sendLine("JOIN #dev");
    QVERIFY(carol->waitFor(test::commandWithParam("475", 1, "#dev")));
    troll->sendLine("JOIN #dev sesame");
    QVERIFY(troll->waitFor(test::commandWithParam("474", 1, "#dev")));
    carol->sendLine("JOIN #dev sesame");
    QVERIFY(carol->waitForCommand("366"));
    carol->skipReceived();
    QCOMPARE(describeDev(*carol), before);
    carol->sendLine("NAMES #dev");
    QCOMPARE(carol->waitForCommand("353")->params.last(), QByteArray("carol")); // no @ for her
    QVERIFY(carol->sync());
    carol->skipReceived();

    // bob logs in again (NickServ, no SASL) and joins without the key: the access list makes him
    // an operator, and ChanServ gives him @.
    auto bob = connectRegistered(server, certificate, "bob");
    QVERIFY(bob);
    bob->sendLine("PRIVMSG NickServ :IDENTIFY " + QByteArray(kPassword));
    QCOMPARE(serviceSays(*bob, "NickServ"), QByteArray("You are now logged in as bob"));
    bob->sendLine("JOIN #dev");
    QVERIFY(bob->waitForCommand("366"));
    QCOMPARE(seen(*carol), QByteArrayList({"bob JOIN #dev", "ChanServ MODE #dev +o bob"}));
    QVERIFY(server.stop(SIGTERM));

    // Every change made through the services is in the audit log.
    server::AccountStore store;
    QString error;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("accounts.sqlite")), &error), qPrintable(error));
    server::AuditLog audit;
    audit.open(store.connectionName());
    QByteArrayList actions;
    for (const server::AuditEntry &entry : audit.entries())
        actions << entry.oper + ' ' + entry.account + ' ' + entry.action + ' ' + entry.detail;
    QCOMPARE(actions, QByteArrayList({"alice alice NickServ REGISTER alice", "bob bob NickServ REGISTER bob",
                                      "alice alice ChanServ REGISTER #dev", "alice alice ChanServ ACCESS #dev ADD bob op"}));
}

QTEST_GUILESS_MAIN(tst_RegisteredChannels)
#include "tst_registeredchannels.moc"
