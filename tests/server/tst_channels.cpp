#include "clientsession.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;

class tst_Channels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void joinIsAnnouncedToMembers();
    void joinSecondChannelAndNames();
    void partIsAnnounced();
    void quitIsAnnouncedOncePerPeer();
    void quitWithoutReason();
    void droppedConnectionIsAnnounced();
    void nickChangeSeenOnceByEachPeer();
    void channelMessageSkipsSender();
    void topic();
    void namesWithoutArguments();
    void list();
    void modeQueries_data();
    void modeQueries();
    void joinZeroPartsAll();
    void emptyChannelDisappearsButLobbyStays();
    void channelErrors_data();
    void channelErrors();
};

void tst_Channels::joinIsAnnouncedToMembers()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    const auto join = alice->waitFor(commandWithParam("JOIN", 0, "#lobby"));
    QVERIFY(join);
    QCOMPARE(join->source, QByteArray("bob!~bob@127.0.0.1"));
    const auto names = bob->received();
    const auto namReply = std::find_if(names.begin(), names.end(), [](const Message &m) { return m.command == "353"; });
    QVERIFY(namReply != names.end());
    QCOMPARE(namReply->param(3), QByteArray("@alice bob"));
}

void tst_Channels::joinSecondChannelAndNames()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    alice->sendLine("JOIN #Dev,#ops");
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "#Dev")));
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "#ops")));
    bob->sendLine("JOIN #dev");
    // The channel keeps the case it was created with.
    const auto bobJoin = alice->waitFor(commandWithParam("JOIN", 0, "#Dev"));
    QVERIFY(bobJoin);
    QCOMPARE(bobJoin->sourceNick(), QByteArray("bob"));
    const auto names = bob->waitFor(commandWithParam("353", 2, "#Dev"));
    QVERIFY(names);
    QCOMPARE(names->param(1), QByteArray("="));
    QCOMPARE(names->param(3), QByteArray("@alice bob"));
    // Joining again is a no-op.
    bob->sendLine("JOIN #DEV");
    QVERIFY(alice->receivedNothing());
}

void tst_Channels::partIsAnnounced()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    alice->skipReceived();
    bob->sendLine("PART #lobby :see you");
    const auto part = alice->waitForCommand("PART");
    QVERIFY(part);
    QCOMPARE(part->source, QByteArray("bob!~bob@127.0.0.1"));
    QCOMPARE(part->params, QByteArrayList({"#lobby", "see you"}));
    QVERIFY(bob->waitFor(commandWithParam("PART", 0, "#lobby")));
    // bob is gone from the channel: his message is refused and alice gets nothing.
    bob->sendLine("PRIVMSG #lobby :still here?");
    QVERIFY(bob->waitForCommand("404"));
    QVERIFY(alice->receivedNothing());
}

void tst_Channels::quitIsAnnouncedOncePerPeer()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    auto carol = server.registeredClient("carol");
    QVERIFY(alice && bob && carol);
    for (auto *c : {alice.get(), bob.get()}) {
        c->sendLine("JOIN #second");
        QVERIFY(c->waitFor(commandWithParam("366", 1, "#second")));
    }
    alice->skipReceived();
    carol->skipReceived();
    bob->sendLine("QUIT :gone fishing");
    const auto error = bob->waitForError();
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Closing Link: 127.0.0.1 (Quit: gone fishing)"));
    QVERIFY(bob->waitForDisconnected());
    const auto seenByAlice = alice->sync();
    QVERIFY(seenByAlice);
    QCOMPARE(seenByAlice->size(), 1); // one QUIT although alice shares two channels with bob
    QCOMPARE(seenByAlice->first().command, QByteArray("QUIT"));
    QCOMPARE(seenByAlice->first().params, QByteArrayList({"Quit: gone fishing"}));
    QVERIFY(carol->waitForCommand("QUIT"));
}

void tst_Channels::quitWithoutReason()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->sync());
    alice->skipReceived();
    // Modern IRC: "Quit: " even without a reason, so that a chosen QUIT reads as one.
    bob->sendLine("QUIT");
    const auto error = bob->waitForError();
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("Closing Link: 127.0.0.1 (Quit: )"));
    const auto quit = alice->waitForCommand("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->params, QByteArrayList{"Quit: "});
}

