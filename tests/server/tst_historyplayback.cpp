// History seen by clients over real TLS: playback on join for clients without draft/chathistory
// (lines, order, server-time, batch, the line and age limits), retention (the purge), REDACT
// (draft/message-redaction), and what server operators are told when history cannot be written.

#include "accounts/accountstore.h"
#include "auditlog.h"
#include "history/historystore.h"
#include "historyfaults.h"
#include "testserver.h"

#include <QDateTime>
#include <QTest>

#include <algorithm>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

constexpr const char *kOperPassword = "oper-password";

/// A client that requested @p caps (none when empty), logged in to account @p nick with SASL PLAIN
/// when @p saslPassword is set (then "sasl" must be among @p caps), registered as @p nick, cursor at the end.
std::unique_ptr<TestIrcClient> clientWithCaps(TestServer &server, const QByteArray &nick, const QByteArray &caps = {},
                                              const QByteArray &saslPassword = {})
{
    auto client = server.connectClient();
    if (!caps.isEmpty()) {
        client->sendLine("CAP LS 302");
        client->sendLine("CAP REQ :" + caps);
        if (!client->waitFor(test::commandWithParam("CAP", 1, "ACK")))
            return nullptr;
        if (!saslPassword.isEmpty()) {
            client->sendLine("AUTHENTICATE PLAIN");
            client->sendLine("AUTHENTICATE " + test::saslPlain(nick, saslPassword));
            if (!client->waitForCommand("903"))
                return nullptr;
        }
        client->sendLine("CAP END");
    }
    if (!client->registerAs(nick) || !client->sync())
        return nullptr;
    client->skipReceived();
    return client;
}

/// Joins @p channel and returns what arrived after the end of NAMES, up to a sync; nullopt when
/// the JOIN did not complete.
std::optional<QList<Message>> joinAndPlayback(TestIrcClient &client, const QByteArray &channel)
{
    client.sendLine("JOIN " + channel);
    if (!client.waitFor(test::commandWithParam("366", 1, channel)))
        return std::nullopt;
    return client.sync();
}

QByteArrayList texts(const QList<Message> &messages)
{
    QByteArrayList list;
    for (const Message &message : messages) {
        if (message.command == "PRIVMSG" || message.command == "NOTICE")
            list << message.command + ' ' + message.param(1);
    }
    return list;
}

/// A message in @p channel at @p timeMs, as the server would have kept it.
server::HistoryEntry storedMessage(const QByteArray &channel, const QByteArray &text, qint64 timeMs)
{
    server::HistoryEntry entry;
    entry.target = channel;
    entry.msgid = "old-" + text;
    entry.timeMs = timeMs;
    entry.command = "PRIVMSG";
    entry.senderNick = "ghost";
    entry.line = ":ghost!g@h PRIVMSG " + channel + " :" + text + "\r\n";
    return entry;
}

/// Alice in #chat says "one", "two" (a NOTICE) and "three"; the server has stored them.
std::unique_ptr<TestIrcClient> aliceSpeaks(TestServer &server)
{
    auto alice = clientWithCaps(server, "alice");
    if (!alice || !joinAndPlayback(*alice, "#chat"))
        return nullptr;
    alice->sendLine("PRIVMSG #chat :one");
    alice->sendLine("NOTICE #chat :two");
    alice->sendLine("PRIVMSG #chat :three");
    if (!alice->sync() || !test::historyWritten(server.server()))
        return nullptr;
    return alice;
}

const QByteArrayList kSpoken{"PRIVMSG one", "NOTICE two", "PRIVMSG three"};

/// The msgid of the last message @p client received with text @p text ("" when none).
QByteArray msgidOf(const TestIrcClient &client, const QByteArray &text)
{
    const QList<Message> &received = client.received();
    for (qsizetype i = received.size() - 1; i >= 0; --i) {
        if (received.at(i).param(1) == text)
            return received.at(i).tag("msgid").value_or("");
    }
    return {};
}

/// The texts a new plain client joining @p channel is played back.
QByteArrayList playedBack(TestServer &server, const QByteArray &nick, const QByteArray &channel)
{
    auto reader = clientWithCaps(server, nick);
    const auto seen = reader ? joinAndPlayback(*reader, channel) : std::nullopt;
    return seen ? texts(*seen) : QByteArrayList{"(no join)"};
}

constexpr const char *kRedactionCaps = "draft/message-redaction message-tags echo-message";

