// Server operators over real TLS: OPER and SASL to an operator account, KILL, server bans (KLINE,
// UNKLINE, STATS k) by mask, account and network that hold on reconnect and after a restart,
// WALLOPS, REHASH, SAMODE, and the audit log. Each command: the operator succeeds, anyone else gets
// 481 and nothing changes, bystanders see exactly what they should.

#include "channelfixture.h"

#include "accounts/accountstore.h"
#include "testcertificatefiles.h"

#include <QTest>

using namespace tktalk;
using test::containing;
using test::seen;
using test::TestIrcClient;

namespace {

constexpr const char *kOperPassword = "oper-password";

/// ChannelFixture with an operator account "opal" and an ordinary account "plain".
struct OperFixture : test::ChannelFixture
{
    explicit OperFixture(server::ServerConfig config = test::accountsTestConfig())
        : ChannelFixture(std::move(config))
    {}

    bool ready()
    {
        return server.addAccount("opal", kOperPassword) && server.server().accountStore().setOperator("opal", true)
               && server.addAccount("plain", "plain-password") && ChannelFixture::ready();
    }

    /// OPER opal for @p client; its cursor ends past the 381 and the MODE +o.
    static bool makeOperator(TestIrcClient &client)
    {
        client.sendLine(QByteArray("OPER opal ") + kOperPassword);
        const bool granted = client.waitForCommand("381").has_value();
        client.sync();
        client.skipReceived();
        return granted;
    }

    QByteArrayList auditActions()
    {
        QByteArrayList actions;
        for (const server::AuditEntry &entry : server.server().auditLog().entries())
            actions << entry.oper + ' ' + entry.account + ' ' + entry.action + ' ' + entry.detail;
        return actions;
    }
};

/// A new connection as @p nick: the 465 and ERROR a server ban gives, or the 001 of a welcome
/// (after which it quits, and is gone before this returns: #lobby saw it come and go).
QByteArray tryToRegister(test::TestServer &server, const QByteArray &nick)
{
    auto client = server.connectClient();
    client->sendLine("NICK " + nick);
    client->sendLine("USER " + nick + " 0 * :" + nick);
    const auto answer = client->waitFor([](const protocol::Message &m) { return m.command == "001" || m.command == "465"; });
    if (!answer)
        return "no answer";
    if (answer->command == "001") {
        client->sendLine("QUIT");
        return client->waitForError() && client->waitForDisconnected() ? "001" : "001 without a clean QUIT";
    }
    const auto error = client->waitForError();
    return "465 " + (error ? error->param(0) : QByteArray("without ERROR"));
}

} // namespace

class tst_Operators : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void operGrantsOperatorMode();
    void lusersCountsOperators();
    void operatorMarkedInWhoAndUserhost();
    void operRefused_data();
    void operRefused();
    void saslLoginToOperatorAccount();
    void operatorCommandsRefused_data();
    void operatorCommandsRefused();
    void kill();
    void klineByMask();
    void klineByAccount();
    void klineByNetworkSparesOperators();
    void klineBadArguments();
    void klineSurvivesRestart();
    void wallops();
    void rehash();
    void samode();
    void samodeReachesSecretChannels();
    void deoper();
};