void tst_Channels::droppedConnectionIsAnnounced()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    alice->skipReceived();
    bob->socket().abort();
    const auto quit = alice->waitForCommand("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("bob"));
    // A TCP close without TLS close_notify is how most IRC clients leave: an ordinary close.
    QCOMPARE(quit->param(0), QByteArray("Connection closed"));
    QTRY_COMPARE(server.server().connectionCount(), 1);
    QCOMPARE(server.server().registry().userCount(), 1);
}

void tst_Channels::nickChangeSeenOnceByEachPeer()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    for (auto *c : {alice.get(), bob.get()}) {
        c->sendLine("JOIN #second");
        QVERIFY(c->waitFor(commandWithParam("366", 1, "#second")));
    }
    alice->skipReceived();
    bob->sendLine("NICK robert");
    const auto own = bob->waitForCommand("NICK");
    QVERIFY(own);
    QCOMPARE(own->source, QByteArray("bob!~bob@127.0.0.1"));
    QCOMPARE(own->param(0), QByteArray("robert"));
    const auto seen = alice->sync();
    QVERIFY(seen);
    QCOMPARE(seen->size(), 1);
    QCOMPARE(seen->first().command, QByteArray("NICK"));
    // The old nick is free, the new one taken.
    QVERIFY(server.server().registry().findUser("bob") == nullptr);
    QVERIFY(server.server().registry().findUser("ROBERT") != nullptr);
}

void tst_Channels::channelMessageSkipsSender()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->waitFor(commandWithParam("JOIN", 0, "#lobby")));
    bob->skipReceived();
    alice->sendLine("PRIVMSG #LOBBY :hello, world");
    const auto message = bob->waitForCommand("PRIVMSG");
    QVERIFY(message);
    QCOMPARE(message->source, QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(message->params, QByteArrayList({"#lobby", "hello, world"}));
    QVERIFY(alice->receivedNothing());
}

void tst_Channels::topic()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    alice->sendLine("TOPIC #lobby");
    QVERIFY(alice->waitFor(commandWithParam("331", 1, "#lobby")));
    bob->skipReceived();
    alice->sendLine("TOPIC #lobby :Welcome all");
    const auto change = bob->waitForCommand("TOPIC");
    QVERIFY(change);
    QCOMPARE(change->params, QByteArrayList({"#lobby", "Welcome all"}));
    QVERIFY(alice->waitForCommand("TOPIC")); // the setter sees it too
    bob->sendLine("TOPIC #lobby");
    const auto topic = bob->waitForCommand("332");
    QVERIFY(topic);
    QCOMPARE(topic->param(2), QByteArray("Welcome all"));
    const auto who = bob->waitForCommand("333");
    QVERIFY(who);
    QCOMPARE(who->param(2), QByteArray("alice"));
    // Newcomers get the topic on join.
    auto carol = server.registeredClient("carol");
    QVERIFY(carol);
    QVERIFY(std::any_of(carol->received().begin(), carol->received().end(),
                        [](const Message &m) { return m.command == "332" && m.param(2) == "Welcome all"; }));
    // An over-long topic is cut at TOPICLEN without splitting a character.
    const QByteArray longTopic = QByteArray(389, 'x') + "\xc3\xa9\xc3\xa9";
    alice->sendLine("TOPIC #lobby :" + longTopic);
    const auto cut = bob->waitForCommand("TOPIC");
    QVERIFY(cut);
    QCOMPARE(cut->param(1), QByteArray(389, 'x'));
}

void tst_Channels::namesWithoutArguments()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    bob->sendLine("PART #lobby");
    QVERIFY(bob->waitForCommand("PART"));
    alice->skipReceived();
    alice->sendLine("NAMES");
    const auto lobby = alice->waitFor(commandWithParam("353", 2, "#lobby"));
    QVERIFY(lobby);
    QCOMPARE(lobby->param(3), QByteArray("@alice"));
    const auto loners = alice->waitFor(commandWithParam("353", 2, "*"));
    QVERIFY(loners);
    QCOMPARE(loners->param(3), QByteArray("bob"));
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "*")));
    // NAMES for a channel that does not exist just ends the list.
    alice->sendLine("NAMES #nowhere");
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "#nowhere")));
}

void tst_Channels::list()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    alice->sendLine("TOPIC #lobby :the lobby");
    alice->sendLine("LIST");
    QVERIFY(alice->waitForCommand("321"));
    const auto entry = alice->waitForCommand("322");
    QVERIFY(entry);
    QCOMPARE(entry->params.mid(1), QByteArrayList({"#lobby", "1", "the lobby"}));
    QVERIFY(alice->waitForCommand("323"));
}