/// A client logged in (SASL PLAIN) to account @p nick, password "<nick>-password", with kRedactionCaps.
std::unique_ptr<TestIrcClient> loggedIn(TestServer &server, const QByteArray &nick)
{
    return clientWithCaps(server, nick, "sasl " + QByteArray(kRedactionCaps), nick + "-password");
}

} // namespace

class tst_HistoryPlayback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainClientGetsLines();
    void batchAndServerTime();
    void lineLimitAndOff();
    void ageLimit();
    void chathistoryClientGetsNone();
    void labelledJoin();
    void retentionPurge();
    void redactOwnMessage();
    void redactRefused_data();
    void redactRefused();
    void redactByChannelOperator();
    void redactByServerOperator();
    void redactPrivate();
    void redactionCarriesTags();
    void redactionOfferedWithHistoryOnly_data();
    void redactionOfferedWithHistoryOnly();
    void operatorPurgesAnAccount();
    void operatorsToldWhenHistoryCannotBeWritten();
};

void tst_HistoryPlayback::plainClientGetsLines()
{
    TestServer server;
    QVERIFY(server.isListening());
    auto alice = aliceSpeaks(server);
    QVERIFY(alice);
    auto bob = clientWithCaps(server, "bob");
    QVERIFY(bob);
    const auto seen = joinAndPlayback(*bob, "#chat");
    QVERIFY(seen);
    // Only the messages (not alice's or bob's JOIN), oldest first, as plain lines from alice.
    QCOMPARE(texts(*seen), kSpoken);
    QCOMPARE(seen->size(), 3);
    QVERIFY(seen->first().source.startsWith("alice!"));
    QVERIFY(seen->first().tags.isEmpty());
    // Alice, already in the channels, saw bob come (to #lobby, then #chat) and nothing replayed.
    const auto aliceSaw = alice->sync();
    QVERIFY(aliceSaw);
    QCOMPARE(aliceSaw->size(), 2);
    QCOMPARE(aliceSaw->last().command, QByteArray("JOIN"));
    QCOMPARE(aliceSaw->last().param(0), QByteArray("#chat"));
    QVERIFY(texts(*aliceSaw).isEmpty());
}

void tst_HistoryPlayback::batchAndServerTime()
{
    TestServer server;
    auto alice = aliceSpeaks(server);
    QVERIFY(alice);
    auto bob = clientWithCaps(server, "bob", "batch server-time");
    QVERIFY(bob);
    const auto seen = joinAndPlayback(*bob, "#chat");
    QVERIFY(seen);
    QCOMPARE(seen->size(), 5);
    const Message &open = seen->first();
    QCOMPARE(open.command, QByteArray("BATCH"));
    QVERIFY(open.param(0).startsWith('+'));
    QCOMPARE(open.param(1), QByteArray("chathistory"));
    QCOMPARE(open.param(2), QByteArray("#chat"));
    const QByteArray id = open.param(0).mid(1);
    QCOMPARE(texts(*seen), kSpoken);
    for (int i = 1; i <= 3; ++i) {
        QCOMPARE(seen->at(i).tag("batch").value_or("(none)"), id);
        const QByteArray time = seen->at(i).tag("time").value_or("");
        QVERIFY2(QDateTime::fromString(QString::fromLatin1(time), Qt::ISODateWithMs).isValid(), time.constData());
    }
    QCOMPARE(seen->last().command, QByteArray("BATCH"));
    QCOMPARE(seen->last().param(0), '-' + id);
}

void tst_HistoryPlayback::lineLimitAndOff()
{
    {
        server::ServerConfig config = test::testServerConfig();
        config.historyPlaybackLines = 2;
        TestServer server(config);
        QVERIFY(aliceSpeaks(server));
        auto bob = clientWithCaps(server, "bob");
        QVERIFY(bob);
        const auto seen = joinAndPlayback(*bob, "#chat");
        QVERIFY(seen);
        QCOMPARE(texts(*seen), kSpoken.mid(1));
    }
    {
        server::ServerConfig config = test::testServerConfig();
        config.historyPlaybackLines = 0;
        TestServer server(config);
        QVERIFY(aliceSpeaks(server));
        auto bob = clientWithCaps(server, "bob", "batch");
        QVERIFY(bob);
        const auto seen = joinAndPlayback(*bob, "#chat");
        QVERIFY(seen);
        QVERIFY(seen->isEmpty());
    }
}

