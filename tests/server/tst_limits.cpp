// The abuse limits of ServerConfig, each with its default and a test (docs/RELIABILITY.md):
// channels per client and on the server, channel creation, joins and nick changes per client,
// lines before registration, connections still registering, and long replies costing flood
// tokens. Each refused client learns which limit stopped it and when to try again; bystanders see
// nothing; the server keeps serving. The rates are made so slow here that a token never comes
// back during a test, so nothing depends on timing.

#include "clientsession.h"
#include "history/history.h"
#include "history/historystore.h"
#include "testserver.h"
#include "transport/memory/memoryconnection.h"

#include <QCoreApplication>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::server::ServerConfig;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;

namespace {

/// A rate at which no token comes back within a test.
constexpr double kNever = 1e-6;

/// Waits for @p numeric and returns its text (the last parameter), or a null array.
QByteArray refusal(TestIrcClient &client, const QByteArray &numeric)
{
    const auto reply = client.waitForCommand(numeric);
    return reply ? reply->params.constLast() : QByteArray();
}

bool joined(TestIrcClient &client, const QByteArray &channel)
{
    client.sendLine("JOIN " + channel);
    return client.waitFor([&channel](const Message &m) { return m.command == "366" && m.param(1) == channel; })
        .has_value();
}

/// Runs the event loop until the server has handled everything that is queued for it.
void processPostedEvents()
{
    for (int round = 0; round < 8; ++round) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

/// Runs until @p server has handled what it was fed, including the history's answers: the lines
/// played back on joining hold a client's next lines until they come.
void settleInMemory(TestServer &server)
{
    processPostedEvents();
    if (server.server().history().isOn()) {
        bool answered = false;
        QObject context;
        server.server().history().store().whenWritten(&context, [&answered](bool) { answered = true; });
        QVERIFY(QTest::qWaitFor([&answered] { return answered; }, 10'000));
    }
    processPostedEvents();
}

} // namespace

class tst_Limits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void channelsPerClient();
    void channelsOnTheServer();
    void channelCreation();
    void joinRate();
    void nickChangeRate();
    void linesBeforeRegistration();
    void oldestRegisteringMakesRoom();
    void longRepliesCostFloodTokens();
};

void tst_Limits::channelsPerClient()
{
    ServerConfig config = test::testServerConfig();
    config.maxChannelsPerUser = 3;
    TestServer server(config);
    auto client = server.registeredClient("joiner");
    QVERIFY(client);
    QVERIFY(client->received().constEnd() != std::find_if(client->received().constBegin(), client->received().constEnd(),
                                                          [](const Message &m) {
                                                              return m.command == "005" && m.params.contains("CHANLIMIT=#:3");
                                                          }));
    QVERIFY(joined(*client, "#a") && joined(*client, "#b")); // with #lobby, three
    client->sendLine("JOIN #c");
    QCOMPARE(refusal(*client, "405"), QByteArray("You have joined too many channels"));
    client->sendLine("PART #a");
    QVERIFY(joined(*client, "#c"));
}

void tst_Limits::channelsOnTheServer()
{
    ServerConfig config = test::testServerConfig();
    config.maxChannels = 3;
    TestServer server(config);
    auto first = server.registeredClient("first");
    auto second = server.registeredClient("second");
    QVERIFY(first && second);
    QVERIFY(joined(*first, "#a") && joined(*first, "#b")); // with #lobby, three channels
    second->sendLine("JOIN #c");
    QCOMPARE(refusal(*second, "405"), QByteArray("The server has too many channels; join an existing one"));
    QVERIFY2(joined(*second, "#a"), "an existing channel can still be joined");
    QVERIFY(first->sync());
}

void tst_Limits::channelCreation()
{
    ServerConfig config = test::testServerConfig();
    config.channelCreateBurst = 3;
    config.channelCreatesPerSecond = kNever;
    TestServer server(config);
    auto creator = server.registeredClient("creator");
    auto bystander = server.registeredClient("bystander");
    QVERIFY(creator && bystander);
    QVERIFY(joined(*bystander, "#existing"));
    QVERIFY(bystander->sync());
    bystander->skipReceived();

    QVERIFY(joined(*creator, "#new1") && joined(*creator, "#new2") && joined(*creator, "#new3"));
    creator->sendLine("JOIN #new4");
    const QByteArray why = refusal(*creator, "405");
    QVERIFY2(why.startsWith("You are creating channels too fast; try again in ") && why.endsWith(" seconds"),
             why.constData());
    QVERIFY2(joined(*creator, "#existing"), "joining a channel that exists creates nothing");
    QVERIFY(bystander->waitFor(commandWithParam("JOIN", 0, "#existing")));
    QVERIFY(bystander->receivedNothing());
}

void tst_Limits::joinRate()
{
    ServerConfig config = test::testServerConfig();
    config.joinBurst = 4;
    config.joinsPerSecond = kNever;
    TestServer server(config);
    auto churner = server.registeredClient("churner"); // the automatic #lobby join is free
    auto member = server.registeredClient("member");
    QVERIFY(churner && member);
    QVERIFY(joined(*churner, "#room"));
    QVERIFY(joined(*member, "#room"));
    QVERIFY(member->sync());
    member->skipReceived();

    // Leaving and coming back spends a join each time: a JOIN/PART flood stops after the burst.
    for (int i = 0; i < 3; ++i) {
        churner->sendLine("PART #room");
        QVERIFY(joined(*churner, "#room"));
    }
    QVERIFY(member->sync());
    member->skipReceived();
    churner->sendLine("PART #room");
    churner->sendLine("JOIN #room");
    const QByteArray why = refusal(*churner, "405");
    QVERIFY2(why.startsWith("You are joining channels too fast; try again in "), why.constData());
    QVERIFY(member->waitFor(commandWithParam("PART", 0, "#room")));
    QVERIFY2(member->receivedNothing(), "the refused JOIN reaches nobody");
}

void tst_Limits::nickChangeRate()
{
    ServerConfig config = test::testServerConfig();
    config.nickChangeBurst = 2;
    config.nickChangesPerSecond = kNever;
    TestServer server(config);
    auto peer = server.registeredClient("peer");
    QVERIFY(peer);
    // Before registration, nick changes are free (a client retrying after 433 makes several).
    auto changer = server.connectClient();
    QVERIFY(changer);
    for (const QByteArray nick : {"try1", "try2", "try3", "changer"})
        changer->sendLine("NICK " + nick);
    QVERIFY(changer->registerAs("changer"));
    QVERIFY(peer->sync());
    peer->skipReceived();

    changer->sendLine("NICK second");
    QVERIFY(peer->waitFor(commandWithParam("NICK", 0, "second")));
    changer->sendLine("NICK third");
    QVERIFY(peer->waitFor(commandWithParam("NICK", 0, "third")));
    changer->sendLine("NICK fourth");
    const auto refused = changer->waitForCommand("438");
    QVERIFY(refused);
    QCOMPARE(refused->param(1), QByteArray("fourth"));
    QVERIFY2(refused->param(2).startsWith("Nick change too fast; try again in "), refused->param(2).constData());
    QVERIFY(peer->receivedNothing());
    changer->sendLine("PRIVMSG #lobby :still third");
    QVERIFY(peer->waitFor(
        [](const Message &m) { return m.command == "PRIVMSG" && m.sourceNick() == "third"; }));
}

void tst_Limits::linesBeforeRegistration()
{
    ServerConfig config = test::testServerConfig();
    config.maxLinesBeforeRegistration = 6;
    TestServer server(config);
    // A client that registers within the budget is fine...
    auto regular = server.connectClient();
    QVERIFY(regular);
    regular->sendLine("CAP LS 302");
    regular->sendLine("CAP REQ :server-time");
    regular->sendLine("CAP END");
    QVERIFY(regular->registerAs("regular")); // NICK and USER: five lines
    // ...one that only talks is closed after the budget, told why.
    auto talker = server.connectClient();
    QVERIFY(talker);
    for (int i = 0; i < 7; ++i)
        talker->sendLine("PING " + QByteArray::number(i));
    const auto error = talker->waitForError();
    QVERIFY(error);
    QVERIFY2(error->param(0).contains("Too many lines before registration: 6 allowed"), error->param(0).constData());
    QVERIFY(talker->waitForDisconnected());
    QVERIFY(regular->sync());
}

void tst_Limits::oldestRegisteringMakesRoom()
{
    ServerConfig config = test::testServerConfig();
    config.maxUnregistered = 3;
    TestServer server(config);
    std::vector<std::unique_ptr<TestIrcClient>> dawdlers;
    for (int i = 0; i < 3; ++i) {
        dawdlers.push_back(server.connectClient());
        QVERIFY(dawdlers.back());
        QTRY_COMPARE(server.server().connectionCount(), i + 1);
    }
    // A fourth connection: the one that has been registering longest is let go.
    auto newcomer = server.connectClient();
    QVERIFY(newcomer);
    const auto error = dawdlers.front()->waitForError();
    QVERIFY(error);
    QVERIFY2(error->param(0).contains("Too many connections registering"), error->param(0).constData());
    QVERIFY(dawdlers.front()->waitForDisconnected());
    QVERIFY(newcomer->registerAs("newcomer"));
    QVERIFY2(dawdlers.back()->isConnected(), "only the oldest goes");
    // Registered clients do not count: more may register.
    QVERIFY(dawdlers.back()->registerAs("late"));
}

void tst_Limits::longRepliesCostFloodTokens()
{
    // In memory, so that "not handled yet" is certain: without the cost, the server would handle
    // every line within the same call. Each MOTD costs its line and its 14 reply lines, so four
    // cost more than the burst holds, and the line after them waits for the bucket to refill
    // (never, here).
    ServerConfig config = test::testServerConfig();
    config.floodBurstLines = 60;
    config.floodLinesPerSecond = kNever;
    config.floodReplyLinesPerToken = 1;
    TestServer server(config);
    auto *asker = new server::transport::MemoryConnection(QHostAddress(QStringLiteral("127.0.0.1")));
    auto *listener = new server::transport::MemoryConnection(QHostAddress(QStringLiteral("127.0.0.2")));
    server.server().acceptConnection(asker);
    server.server().acceptConnection(listener);
    listener->feed("NICK listener\r\nUSER l 0 * :l\r\n");
    settleInMemory(server);
    QVERIFY(listener->takeOutput().contains(" 366 listener #lobby "));
    // Registration's welcome (about 30 lines) is paid for too.
    asker->feed("NICK asker\r\nUSER a 0 * :a\r\n");
    settleInMemory(server);
    QVERIFY(asker->takeOutput().contains(" 376 asker "));
    listener->takeOutput();

    asker->feed("MOTD\r\nMOTD\r\nMOTD\r\nMOTD\r\nPRIVMSG #lobby :after the motd\r\n");
    settleInMemory(server);
    QVERIFY(asker->takeOutput().contains(" 376 asker "));
    listener->feed("PING sync\r\n");
    settleInMemory(server);
    const QByteArray seen = listener->takeOutput();
    QVERIFY(seen.contains("PONG"));
    QVERIFY2(!seen.contains("after the motd"), "the line after a long reply waits for flood tokens");
}

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"