void tst_Operators::operGrantsOperatorMode()
{
    OperFixture f;
    QVERIFY(f.ready());
    f.alice->sendLine(QByteArray("OPER OPAL ") + kOperPassword);
    QVERIFY(f.alice->waitForCommand("381"));
    QCOMPARE(seen(*f.alice), QByteArrayList({"alice MODE alice +o"}));
    f.alice->sendLine("MODE alice");
    QVERIFY(f.alice->waitFor(test::commandWithParam("221", 1, "+o")));
    f.bob->sendLine("WHOIS alice");
    QCOMPARE(containing(seen(*f.bob), "313 alice"), QByteArrayList({"313 alice"}));
    for (TestIrcClient *bystander : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(bystander->receivedNothing());
    QCOMPARE(f.auditActions(), QByteArrayList({"alice opal OPER from 127.0.0.1"}));
}

/// The 252 of a LUSERS by @p client, as "<count> <text>", or "none".
static QByteArray lusersOperators(TestIrcClient &client)
{
    client.sendLine("LUSERS");
    QByteArray found = "none";
    for (const protocol::Message &m : client.sync().value_or(QList<protocol::Message>{}))
        found = m.command == "252" ? m.params.mid(1).join(' ') : found;
    return found;
}

void tst_Operators::lusersCountsOperators()
{
    OperFixture f;
    QVERIFY(f.ready());
    QCOMPARE(lusersOperators(*f.carol), QByteArray("none")); // RFC 2812: 252 only with operators online
    QVERIFY(OperFixture::makeOperator(*f.alice));
    QCOMPARE(lusersOperators(*f.carol), QByteArray("1 operator(s) online"));
    QVERIFY(OperFixture::makeOperator(*f.bob));
    QCOMPARE(lusersOperators(*f.carol), QByteArray("2 operator(s) online"));
    f.alice->sendLine("MODE alice -o");
    QVERIFY(f.alice->waitFor(test::commandWithParam("MODE", 1, "-o")));
    QCOMPARE(lusersOperators(*f.carol), QByteArray("1 operator(s) online"));
    f.bob->sendLine("QUIT");
    QVERIFY(f.bob->waitForDisconnected());
    QTRY_COMPARE(f.server.server().registry().userCount(), 3);
    QCOMPARE(lusersOperators(*f.carol), QByteArray("none"));
}

void tst_Operators::operatorMarkedInWhoAndUserhost()
{
    // RFC 2812: WHO's flags and USERHOST's reply mark a server operator with '*'.
    OperFixture f;
    QVERIFY(f.ready());
    // alice's flags in the answer to @p query: a 352 (nick in parameter 5, flags in 6) or a 354
    // for "%tnf" (nick in 2, flags in 3).
    const auto whoFlags = [&f](const QByteArray &query) {
        f.bob->skipReceived();
        f.bob->sendLine(query);
        const auto reply = f.bob->waitFor([](const protocol::Message &m) {
            return (m.command == "352" && m.param(5) == "alice") || (m.command == "354" && m.param(2) == "alice");
        });
        return reply ? reply->param(reply->command == "352" ? 6 : 3) : QByteArray("no reply");
    };
    const auto userhost = [&f]() {
        f.bob->skipReceived();
        f.bob->sendLine("USERHOST alice");
        const auto reply = f.bob->waitForCommand("302");
        return reply ? reply->param(1).trimmed() : QByteArray("no reply");
    };
    QCOMPARE(whoFlags("WHO #lobby").contains('*'), false);
    QCOMPARE(userhost(), QByteArray("alice=+~alice@127.0.0.1"));
    QVERIFY(OperFixture::makeOperator(*f.alice));
    QCOMPARE(whoFlags("WHO #lobby"), QByteArray("H*@"));
    QCOMPARE(whoFlags("WHO #lobby %tnf,7"), QByteArray("H*@"));
    QCOMPARE(userhost(), QByteArray("alice*=+~alice@127.0.0.1"));
}

void tst_Operators::operRefused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::newRow("wrong password") << QByteArray("OPER opal wrong-password") << QByteArray("464");
    QTest::newRow("not an operator account") << QByteArray("OPER plain plain-password") << QByteArray("491");
    QTest::newRow("no such account") << QByteArray("OPER nobody whatever") << QByteArray("491");
    QTest::newRow("no password") << QByteArray("OPER opal") << QByteArray("461 OPER");
}

void tst_Operators::operRefused()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    OperFixture f;
    QVERIFY(f.ready());
    f.alice->sendLine(line);
    QVERIFY(f.alice->waitFor([](const protocol::Message &m) { return m.command.startsWith('4'); }));
    f.alice->sendLine("MODE alice");
    QVERIFY(f.alice->waitFor(test::commandWithParam("221", 1, "+")));
    // What came before the MODE query: the refusal alone.
    QByteArrayList refusal;
    for (const protocol::Message &m : f.alice->received()) {
        if (m.command.startsWith('4'))
            refusal << m.command + (m.command == "461" ? " " + m.param(1) : QByteArray());
    }
    QCOMPARE(refusal, QByteArrayList({numeric}));
    f.alice->sendLine("KILL bob :still not");
    QCOMPARE(seen(*f.alice), QByteArrayList({"481"}));
    for (TestIrcClient *bystander : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(bystander->receivedNothing());
    QVERIFY(f.auditActions().isEmpty());
}