void tst_HistoryPlayback::ageLimit()
{
    server::ServerConfig config = test::testServerConfig();
    config.historyPlaybackAgeSecs = 3600;
    TestServer server(config);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    server.server().history().store().append(storedMessage("#chat", "two-hours-ago", now - 2 * 3600 * 1000));
    server.server().history().store().append(storedMessage("#chat", "ten-minutes-ago", now - 600 * 1000));
    auto bob = clientWithCaps(server, "bob");
    QVERIFY(bob);
    const auto seen = joinAndPlayback(*bob, "#chat");
    QVERIFY(seen);
    QCOMPARE(texts(*seen), QByteArrayList{"PRIVMSG ten-minutes-ago"});
}

void tst_HistoryPlayback::chathistoryClientGetsNone()
{
    TestServer server;
    QVERIFY(aliceSpeaks(server));
    auto probe = server.connectClient();
    const auto offered = probe->advertisedCapabilities();
    QVERIFY(offered);
    if (!offered->contains("draft/chathistory") && !std::any_of(offered->begin(), offered->end(), [](const QByteArray &cap) {
            return cap.startsWith("draft/chathistory=");
        }))
        QSKIP("this server does not offer draft/chathistory");
    auto bob = clientWithCaps(server, "bob", "batch draft/chathistory");
    QVERIFY(bob);
    const auto seen = joinAndPlayback(*bob, "#chat");
    QVERIFY(seen);
    QVERIFY(texts(*seen).isEmpty());
}

void tst_HistoryPlayback::labelledJoin()
{
    TestServer server;
    QVERIFY(aliceSpeaks(server));
    auto bob = clientWithCaps(server, "bob", "batch labeled-response message-tags");
    QVERIFY(bob);
    bob->sendLine("@label=j1 JOIN #chat");
    bob->sendLine("@label=p1 PING :after");
    const auto seen = bob->sync();
    QVERIFY(seen);
    // The labelled batch holds the JOIN's replies and the playback; the PING's reply comes after.
    QVERIFY(!seen->isEmpty());
    const Message &open = seen->first();
    QCOMPARE(open.command, QByteArray("BATCH"));
    QCOMPARE(open.tag("label").value_or("(none)"), QByteArray("j1"));
    QCOMPARE(open.param(1), QByteArray("labeled-response"));
    qsizetype close = -1, pong = -1;
    for (qsizetype i = 0; i < seen->size(); ++i) {
        if (seen->at(i).command == "BATCH" && seen->at(i).param(0) == '-' + open.param(0).mid(1))
            close = i;
        if (seen->at(i).command == "PONG")
            pong = i;
    }
    QVERIFY(close > 0);
    QVERIFY(pong > close);
    QCOMPARE(texts(seen->mid(0, close)), kSpoken);
    QCOMPARE(seen->at(pong).tag("label").value_or("(none)"), QByteArray("p1"));
}