void tst_Channels::modeQueries_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::newRow("channel modes") << QByteArray("MODE #lobby") << QByteArray("324");
    QTest::newRow("ban list") << QByteArray("MODE #lobby b") << QByteArray("368");
    QTest::newRow("ban list with plus") << QByteArray("MODE #lobby +b") << QByteArray("368");
    QTest::newRow("exceptions") << QByteArray("MODE #lobby e") << QByteArray("349");
    QTest::newRow("invites") << QByteArray("MODE #lobby I") << QByteArray("347");
    QTest::newRow("change by a member refused") << QByteArray("MODE #lobby +m") << QByteArray("482");
    QTest::newRow("no such channel") << QByteArray("MODE #nowhere") << QByteArray("403");
    QTest::newRow("own modes") << QByteArray("MODE bob") << QByteArray("221");
    QTest::newRow("other's modes") << QByteArray("MODE alice") << QByteArray("502");
    QTest::newRow("no such nick") << QByteArray("MODE nobody") << QByteArray("401");
    QTest::newRow("unknown user mode") << QByteArray("MODE bob +z") << QByteArray("501");
    QTest::newRow("no target") << QByteArray("MODE") << QByteArray("461");
}

void tst_Channels::modeQueries()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    // bob asks: alice founded #lobby and runs it, bob is a member.
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->sync());
    alice->skipReceived();
    bob->sendLine(line);
    QVERIFY(bob->waitForCommand(numeric));
    QVERIFY(alice->receivedNothing());
}

void tst_Channels::joinZeroPartsAll()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    alice->sendLine("JOIN #a,#b");
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "#b")));
    alice->sendLine("JOIN 0");
    QVERIFY(alice->waitFor(commandWithParam("PART", 0, "#lobby")));
    QVERIFY(alice->waitFor(commandWithParam("PART", 0, "#a")));
    QVERIFY(alice->waitFor(commandWithParam("PART", 0, "#b")));
    QTRY_VERIFY(server.server().registry().findUser("alice")->channels().isEmpty());
}

void tst_Channels::emptyChannelDisappearsButLobbyStays()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    alice->sendLine("JOIN #temp");
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "#temp")));
    QVERIFY(server.server().registry().findChannel("#temp"));
    alice->sendLine("PART #temp,#lobby");
    QVERIFY(alice->waitFor(commandWithParam("PART", 0, "#lobby")));
    QCOMPARE(server.server().registry().findChannel("#temp"), nullptr);
    QVERIFY(server.server().registry().findChannel("#lobby"));
}

void tst_Channels::channelErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("join invalid name") << QByteArray("JOIN lobby") << QByteArray("403") << QByteArray("lobby");
    QTest::newRow("join name with bell") << QByteArray("JOIN #a\x07") << QByteArray("403") << QByteArray("#a\x07");
    QTest::newRow("join too long") << "JOIN #" + QByteArray(60, 'c') << QByteArray("403") << "#" + QByteArray(60, 'c');
    QTest::newRow("join no params") << QByteArray("JOIN") << QByteArray("461") << QByteArray("JOIN");
    QTest::newRow("part unknown channel") << QByteArray("PART #nowhere") << QByteArray("403") << QByteArray("#nowhere");
    QTest::newRow("part not joined") << QByteArray("PART #elsewhere") << QByteArray("442") << QByteArray("#elsewhere");
    QTest::newRow("part no params") << QByteArray("PART") << QByteArray("461") << QByteArray("PART");
    QTest::newRow("topic unknown channel") << QByteArray("TOPIC #nowhere :x") << QByteArray("403") << QByteArray("#nowhere");
    QTest::newRow("topic not joined") << QByteArray("TOPIC #elsewhere :x") << QByteArray("442") << QByteArray("#elsewhere");
    QTest::newRow("topic no params") << QByteArray("TOPIC") << QByteArray("461") << QByteArray("TOPIC");
}

void tst_Channels::channelErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    QFETCH(QByteArray, subject);
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    bob->sendLine("JOIN #elsewhere");
    QVERIFY(bob->waitFor(commandWithParam("366", 1, "#elsewhere")));
    QVERIFY(bob->sync());
    alice->skipReceived();
    bob->skipReceived();
    alice->sendLine(line);
    const auto error = alice->waitForCommand(numeric);
    QVERIFY(error);
    QCOMPARE(error->param(1), subject);
    QVERIFY(bob->receivedNothing());
    QVERIFY(alice->receivedNothing());
}

QTEST_MAIN(tst_Channels)
#include "tst_channels.moc"