void tst_Operators::saslLoginToOperatorAccount()
{
    OperFixture f;
    QVERIFY(f.ready());
    auto client = f.server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("NICK opal");
    client->sendLine("USER opal 0 * :opal");
    client->sendLine("CAP REQ sasl");
    QVERIFY(client->waitFor(test::commandWithParam("CAP", 1, "ACK")));
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + test::saslPlain("opal", kOperPassword));
    QVERIFY(client->waitForCommand("903"));
    client->sendLine("CAP END");
    QVERIFY(client->waitForCommand("001"));
    QVERIFY(client->waitForCommand("381"));
    QVERIFY(client->waitFor(test::commandWithParam("MODE", 1, "+o")));
    // A login to an ordinary account gives no +o.
    auto plain = f.server.connectClient();
    plain->sendLine("CAP REQ sasl");
    plain->sendLine("NICK plain");
    plain->sendLine("USER plain 0 * :plain");
    plain->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(plain->waitForCommand("AUTHENTICATE"));
    plain->sendLine("AUTHENTICATE " + test::saslPlain("plain", "plain-password"));
    QVERIFY(plain->waitForCommand("903"));
    plain->sendLine("CAP END");
    QVERIFY(plain->waitForCommand("366"));
    plain->sendLine("MODE plain");
    QVERIFY(plain->waitFor(test::commandWithParam("221", 1, "+")));
}

void tst_Operators::operatorCommandsRefused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("KILL") << QByteArray("KILL bob :bye");
    QTest::newRow("KLINE") << QByteArray("KLINE bob!*@* 0 :bye");
    QTest::newRow("UNKLINE") << QByteArray("UNKLINE bob!*@*");
    QTest::newRow("STATS k") << QByteArray("STATS k");
    QTest::newRow("WALLOPS") << QByteArray("WALLOPS :hello");
    QTest::newRow("REHASH") << QByteArray("REHASH");
    QTest::newRow("SAMODE") << QByteArray("SAMODE #lobby +o bob");
}

void tst_Operators::operatorCommandsRefused()
{
    QFETCH(QByteArray, line);
    OperFixture f;
    QVERIFY(f.ready());
    f.bob->sendLine("MODE bob +w");
    QCOMPARE(seen(*f.bob), QByteArrayList({"bob MODE bob +w"}));
    f.alice->sendLine(line);
    QCOMPARE(seen(*f.alice), QByteArrayList({"481"}));
    for (TestIrcClient *bystander : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(bystander->receivedNothing());
    QVERIFY(f.server.server().serverBans().active(0).isEmpty());
    QVERIFY(f.auditActions().isEmpty());
    QCOMPARE(tryToRegister(f.server, "bob2"), QByteArray("001"));
}

void tst_Operators::kill()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("KILL nobody :who");
    QCOMPARE(seen(*f.alice), QByteArrayList({"401 nobody"}));
    f.alice->sendLine("KILL bob :spamming");
    const auto error = f.bob->waitForError();
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Closing Link: 127.0.0.1 (Killed (alice (spamming)))"));
    QVERIFY(f.bob->waitForDisconnected());
    const QByteArrayList quit{"bob QUIT Killed (alice (spamming))"};
    QCOMPARE(seen(*f.alice), quit);
    QCOMPARE(seen(*f.carol), quit);
    QVERIFY(f.dave->receivedNothing()); // shares no channel with bob
    QCOMPARE(f.auditActions().mid(1), QByteArrayList({"alice opal KILL bob :spamming"}));
}