void tst_HistoryPlayback::retentionPurge()
{
    server::ServerConfig config = test::testServerConfig();
    config.historyDays = 2;
    config.historyMaxPerTarget = 3;
    TestServer server(config);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    server::HistoryStore &store = server.server().history().store();
    store.append(storedMessage("#chat", "three-days-ago", now - 3 * 24 * 3600 * 1000));
    for (int n = 1; n <= 5; ++n)
        store.append(storedMessage("#chat", "recent" + QByteArray::number(n), now - 60'000 + n));
    std::optional<server::HistoryPurgeResult> purged;
    server.server().historyRetention().purgeNow([&purged](const server::HistoryPurgeResult &result) { purged = result; });
    QVERIFY(QTest::qWaitFor([&purged] { return purged.has_value(); }, 10'000));
    QVERIFY2(purged->error.isEmpty(), qPrintable(purged->error));
    QCOMPARE(purged->removed, qint64(3)); // the old one, and the two oldest beyond the cap
    auto bob = clientWithCaps(server, "bob");
    QVERIFY(bob);
    const auto seen = joinAndPlayback(*bob, "#chat");
    QVERIFY(seen);
    QCOMPARE(texts(*seen), (QByteArrayList{"PRIVMSG recent3", "PRIVMSG recent4", "PRIVMSG recent5"}));
}

void tst_HistoryPlayback::redactOwnMessage()
{
    TestServer server;
    auto alice = clientWithCaps(server, "alice", kRedactionCaps);
    auto bob = clientWithCaps(server, "bob", kRedactionCaps);
    auto carol = clientWithCaps(server, "carol"); // without the capability
    QVERIFY(alice && bob && carol);
    for (TestIrcClient *client : {alice.get(), bob.get(), carol.get()})
        QVERIFY(joinAndPlayback(*client, "#chat"));
    alice->sendLine("PRIVMSG #chat :oops");
    alice->sendLine("PRIVMSG #chat :fine");
    QVERIFY(bob->waitFor([](const Message &m) { return m.param(1) == "fine"; }));
    QVERIFY(carol->waitFor([](const Message &m) { return m.param(1) == "fine"; }));
    QVERIFY(alice->sync() && bob->sync() && carol->sync());
    alice->skipReceived();
    bob->skipReceived();
    carol->skipReceived();
    const QByteArray msgid = msgidOf(*bob, "oops");
    QVERIFY(!msgid.isEmpty());

    alice->sendLine("REDACT #chat " + msgid + " :typo");
    const auto toAlice = alice->waitForCommand("REDACT");
    QVERIFY(toAlice);
    QVERIFY(toAlice->source.startsWith("alice!"));
    QCOMPARE(toAlice->params, (QByteArrayList{"#chat", msgid, "typo"}));
    const auto toBob = bob->waitForCommand("REDACT");
    QVERIFY(toBob);
    QCOMPARE(toBob->params, toAlice->params);
    QVERIFY(carol->receivedNothing());
    // Gone from the history; a second REDACT finds nothing.
    QCOMPARE(playedBack(server, "dave", "#chat"), QByteArrayList{"PRIVMSG fine"});
    alice->sendLine("REDACT #chat " + msgid);
    const auto again = alice->waitForCommand("FAIL");
    QVERIFY(again);
    QCOMPARE(again->params.mid(0, 4), (QByteArrayList{"REDACT", "UNKNOWN_MSGID", "#chat", msgid}));
}

void tst_HistoryPlayback::redactRefused_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArrayList>("reply");
    QTest::newRow("someone else's message") << QByteArray("REDACT #chat $oops") << QByteArrayList{"FAIL", "REDACT", "REDACT_FORBIDDEN", "#chat", "$oops"};
    QTest::newRow("unknown msgid") << QByteArray("REDACT #chat nosuchid") << QByteArrayList{"FAIL", "REDACT", "UNKNOWN_MSGID", "#chat", "nosuchid"};
    QTest::newRow("msgid of another channel") << QByteArray("REDACT #lobby $oops") << QByteArrayList{"FAIL", "REDACT", "UNKNOWN_MSGID", "#lobby", "$oops"};
    QTest::newRow("channel not joined") << QByteArray("REDACT #elsewhere $oops") << QByteArrayList{"FAIL", "REDACT", "INVALID_TARGET", "#elsewhere"};
    QTest::newRow("no such nick") << QByteArray("REDACT nobody $oops") << QByteArrayList{"FAIL", "REDACT", "INVALID_TARGET", "nobody"};
    QTest::newRow("private with a guest") << QByteArray("REDACT alice $oops") << QByteArrayList{"FAIL", "REDACT", "INVALID_TARGET", "alice"};
    QTest::newRow("no msgid") << QByteArray("REDACT #chat") << QByteArrayList{"461", "bob", "REDACT"};
}

void tst_HistoryPlayback::redactRefused()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArrayList, reply);
    TestServer server;
    auto alice = clientWithCaps(server, "alice", kRedactionCaps);
    auto bob = clientWithCaps(server, "bob", kRedactionCaps);
    QVERIFY(alice && bob);
    QVERIFY(joinAndPlayback(*alice, "#chat")); // alice founds #chat: its operator
    QVERIFY(joinAndPlayback(*bob, "#chat"));
    alice->sendLine("PRIVMSG #chat :oops");
    QVERIFY(bob->waitFor([](const Message &m) { return m.param(1) == "oops"; }));
    const QByteArray msgid = msgidOf(*bob, "oops");
    QVERIFY(alice->sync() && bob->sync());
    alice->skipReceived();
    bob->skipReceived();

    bob->sendLine(QByteArray(command).replace("$oops", msgid));
    const auto seen = bob->sync();
    QVERIFY(seen);
    QCOMPARE(seen->size(), 1);
    const QByteArrayList got = QByteArrayList{seen->first().command} + seen->first().params;
    for (QByteArray &part : reply)
        part.replace("$oops", msgid);
    QCOMPARE(got.mid(0, reply.size()), reply);
    // Nothing removed, nobody else told.
    QVERIFY(alice->receivedNothing());
    QCOMPARE(playedBack(server, "dave", "#chat"), QByteArrayList{"PRIVMSG oops"});
}

void tst_HistoryPlayback::redactByChannelOperator()
{
    TestServer server;
    auto alice = clientWithCaps(server, "alice", kRedactionCaps);
    auto bob = clientWithCaps(server, "bob", kRedactionCaps);
    QVERIFY(alice && bob);
    QVERIFY(joinAndPlayback(*alice, "#chat")); // the channel's operator
    QVERIFY(joinAndPlayback(*bob, "#chat"));
    bob->sendLine("PRIVMSG #chat :spam");
    QVERIFY(alice->waitFor([](const Message &m) { return m.param(1) == "spam"; }));
    const QByteArray msgid = msgidOf(*alice, "spam");
    alice->sendLine("REDACT #chat " + msgid + " :no spam");
    const auto toBob = bob->waitForCommand("REDACT");
    QVERIFY(toBob);
    QCOMPARE(toBob->params, (QByteArrayList{"#chat", msgid, "no spam"}));
    QVERIFY(playedBack(server, "dave", "#chat").isEmpty());
}

void tst_HistoryPlayback::redactByServerOperator()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("opal", "opal-password"));
    QVERIFY(server.server().accountStore().setOperator("opal", true));
    auto alice = clientWithCaps(server, "alice", kRedactionCaps);
    auto bob = clientWithCaps(server, "bob", kRedactionCaps);
    auto oper = loggedIn(server, "opal"); // SASL to an operator account: +o at once
    QVERIFY(alice && bob && oper);
    QVERIFY(joinAndPlayback(*alice, "#chat")); // the channel's operator
    QVERIFY(joinAndPlayback(*bob, "#chat"));
    QVERIFY(joinAndPlayback(*oper, "#chat")); // a member, not a channel operator
    bob->sendLine("PRIVMSG #chat :abuse");
    bob->sendLine("PRIVMSG #chat :fine");
    QVERIFY(oper->waitFor([](const Message &m) { return m.param(1) == "fine"; }));
    QVERIFY(alice->waitFor([](const Message &m) { return m.param(1) == "fine"; }));
    QVERIFY(bob->sync());
    const QByteArray msgid = msgidOf(*oper, "abuse");
    QVERIFY(!msgid.isEmpty());
    alice->skipReceived();
    bob->skipReceived();

    // Someone else's message in a channel where the operator has no +o: the server operator may.
    oper->sendLine("REDACT #chat " + msgid + " :abuse");
    const auto toOper = oper->waitForCommand("REDACT");
    QVERIFY(toOper);
    QVERIFY(toOper->source.startsWith("opal!"));
    QCOMPARE(toOper->params, (QByteArrayList{"#chat", msgid, "abuse"}));
    for (TestIrcClient *member : {alice.get(), bob.get()}) {
        const auto told = member->waitForCommand("REDACT");
        QVERIFY(told);
        QCOMPARE(told->params, toOper->params);
    }
    QCOMPARE(playedBack(server, "dave", "#chat"), QByteArrayList{"PRIVMSG fine"});
}