void tst_Operators::klineByMask()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("KLINE bob 1h :go away");
    const QByteArrayList toOperator = seen(*f.alice);
    QCOMPARE(toOperator.size(), 3);
    QVERIFY2(toOperator.at(0).startsWith("irc.test NOTICE alice Added K-line on bob!*@* (until "), toOperator.at(0).constData());
    QVERIFY(toOperator.at(0).endsWith("): go away"));
    QCOMPARE(toOperator.at(1), QByteArray("bob QUIT K-Lined"));
    QCOMPARE(toOperator.at(2), QByteArray("irc.test NOTICE alice Disconnected 1 connection(s) matching bob!*@*"));
    QVERIFY(f.bob->waitForCommand("465"));
    QCOMPARE(f.bob->waitForError()->param(0), QByteArray("Closing Link: 127.0.0.1 (K-Lined: go away)"));
    QCOMPARE(seen(*f.carol), QByteArrayList({"bob QUIT K-Lined"}));
    QVERIFY(f.dave->receivedNothing());
    // The ban holds on reconnect; other nicks from the same host are welcome.
    QCOMPARE(tryToRegister(f.server, "BOB"), QByteArray("465 Closing Link: 127.0.0.1 (K-Lined: go away)"));
    QCOMPARE(tryToRegister(f.server, "robert"), QByteArray("001"));
    QVERIFY(f.alice->sync());
    f.alice->skipReceived(); // robert's JOIN and QUIT
    f.alice->sendLine("STATS k");
    const auto listing = f.alice->sync();
    QVERIFY(listing);
    QCOMPARE(listing->size(), 2);
    QCOMPARE(listing->at(0).command, QByteArray("216"));
    QCOMPARE(listing->at(0).params.mid(1, 2), QByteArrayList({"K", "bob!*@*"}));
    QCOMPARE(listing->at(0).params.mid(5), QByteArrayList({"alice", "go away"}));
    const qint64 setAt = listing->at(0).param(3).toLongLong();
    QCOMPARE(listing->at(0).param(4).toLongLong(), setAt + 3600);
    QCOMPARE(listing->at(1).command, QByteArray("219"));
    f.alice->sendLine("UNKLINE bob!*@*");
    QCOMPARE(seen(*f.alice), QByteArrayList({"irc.test NOTICE alice Removed K-line on bob!*@*"}));
    f.alice->sendLine("UNKLINE bob!*@*");
    QCOMPARE(seen(*f.alice), QByteArrayList({"irc.test FAIL UNKLINE NO_SUCH_BAN bob!*@* There is no K-line on that mask"}));
    QCOMPARE(tryToRegister(f.server, "bob"), QByteArray("001"));
    QCOMPARE(f.auditActions().mid(1),
             QByteArrayList({"alice opal KLINE bob!*@* 3600 :go away", "alice opal UNKLINE bob!*@*"}));
}

void tst_Operators::klineByAccount()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(f.server.addAccount("mallory", "mallory-password"));
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("KLINE ~a:Mallory 0 :known troll");
    QVERIFY(f.alice->waitForCommand("NOTICE"));
    auto mallory = f.server.connectClient();
    mallory->sendLine("CAP REQ sasl");
    mallory->sendLine("NICK someone");
    mallory->sendLine("USER m 0 * :m");
    mallory->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(mallory->waitForCommand("AUTHENTICATE"));
    mallory->sendLine("AUTHENTICATE " + test::saslPlain("mallory", "mallory-password"));
    QVERIFY(mallory->waitForCommand("903"));
    mallory->sendLine("CAP END");
    QVERIFY(mallory->waitForCommand("465"));
    QCOMPARE(mallory->waitForError()->param(0), QByteArray("Closing Link: 127.0.0.1 (K-Lined: known troll)"));
    for (TestIrcClient *bystander : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(bystander->receivedNothing());
    // Not logged in, the same nick is nobody in particular.
    QCOMPARE(tryToRegister(f.server, "someone"), QByteArray("001"));
}

void tst_Operators::klineByNetworkSparesOperators()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("KLINE 10.0.0.0/8 1d :not us");
    QVERIFY(f.alice->waitForCommand("NOTICE"));
    QCOMPARE(tryToRegister(f.server, "eve"), QByteArray("001"));
    QVERIFY(f.settle()); // eve's JOIN and QUIT
    f.alice->sendLine("KLINE 127.0.0.0/8 1d :everyone here");
    const QByteArrayList toOperator = seen(*f.alice);
    QCOMPARE(containing(toOperator, "QUIT").size(), 2); // bob and carol; dave shares no channel with alice
    QVERIFY(toOperator.contains("irc.test NOTICE alice Disconnected 3 connection(s) matching 127.0.0.0/8"));
    for (TestIrcClient *victim : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(victim->waitForCommand("465"));
    QCOMPARE(tryToRegister(f.server, "eve"), QByteArray("465 Closing Link: 127.0.0.1 (K-Lined: everyone here)"));
    // The operator stays, and an operator account logging in is admitted to lift it.
    QVERIFY(f.alice->receivedNothing());
    auto second = f.server.connectClient();
    second->sendLine("CAP REQ sasl");
    second->sendLine("NICK opal");
    second->sendLine("USER opal 0 * :opal");
    second->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(second->waitForCommand("AUTHENTICATE"));
    second->sendLine("AUTHENTICATE " + test::saslPlain("opal", kOperPassword));
    second->sendLine("CAP END");
    QVERIFY(second->waitForCommand("381"));
    second->sendLine("UNKLINE 127.0.0.0/8");
    QVERIFY(second->waitFor(test::commandWithParam("NOTICE", 1, "Removed K-line on 127.0.0.0/8")));
    QCOMPARE(tryToRegister(f.server, "eve"), QByteArray("001"));
}

void tst_Operators::klineBadArguments()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("KLINE *");
    QCOMPARE(seen(*f.alice), QByteArrayList({"irc.test FAIL KLINE INVALID_MASK * That mask would ban everyone"}));
    f.alice->sendLine("KLINE 10.0.0.0/99");
    QCOMPARE(seen(*f.alice), QByteArrayList({"irc.test FAIL KLINE INVALID_MASK 10.0.0.0/99 Invalid IP address or CIDR network"}));
    f.alice->sendLine("KLINE bob soon :x");
    QCOMPARE(containing(seen(*f.alice), "FAIL KLINE INVALID_DURATION soon").size(), 1);
    f.alice->sendLine("KLINE");
    QCOMPARE(seen(*f.alice), QByteArrayList({"461 KLINE"}));
    QVERIFY(f.server.server().serverBans().active(0).isEmpty());
    for (TestIrcClient *bystander : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(bystander->receivedNothing());
}

void tst_Operators::klineSurvivesRestart()
{
    QTemporaryDir dataDir;
    server::ServerConfig config = test::accountsTestConfig();
    config.dataDir = dataDir.path();
    {
        OperFixture f(config);
        QVERIFY(f.ready());
        QVERIFY(OperFixture::makeOperator(*f.alice));
        f.alice->sendLine("KLINE bob 0 :for good");
        QVERIFY(f.bob->waitForCommand("465"));
    }
    test::TestServer restarted(config);
    QVERIFY(restarted.isListening());
    QCOMPARE(tryToRegister(restarted, "bob"), QByteArray("465 Closing Link: 127.0.0.1 (K-Lined: for good)"));
    QCOMPARE(tryToRegister(restarted, "carol"), QByteArray("001"));
    // The audit log survives too.
    const QList<server::AuditEntry> audit = restarted.server().auditLog().entries();
    QCOMPARE(audit.size(), 2);
    QCOMPARE(audit.at(1).action, QByteArray("KLINE"));
    QCOMPARE(audit.at(1).oper, QByteArray("alice"));
    QVERIFY(audit.at(1).atSecs > 0);
}

void tst_Operators::wallops()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.bob->sendLine("MODE bob +w");
    QCOMPARE(seen(*f.bob), QByteArrayList({"bob MODE bob +w"}));
    f.dave->sendLine("MODE dave +iw");
    QCOMPARE(seen(*f.dave), QByteArrayList({"dave MODE dave +iw"}));
    f.alice->sendLine("WALLOPS :maintenance at noon");
    QVERIFY(f.alice->receivedNothing()); // the sender first: its WALLOPS is out before the others sync
    const QByteArrayList wallop{"alice WALLOPS maintenance at noon"};
    QCOMPARE(seen(*f.bob), wallop);
    QCOMPARE(seen(*f.dave), wallop);
    QVERIFY(f.carol->receivedNothing()); // no +w
    f.dave->sendLine("MODE dave -w");
    QCOMPARE(seen(*f.dave), QByteArrayList({"dave MODE dave -w"}));
    f.alice->sendLine("WALLOPS :again");
    QVERIFY(f.alice->receivedNothing());
    QCOMPARE(seen(*f.bob), QByteArrayList({"alice WALLOPS again"}));
    QVERIFY(f.dave->receivedNothing());
}