void tst_HistoryPlayback::redactPrivate()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "alice-password"));
    QVERIFY(server.addAccount("bob", "bob-password"));
    auto alice = loggedIn(server, "alice");
    auto bob = loggedIn(server, "bob");
    QVERIFY(alice && bob);
    alice->sendLine("PRIVMSG bob :secret");
    QVERIFY(bob->waitFor([](const Message &m) { return m.param(1) == "secret"; }));
    const QByteArray msgid = msgidOf(*bob, "secret");
    QVERIFY(!msgid.isEmpty());
    QVERIFY(test::historyWritten(server.server()));
    // Bob cannot redact what alice sent him; alice can.
    bob->sendLine("REDACT alice " + msgid);
    const auto refused = bob->waitForCommand("FAIL");
    QVERIFY(refused);
    QCOMPARE(refused->param(1), QByteArray("REDACT_FORBIDDEN"));
    alice->sendLine("REDACT bob " + msgid);
    const auto toBob = bob->waitForCommand("REDACT");
    QVERIFY(toBob);
    QCOMPARE(toBob->params, (QByteArrayList{"bob", msgid}));
    QVERIFY(alice->waitForCommand("REDACT"));
}

void tst_HistoryPlayback::redactionCarriesTags()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "alice-password"));
    auto alice = clientWithCaps(server, "alice", "sasl batch labeled-response server-time account-tag " + QByteArray(kRedactionCaps),
                                "alice-password");
    auto bob = clientWithCaps(server, "bob", "server-time account-tag " + QByteArray(kRedactionCaps));
    auto carol = clientWithCaps(server, "carol", "draft/message-redaction"); // no tags at all
    QVERIFY(alice && bob && carol);
    for (TestIrcClient *client : {alice.get(), bob.get(), carol.get()})
        QVERIFY(joinAndPlayback(*client, "#chat"));
    alice->sendLine("PRIVMSG #chat :oops");
    QVERIFY(bob->waitFor([](const Message &m) { return m.param(1) == "oops"; }));
    QVERIFY(carol->waitFor([](const Message &m) { return m.param(1) == "oops"; }));
    const QByteArray msgid = msgidOf(*bob, "oops");
    QVERIFY(!msgid.isEmpty());

    // As a PRIVMSG is relayed: one msgid of its own for everybody, server-time, the account; the
    // sender's copy answers its label.
    alice->sendLine("@label=r1 REDACT #chat " + msgid + " :typo");
    const auto toAlice = alice->waitForCommand("REDACT");
    const auto toBob = bob->waitForCommand("REDACT");
    const auto toCarol = carol->waitForCommand("REDACT");
    QVERIFY(toAlice && toBob && toCarol);
    QCOMPARE(toAlice->params, (QByteArrayList{"#chat", msgid, "typo"}));
    QCOMPARE(toAlice->tag("label"), std::optional<QByteArray>("r1"));
    const QByteArray redactionId = toAlice->tag("msgid").value_or(QByteArray());
    QVERIFY(!redactionId.isEmpty() && redactionId != msgid);
    QVERIFY(toAlice->tag("time").has_value());
    QCOMPARE(toAlice->tag("account"), std::optional<QByteArray>("alice"));
    QCOMPARE(toBob->params, toAlice->params);
    QCOMPARE(toBob->tag("msgid"), std::optional<QByteArray>(redactionId));
    QCOMPARE(toBob->tag("time"), toAlice->tag("time"));
    QCOMPARE(toBob->tag("account"), std::optional<QByteArray>("alice"));
    QVERIFY(!toBob->tag("label").has_value());
    QVERIFY(toCarol->tags.isEmpty());
    QCOMPARE(toCarol->params, toAlice->params);
}

void tst_HistoryPlayback::redactionOfferedWithHistoryOnly_data()
{
    QTest::addColumn<bool>("history");
    QTest::newRow("history on") << true;
    QTest::newRow("history off") << false;
}

void tst_HistoryPlayback::redactionOfferedWithHistoryOnly()
{
    // Without a history there is no message to redact: the capability would promise what REDACT
    // always refuses.
    QFETCH(bool, history);
    server::ServerConfig config = test::testServerConfig();
    config.history = history;
    TestServer server(config);
    auto client = server.connectClient();
    const auto offered = client->advertisedCapabilities();
    QVERIFY(offered);
    QCOMPARE(offered->contains("draft/message-redaction"), history);
    client->sendLine("CAP REQ :draft/message-redaction");
    const auto answer = client->waitFor([](const Message &m) { return m.command == "CAP" && m.param(1) != "LS"; });
    QVERIFY(answer);
    QCOMPARE(answer->param(1), history ? QByteArray("ACK") : QByteArray("NAK"));
    if (history)
        return;
    // REDACT itself still answers, with the refusal it always got.
    client->sendLine("CAP END");
    QVERIFY(client->registerAs("alice"));
    client->skipReceived();
    client->sendLine("REDACT #lobby someid");
    const auto fail = client->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->params.mid(0, 4), (QByteArrayList{"REDACT", "UNKNOWN_MSGID", "#lobby", "someid"}));
    QVERIFY(client->receivedNothing());
}