void tst_Operators::rehash()
{
    // The server's certificate from files, as a real server has it: REHASH reads them again.
    const test::TestCertificateFiles files;
    QVERIFY(files.isValid());
    server::ServerConfig config = test::accountsTestConfig();
    config.certFile = files.certificatePath();
    config.keyFile = files.keyPath();
    OperFixture f(config);
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("REHASH");
    const QByteArrayList replies = seen(*f.alice);
    QVERIFY2(replies.size() >= 2, replies.join('\n').constData());
    QVERIFY(replies.first().startsWith("382 "));
    QVERIFY2(containing(replies, "REHASH: Certificate unchanged").size() == 1, replies.join('\n').constData());
    QCOMPARE(containing(replies, "REHASH: 0 server bans loaded").size(), 1);
    for (TestIrcClient *bystander : {f.bob.get(), f.carol.get(), f.dave.get()})
        QVERIFY(bystander->receivedNothing());
    QCOMPARE(f.auditActions().mid(1), QByteArrayList({"alice opal REHASH "}));
}

void tst_Operators::samode()
{
    OperFixture f;
    QVERIFY(f.ready());
    f.bob->sendLine("JOIN #side");
    f.carol->sendLine("JOIN #side");
    QVERIFY(f.settle());
    QVERIFY(OperFixture::makeOperator(*f.dave));
    // carol is no operator of #side and no server operator.
    f.carol->sendLine("MODE #side +m");
    QCOMPARE(seen(*f.carol), QByteArrayList({"482 #side"}));
    f.carol->sendLine("SAMODE #side +m");
    QCOMPARE(seen(*f.carol), QByteArrayList({"481"}));
    QVERIFY(f.bob->receivedNothing());
    // dave, a server operator outside #side, acts as its operator.
    f.dave->sendLine("SAMODE #side +mo carol");
    QVERIFY(f.dave->receivedNothing()); // not a member: no broadcast for him
    const QByteArrayList change{"dave MODE #side +mo carol"};
    QCOMPARE(seen(*f.bob), change);
    QCOMPARE(seen(*f.carol), change);
    QVERIFY(f.alice->receivedNothing());
    f.dave->sendLine("SAMODE #nowhere +m");
    QCOMPARE(seen(*f.dave), QByteArrayList({"403 #nowhere"}));
    QCOMPARE(f.auditActions().mid(1), QByteArrayList({"dave opal SAMODE #side +mo carol"}));
}

void tst_Operators::samodeReachesSecretChannels()
{
    OperFixture f;
    QVERIFY(f.ready());
    f.bob->sendLine("JOIN #hidden");
    QVERIFY(f.bob->waitForCommand("366"));
    f.bob->sendLine("MODE #hidden +s");
    QVERIFY(f.bob->waitForCommand("MODE"));
    QVERIFY(f.settle());
    QVERIFY(OperFixture::makeOperator(*f.dave));
    // To dave, outside it, the secret channel does not exist for MODE; SAMODE reaches it.
    f.dave->sendLine("MODE #hidden +m");
    QCOMPARE(seen(*f.dave), QByteArrayList({"403 #hidden"}));
    f.dave->sendLine("SAMODE #hidden +m");
    QVERIFY(f.dave->receivedNothing());
    QCOMPARE(seen(*f.bob), QByteArrayList({"dave MODE #hidden +m"}));
    for (TestIrcClient *bystander : {f.alice.get(), f.carol.get()})
        QVERIFY(bystander->receivedNothing());
    QCOMPARE(f.auditActions().mid(1), QByteArrayList({"dave opal SAMODE #hidden +m"}));
}

void tst_Operators::deoper()
{
    OperFixture f;
    QVERIFY(f.ready());
    QVERIFY(OperFixture::makeOperator(*f.alice));
    f.alice->sendLine("MODE alice +o"); // ignored: only OPER gives +o
    QVERIFY(f.alice->receivedNothing());
    f.alice->sendLine("MODE alice -o");
    QCOMPARE(seen(*f.alice), QByteArrayList({"alice MODE alice -o"}));
    f.alice->sendLine("KILL bob :no longer");
    QCOMPARE(seen(*f.alice), QByteArrayList({"481"}));
    QVERIFY(f.bob->receivedNothing());
    QCOMPARE(f.auditActions().mid(1), QByteArrayList({"alice opal DEOPER MODE -o"}));
}

QTEST_GUILESS_MAIN(tst_Operators)
#include "tst_operators.moc"