void tst_HistoryPlayback::operatorPurgesAnAccount()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("opal", "opal-password"));
    QVERIFY(server.server().accountStore().setOperator("opal", true));
    QVERIFY(server.addAccount("Alice", "alice-password"));
    auto oper = loggedIn(server, "opal"); // SASL to an operator account: +o at once
    auto alice = loggedIn(server, "alice");
    auto bob = clientWithCaps(server, "bob");
    QVERIFY(oper && alice && bob);
    for (TestIrcClient *client : {alice.get(), bob.get()})
        QVERIFY(joinAndPlayback(*client, "#chat"));
    alice->sendLine("PRIVMSG #chat :spam 1");
    QVERIFY(bob->waitFor([](const Message &m) { return m.param(1) == "spam 1"; }));
    bob->sendLine("PRIVMSG #chat :hello");
    QVERIFY(alice->waitFor([](const Message &m) { return m.param(1) == "hello"; }));
    alice->sendLine("PRIVMSG #chat :spam 2");
    QVERIFY(bob->waitFor([](const Message &m) { return m.param(1) == "spam 2"; }));
    QVERIFY(alice->sync() && bob->sync());
    bob->skipReceived();

    // Not an operator: refused, nothing removed.
    bob->sendLine("PURGEHISTORY alice");
    const auto refused = bob->waitForCommand("481");
    QVERIFY(refused);
    oper->sendLine("PURGEHISTORY");
    QVERIFY(oper->waitFor(test::commandWithParam("461", 1, "PURGEHISTORY")));
    QCOMPARE(playedBack(server, "dave", "#chat"), (QByteArrayList{"PRIVMSG spam 1", "PRIVMSG hello", "PRIVMSG spam 2"}));

    oper->sendLine("PURGEHISTORY ALICE");
    const auto done = oper->waitForCommand("NOTICE");
    QVERIFY(done);
    QCOMPARE(done->param(1), QByteArray("Removed 2 message(s) of account ALICE from the history"));
    QCOMPARE(playedBack(server, "erin", "#chat"), QByteArrayList{"PRIVMSG hello"});
    const QList<server::AuditEntry> audit = server.server().auditLog().entries();
    QVERIFY(!audit.isEmpty());
    QCOMPARE(audit.last().action, QByteArray("PURGEHISTORY"));
    QCOMPARE(audit.last().detail, QByteArray("ALICE"));
    // Alice and bob were told nothing (they saw dave and erin come and go).
    for (TestIrcClient *client : {alice.get(), bob.get()}) {
        const auto seen = client->sync();
        QVERIFY(seen);
        QVERIFY(texts(*seen).isEmpty());
    }
}

void tst_HistoryPlayback::operatorsToldWhenHistoryCannotBeWritten()
{
    // The history file cannot grow (test::HistoryFileLimit: a full disk, without root).
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("opal", kOperPassword));
    QVERIFY(server.server().accountStore().setOperator("opal", true));
    auto oper = clientWithCaps(server, "opal");
    auto alice = aliceSpeaks(server);
    QVERIFY(oper && alice);
    QVERIFY(joinAndPlayback(*oper, "#chat"));
    oper->sendLine(QByteArray("OPER opal ") + kOperPassword);
    QVERIFY(oper->waitForCommand("381"));
    QVERIFY(oper->sync());
    oper->skipReceived();
    QVERIFY(test::historyWritten(server.server()));

    test::HistoryFileLimit full(server.dataDir());
    QVERIFY(full.isActive());

    // Chat goes on; the operator learns why history is not kept.
    alice->sendLine("PRIVMSG #chat :not kept");
    QVERIFY(oper->waitFor([](const Message &m) { return m.command == "PRIVMSG" && m.param(1) == "not kept"; }));
    const auto notice = oper->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).startsWith("History is not being stored"); });
    QVERIFY(notice);
    QCOMPARE(notice->source, QByteArray("irc.test"));
    QVERIFY(!server.server().history().store().problem().isEmpty());
    // Alice, not an operator, is told nothing.
    const auto aliceSaw = alice->sync();
    QVERIFY(aliceSaw);
    QVERIFY(texts(*aliceSaw).isEmpty());

    // The disk has room again: the next message is stored and the operator is told so.
    full.lift();
    alice->sendLine("PRIVMSG #chat :kept again");
    QVERIFY(oper->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1) == "History is being stored again"; }));
    QVERIFY(server.server().history().store().problem().isEmpty());
}

QTEST_GUILESS_MAIN(tst_HistoryPlayback)
#include "tst_historyplayback.moc"
