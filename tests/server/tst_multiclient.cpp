// Several devices, one account: connections logged in to one account share its user's nick and
// channels (docs/PROTOCOL.md, "Several devices, one account").

#include "accounts/accountstore.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

/// QCOMPARE for lists of short lines that shows both lists when they differ.
#define COMPARE_LINES(actual, expected)                                                                   \
    do {                                                                                                   \
        const QByteArrayList actualLines = (actual);                                                       \
        const QByteArrayList expectedLines = (expected);                                                   \
        QVERIFY2(actualLines == expectedLines,                                                             \
                 ("got [" + actualLines.join(" | ") + "], expected [" + expectedLines.join(" | ") + "]")   \
                     .constData());                                                                        \
    } while (false)

namespace {

constexpr char kPassword[] = "correct-horse";

server::ServerConfig configWithLimit(int maxSessions)
{
    server::ServerConfig config = test::accountsTestConfig();
    config.maxSessionsPerAccount = maxSessions;
    return config;
}

/// Starts a device's registration as IRCv3 clients do: CAP, NICK, USER, SASL PLAIN, CAP END.
std::unique_ptr<TestIrcClient> beginDevice(TestServer &server, const QByteArray &nick, const QByteArray &caps = {},
                                           const QHostAddress &from = {})
{
    auto client = server.connectClient(from);
    client->sendLine("CAP LS 302");
    client->sendLine("CAP REQ :sasl" + (caps.isEmpty() ? QByteArray() : ' ' + caps));
    client->sendLine("NICK " + nick);
    client->sendLine("USER " + nick + " 0 * :" + nick);
    client->sendLine("AUTHENTICATE PLAIN");
    client->sendLine("AUTHENTICATE " + test::saslPlain("alice", kPassword));
    client->sendLine("CAP END");
    return client;
}

/// A device logged in to alice, registered: through the auto-join's NAMES for the first, through
/// the replay of the user's channels (the NAMES of #lobby) for the others.
std::unique_ptr<TestIrcClient> device(TestServer &server, const QByteArray &caps = {}, const QHostAddress &from = {})
{
    auto client = beginDevice(server, "alice", caps, from);
    if (!client->waitForCommand("001") || !client->waitFor(test::commandWithParam("366", 1, "#lobby"))
        || !client->sync())
        return nullptr;
    return client;
}

/// bob, registered with @p caps.
std::unique_ptr<TestIrcClient> registeredBob(TestServer &server, const QByteArray &caps)
{
    auto client = server.connectClient();
    if (!caps.isEmpty()) {
        client->sendLine("CAP REQ :" + caps);
        client->sendLine("CAP END");
    }
    if (!client->registerAs("bob") || !client->sync())
        return nullptr;
    return client;
}

/// alice on two devices, her phone (the first: the user's lead) and her laptop, and bob, each
/// registered with the capabilities given and with all it was sent so far read.
struct TwoDevices
{
    explicit TwoDevices(int maxSessions = 5)
        : server(configWithLimit(maxSessions))
    {}

    bool start(const QByteArray &phoneCaps = {}, const QByteArray &laptopCaps = {}, const QByteArray &bobCaps = {})
    {
        if (!server.addAccount("alice", kPassword))
            return false;
        phone = device(server, phoneCaps);
        laptop = device(server, laptopCaps);
        bob = registeredBob(server, bobCaps);
        return phone && laptop && bob && phone->sync() && laptop->sync();
    }

    TestServer server;
    std::unique_ptr<TestIrcClient> phone;
    std::unique_ptr<TestIrcClient> laptop;
    std::unique_ptr<TestIrcClient> bob;
};

constexpr char kOperPassword[] = "oper-password";

/// Adds "opal", a server operator account, to @p server.
bool addOperatorAccount(TestServer &server)
{
    return server.addAccount("opal", kOperPassword) && server.server().accountStore().setOperator("opal", true);
}

/// Makes @p client, registered on @p server, a server operator (as opal).
bool makeOperator(TestServer &server, TestIrcClient &client)
{
    if (!addOperatorAccount(server))
        return false;
    client.sendLine(QByteArray("OPER opal ") + kOperPassword);
    return client.waitForCommand("381").has_value();
}

/// One short line per message: "COMMAND params...".
QByteArrayList shortLines(const QList<Message> &messages)
{
    QByteArrayList lines;
    for (const Message &message : messages)
        lines << (message.command + ' ' + message.params.join(' '));
    return lines;
}

/// What @p client received up to a sync, as shortLines().
QByteArrayList seen(TestIrcClient &client)
{
    const auto messages = client.sync();
    return messages ? shortLines(*messages) : QByteArrayList{"(no PONG)"};
}

bool receivedWelcome(const TestIrcClient &client)
{
    return std::any_of(client.received().begin(), client.received().end(),
                       [](const Message &m) { return m.command == "001"; });
}

} // namespace

class tst_Multiclient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void attachedSessionSharesNickAndChannels();
    void messagesToTheUserReachEverySession();
    void ownMessagesReachTheOtherSessions_data();
    void ownMessagesReachTheOtherSessions();
    void joinPartAndNickApplyToEverySession();
    void repliesGoToTheAskingSession();
    void badInputFromAttachedSession();
    void labeledResponseOnAttachedSession();
    void quitEndsOneSessionUntilTheLast();
    void leadQuittingHandsTheUserOver();
    void killEndsEverySession();
    void addressBanEndsOnlyTheDeviceThere_data();
    void addressBanEndsOnlyTheDeviceThere();
    void accountBanEndsEverySession();
    void passwordChecksAnswerTheAskingSession();
    void sessionLimit();
    void limitOneKeepsSeparateUsers();
    void guestCannotShareNick();
};

void tst_Multiclient::attachedSessionSharesNickAndChannels()
{
    TestServer server(configWithLimit(5));
    QVERIFY(server.addAccount("alice", kPassword));
    auto phone = device(server);
    auto bob = server.registeredClient("bob");
    QVERIFY(phone && bob);
    phone->sendLine("JOIN #extra");
    phone->sendLine("TOPIC #extra :plans");
    QVERIFY(phone->waitForCommand("TOPIC"));
    QVERIFY(bob->sync());

    // The laptop's NICK is refused (the user holds it); logged in, it becomes that user anyway.
    auto laptop = beginDevice(server, "alice");
    QVERIFY(laptop->waitFor(test::commandWithParam("433", 1, "alice")));
    const auto welcome = laptop->waitForCommand("001");
    QVERIFY(welcome);
    QCOMPARE(welcome->param(0), QByteArray("alice"));
    QVERIFY(welcome->param(1).endsWith(" alice!~alice@127.0.0.1"));
    const auto lusers = laptop->waitForCommand("251");
    QVERIFY(lusers);
    QCOMPARE(lusers->param(1), QByteArray("There are 2 users and 0 invisible on 1 servers")); // users, not sessions
    // Then the user's channels, as if it had joined them.
    const auto lobby = laptop->waitForCommand("JOIN");
    QVERIFY(lobby);
    QCOMPARE(lobby->source, QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(lobby->params, QByteArrayList{"#lobby"});
    const auto lobbyNames = laptop->waitForCommand("353");
    QVERIFY(lobbyNames);
    QCOMPARE(lobbyNames->param(3), QByteArray("@alice bob"));
    QVERIFY(laptop->waitFor(test::commandWithParam("366", 1, "#lobby")));
    const auto extra = laptop->waitForCommand("JOIN");
    QVERIFY(extra);
    QCOMPARE(extra->params, QByteArrayList{"#extra"});
    const auto topic = laptop->waitForCommand("332");
    QVERIFY(topic);
    QCOMPARE(topic->param(2), QByteArray("plans"));
    const auto extraNames = laptop->waitForCommand("353");
    QVERIFY(extraNames);
    QCOMPARE(extraNames->param(3), QByteArray("@alice"));
    QVERIFY(laptop->waitFor(test::commandWithParam("366", 1, "#extra")));

    // Nobody else notices: no JOIN, no second alice in NAMES.
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    COMPARE_LINES(seen(*bob), QByteArrayList{});
    bob->sendLine("NAMES #lobby");
    COMPARE_LINES(seen(*bob), (QByteArrayList{"353 bob = #lobby @alice bob", "366 bob #lobby End of /NAMES list."}));
    bob->sendLine("LIST #lobby");
    QVERIFY(seen(*bob).contains("322 bob #lobby 2 "));
}

void tst_Multiclient::messagesToTheUserReachEverySession()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);

    bob->sendLine("PRIVMSG #lobby :hello room");
    bob->sendLine("PRIVMSG alice :hello you");
    bob->sendLine("NOTICE ALICE :psst");
    QVERIFY(bob->sync());
    const QByteArrayList expected{"PRIVMSG #lobby hello room", "PRIVMSG alice hello you", "NOTICE alice psst"};
    COMPARE_LINES(seen(*phone), expected);
    COMPARE_LINES(seen(*laptop), expected);
}

void tst_Multiclient::ownMessagesReachTheOtherSessions_data()
{
    QTest::addColumn<bool>("echo");
    QTest::newRow("without echo-message") << false;
    QTest::newRow("with echo-message") << true;
}

void tst_Multiclient::ownMessagesReachTheOtherSessions()
{
    QFETCH(bool, echo);
    TwoDevices alice;
    QVERIFY(alice.start(echo ? "echo-message message-tags" : "message-tags", "message-tags", "message-tags"));
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);

    phone->sendLine("PRIVMSG #lobby :from my phone");
    phone->sendLine("PRIVMSG bob :just you");
    phone->sendLine("@+typing=active TAGMSG bob");
    const QByteArrayList said{"PRIVMSG #lobby from my phone", "PRIVMSG bob just you", "TAGMSG bob"};
    COMPARE_LINES(seen(*phone), echo ? said : QByteArrayList{});
    // The laptop saw it as said, with the same msgid as bob's copy.
    const auto bobSaid = bob->sync();
    const auto laptopSaid = laptop->sync();
    QVERIFY(bobSaid && laptopSaid);
    COMPARE_LINES(shortLines(*bobSaid), said);
    COMPARE_LINES(shortLines(*laptopSaid), said);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(laptopSaid->at(i).source, QByteArray("alice!~alice@127.0.0.1"));
        QVERIFY(laptopSaid->at(i).tag("msgid").has_value());
        QCOMPARE(laptopSaid->at(i).tag("msgid"), bobSaid->at(i).tag("msgid"));
    }
    QCOMPARE(laptopSaid->at(2).tag("+typing"), std::optional<QByteArray>("active"));
}

void tst_Multiclient::joinPartAndNickApplyToEverySession()
{
    TwoDevices alice;
    QVERIFY(alice.start("extended-join"));
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);
    bob->sendLine("JOIN #new");
    QVERIFY(bob->waitFor(test::commandWithParam("366", 1, "#new")));

    // The laptop joins; the phone sees the JOIN (extended, as it asked) and the NAMES too.
    laptop->sendLine("JOIN #new");
    COMPARE_LINES(seen(*laptop),
             (QByteArrayList{"JOIN #new", "353 alice = #new @bob alice", "366 alice #new End of /NAMES list."}));
    COMPARE_LINES(seen(*phone), (QByteArrayList{"JOIN #new alice alice", "353 alice = #new @bob alice",
                                           "366 alice #new End of /NAMES list."}));
    COMPARE_LINES(seen(*bob), QByteArrayList{"JOIN #new"});

    // Joining again from the other device is no second membership.
    phone->sendLine("JOIN #new");
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    bob->sendLine("PRIVMSG #new :one each");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*phone), QByteArrayList{"PRIVMSG #new one each"});
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PRIVMSG #new one each"});

    phone->sendLine("PART #new :bye");
    COMPARE_LINES(seen(*phone), QByteArrayList{"PART #new bye"});
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PART #new bye"});
    COMPARE_LINES(seen(*bob), QByteArrayList{"PART #new bye"});

    // A nick change from either device is the user's: every session and each peer see it once.
    laptop->sendLine("NICK alicia");
    COMPARE_LINES(seen(*laptop), QByteArrayList{"NICK alicia"});
    COMPARE_LINES(seen(*phone), QByteArrayList{"NICK alicia"});
    COMPARE_LINES(seen(*bob), QByteArrayList{"NICK alicia"});
    bob->sendLine("PRIVMSG alicia :new name");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*phone), QByteArrayList{"PRIVMSG alicia new name"});
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PRIVMSG alicia new name"});
    laptop->sendLine("MODE alicia");
    const auto modes = laptop->waitForCommand("221");
    QVERIFY(modes);
    QCOMPARE(modes->param(0), QByteArray("alicia"));
    QVERIFY(laptop->sync());
    laptop->sendLine("MODE alicia +i"); // the user's modes: every session sees the change
    COMPARE_LINES(seen(*laptop), QByteArrayList{"MODE alicia +i"});
    COMPARE_LINES(seen(*phone), QByteArrayList{"MODE alicia +i"});

    // Kicked: every session sees it, and none is in the channel any more.
    laptop->sendLine("JOIN #new");
    QVERIFY(laptop->waitFor(test::commandWithParam("366", 1, "#new")));
    QVERIFY(bob->sync() && phone->sync());
    bob->sendLine("KICK #new alicia :out");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*phone), QByteArrayList{"KICK #new alicia out"});
    COMPARE_LINES(seen(*laptop), QByteArrayList{"KICK #new alicia out"});
    phone->sendLine("TOPIC #new :still here?");
    COMPARE_LINES(seen(*phone), QByteArrayList{"442 alicia #new You're not on that channel"});
}

void tst_Multiclient::repliesGoToTheAskingSession()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);

    laptop->sendLine("PRIVMSG #nowhere :hello");
    laptop->sendLine("FROBNICATE");
    laptop->sendLine("JOIN");
    COMPARE_LINES(seen(*laptop), (QByteArrayList{"403 alice #nowhere No such channel", "421 alice FROBNICATE Unknown command",
                                            "461 alice JOIN Not enough parameters"}));
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    COMPARE_LINES(seen(*bob), QByteArrayList{});

    // Capabilities are each connection's: echo-message on the laptop only.
    laptop->sendLine("CAP REQ echo-message");
    QVERIFY(laptop->waitFor(test::commandWithParam("CAP", 1, "ACK")));
    laptop->sendLine("PRIVMSG bob :echoed here");
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PRIVMSG bob echoed here"});
    COMPARE_LINES(seen(*phone), QByteArrayList{"PRIVMSG bob echoed here"});
    phone->sendLine("PRIVMSG bob :not echoed there");
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PRIVMSG bob not echoed there"});
    phone->sendLine("CAP LIST");
    COMPARE_LINES(seen(*phone), QByteArrayList{"CAP alice LIST cap-notify sasl"});
}

void tst_Multiclient::badInputFromAttachedSession()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);

    laptop->sendLine("USER again 0 * :again");
    laptop->sendLine("PASS secret");
    laptop->sendLine("AUTHENTICATE PLAIN");
    laptop->sendLine("NICK bob");
    laptop->sendLine("NICK 9lives");
    laptop->sendLine("PART #nowhere");
    COMPARE_LINES(seen(*laptop), (QByteArrayList{"462 alice You may not reregister", "462 alice You may not reregister",
                                                 "907 alice You have already authenticated using SASL",
                                                 "433 alice bob Nickname is already in use",
                                                 "432 alice 9lives Erroneous nickname",
                                                 "403 alice #nowhere No such channel"}));
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    COMPARE_LINES(seen(*bob), QByteArrayList{});
    // Still the same user, still serving.
    laptop->sendLine("PRIVMSG bob :all fine");
    COMPARE_LINES(seen(*bob), QByteArrayList{"PRIVMSG bob all fine"});
    COMPARE_LINES(seen(*phone), QByteArrayList{"PRIVMSG bob all fine"});
}

void tst_Multiclient::labeledResponseOnAttachedSession()
{
    TestServer server(configWithLimit(5));
    QVERIFY(server.addAccount("alice", kPassword));
    auto phone = device(server);
    auto laptop = device(server, "labeled-response batch");
    QVERIFY(phone && laptop);
    QVERIFY(phone->sync() && laptop->sync());

    laptop->sendLine("@label=j1 JOIN #lab");
    const auto start = laptop->waitForCommand("BATCH");
    QVERIFY(start);
    QCOMPARE(start->tag("label"), std::optional<QByteArray>("j1"));
    QCOMPARE(start->param(1), QByteArray("labeled-response"));
    COMPARE_LINES(seen(*laptop), (QByteArrayList{"JOIN #lab", "353 alice = #lab @alice",
                                                 "366 alice #lab End of /NAMES list.", "BATCH " + start->param(0).replace('+', '-')}));
    COMPARE_LINES(seen(*phone),
                  (QByteArrayList{"JOIN #lab", "353 alice = #lab @alice", "366 alice #lab End of /NAMES list."}));
}

void tst_Multiclient::quitEndsOneSessionUntilTheLast()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);

    // An attached session leaves: nobody notices.
    laptop->sendLine("QUIT :switching off");
    QVERIFY(laptop->waitForError());
    QVERIFY(laptop->waitForDisconnected());
    COMPARE_LINES(seen(*bob), QByteArrayList{});
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    bob->sendLine("PRIVMSG alice :still there?");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*phone), QByteArrayList{"PRIVMSG alice still there?"});

    // The last one leaves: the user quits, and its nick is free.
    phone->sendLine("QUIT :bye");
    const auto quit = bob->waitForCommand("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->source, QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(quit->params, QByteArrayList{"Quit: bye"});
    bob->sendLine("ISON alice");
    COMPARE_LINES(seen(*bob), QByteArrayList{"303 bob "});
    bob->sendLine("LUSERS");
    QVERIFY(seen(*bob).contains("251 bob There are 1 users and 0 invisible on 1 servers"));
}

void tst_Multiclient::leadQuittingHandsTheUserOver()
{
    TestServer server(configWithLimit(5));
    QVERIFY(server.addAccount("alice", kPassword));
    auto phone = device(server);
    auto laptop = device(server);
    auto tablet = device(server);
    auto bob = server.registeredClient("bob");
    QVERIFY(phone && laptop && tablet && bob);
    phone->sendLine("JOIN #ops");
    phone->sendLine("MODE #ops +i");
    phone->sendLine("AWAY :lunch");
    phone->sendLine("MONITOR + bob");
    QVERIFY(phone->waitFor(test::commandWithParam("MODE", 1, "+i")));
    QVERIFY(phone->sync() && laptop->sync() && tablet->sync() && bob->sync());

    // The first device, the user's lead, leaves: the others carry on as the user.
    phone->sendLine("QUIT");
    QVERIFY(phone->waitForDisconnected());
    COMPARE_LINES(seen(*bob), QByteArrayList{});
    COMPARE_LINES(seen(*laptop), QByteArrayList{});
    laptop->sendLine("MODE #ops -i"); // still the channel's operator
    COMPARE_LINES(seen(*laptop), QByteArrayList{"MODE #ops -i"});
    COMPARE_LINES(seen(*tablet), QByteArrayList{"MODE #ops -i"});
    bob->sendLine("WHOIS alice");
    const QByteArrayList whois = seen(*bob);
    QVERIFY2(std::any_of(whois.begin(), whois.end(),
                         [](const QByteArray &line) { return line.startsWith("319 bob alice ") && line.contains("@#ops"); }),
             whois.join('|').constData());
    QVERIFY(whois.contains("301 bob alice lunch"));
    tablet->sendLine("MONITOR L");
    COMPARE_LINES(seen(*tablet), (QByteArrayList{"732 alice bob", "733 alice End of MONITOR list"}));
    bob->sendLine("PRIVMSG #lobby :hi both");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PRIVMSG #lobby hi both"});
    COMPARE_LINES(seen(*tablet), QByteArrayList{"PRIVMSG #lobby hi both"});

    // The new lead leaves too, then the last.
    laptop->sendLine("QUIT");
    QVERIFY(laptop->waitForDisconnected());
    COMPARE_LINES(seen(*bob), QByteArrayList{});
    tablet->sendLine("PRIVMSG bob :last one");
    COMPARE_LINES(seen(*bob), QByteArrayList{"PRIVMSG bob last one"});
    tablet->sendLine("QUIT :done");
    QVERIFY(bob->waitForCommand("QUIT"));
    bob->sendLine("NAMES #ops");
    COMPARE_LINES(seen(*bob), QByteArrayList{"366 bob #ops End of /NAMES list."});
}

void tst_Multiclient::killEndsEverySession()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);
    QVERIFY(makeOperator(alice.server, *bob));
    QVERIFY(bob->sync() && phone->sync() && laptop->sync());

    bob->sendLine("KILL alice :enough");
    const auto quit = bob->waitForCommand("QUIT");
    QVERIFY(quit);
    QVERIFY(quit->source.startsWith("alice!"));
    QVERIFY(phone->waitForError() && laptop->waitForError());
    QVERIFY(phone->waitForDisconnected() && laptop->waitForDisconnected());
    COMPARE_LINES(seen(*bob), QByteArrayList{}); // one QUIT, not one per session
    bob->sendLine("ISON alice");
    COMPARE_LINES(seen(*bob), QByteArrayList{"303 bob "});
}

void tst_Multiclient::addressBanEndsOnlyTheDeviceThere_data()
{
    QTest::addColumn<bool>("banTheLead");
    QTest::newRow("the device attached later") << false;
    QTest::newRow("the first device, the user's lead") << true;
}

void tst_Multiclient::addressBanEndsOnlyTheDeviceThere()
{
    QFETCH(bool, banTheLead);
    const QHostAddress banned(QStringLiteral("127.0.0.2"));
    TestServer server(configWithLimit(5));
    QVERIFY(server.addAccount("alice", kPassword));
    auto first = device(server, {}, banTheLead ? banned : QHostAddress());
    auto second = device(server, {}, banTheLead ? QHostAddress() : banned);
    auto bob = server.registeredClient("bob");
    QVERIFY(first && second && bob);
    QVERIFY(makeOperator(server, *bob));
    QVERIFY(bob->sync() && first->sync() && second->sync());
    TestIrcClient &bannedDevice = banTheLead ? *first : *second;
    TestIrcClient &otherDevice = banTheLead ? *second : *first;

    bob->sendLine("KLINE 127.0.0.2 0 :not from there");
    QVERIFY(bannedDevice.waitForCommand("465"));
    QVERIFY(bannedDevice.waitForError());
    QVERIFY(bannedDevice.waitForDisconnected());
    const QByteArrayList toOperator = seen(*bob);
    QVERIFY2(toOperator.contains("NOTICE bob Disconnected 1 connection(s) matching 127.0.0.2"),
             toOperator.join('|').constData());
    QVERIFY2(!toOperator.join('|').contains("QUIT"), "the user did not quit: it is still on its other device");

    // The device elsewhere carries on as alice, in her channels.
    COMPARE_LINES(seen(otherDevice), QByteArrayList{});
    bob->sendLine("PRIVMSG #lobby :still with us?");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(otherDevice), QByteArrayList{"PRIVMSG #lobby still with us?"});
    otherDevice.sendLine("PRIVMSG bob :yes");
    QVERIFY(otherDevice.sync()); // the server has read it: bob's PONG comes after it
    COMPARE_LINES(seen(*bob), QByteArrayList{"PRIVMSG bob yes"});

    // And the banned address cannot attach a device again.
    auto again = beginDevice(server, "alice", {}, banned);
    QVERIFY(again->waitForCommand("465"));
    QVERIFY(again->waitForDisconnected());
    COMPARE_LINES(seen(otherDevice), QByteArrayList{});
}

void tst_Multiclient::accountBanEndsEverySession()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);
    QVERIFY(makeOperator(alice.server, *bob));
    QVERIFY(bob->sync() && phone->sync() && laptop->sync());

    bob->sendLine("KLINE ~a:alice 0 :gone");
    QVERIFY(phone->waitForCommand("465") && laptop->waitForCommand("465"));
    QVERIFY(phone->waitForDisconnected() && laptop->waitForDisconnected());
    const QByteArrayList toOperator = seen(*bob);
    QVERIFY2(toOperator.contains("NOTICE bob Disconnected 2 connection(s) matching ~a:alice"),
             toOperator.join('|').constData());
    QCOMPARE(toOperator.count("QUIT K-Lined"), 1); // one user quit, once
    bob->sendLine("ISON alice");
    COMPARE_LINES(seen(*bob), QByteArrayList{"303 bob "});
}

void tst_Multiclient::passwordChecksAnswerTheAskingSession()
{
    TwoDevices alice;
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);
    QVERIFY(addOperatorAccount(alice.server));

    // Both wait for a password hash off the event loop; the answer still goes to the laptop.
    laptop->sendLine("PRIVMSG NickServ :SET PASSWORD battery-staple");
    const auto changed = laptop->waitForCommand("NOTICE");
    QVERIFY(changed);
    QCOMPARE(changed->param(1), QByteArray("The password of alice is changed"));
    laptop->sendLine("OPER opal wrong-password");
    QVERIFY(laptop->waitForCommand("464"));
    laptop->sendLine(QByteArray("OPER opal ") + kOperPassword);
    QVERIFY(laptop->waitForCommand("381"));
    COMPARE_LINES(seen(*laptop), QByteArrayList{"MODE alice +o"});
    COMPARE_LINES(seen(*phone), QByteArrayList{"MODE alice +o"}); // the user's mode: every session
    COMPARE_LINES(seen(*bob), QByteArrayList{});
}

void tst_Multiclient::sessionLimit()
{
    TwoDevices alice(2);
    QVERIFY(alice.start());
    auto [phone, laptop, bob] = std::tie(alice.phone, alice.laptop, alice.bob);

    auto third = beginDevice(alice.server, "alice3");
    const auto fail = third->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->params.mid(0, 3), (QByteArrayList{"*", "TOO_MANY_SESSIONS", "alice"}));
    QVERIFY(third->waitForError());
    QVERIFY(third->waitForDisconnected());
    QVERIFY(!receivedWelcome(*third));
    COMPARE_LINES(seen(*bob), QByteArrayList{});
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    bob->sendLine("PRIVMSG alice :two of you");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*phone), QByteArrayList{"PRIVMSG alice two of you"});
    COMPARE_LINES(seen(*laptop), QByteArrayList{"PRIVMSG alice two of you"});

    // A session gone makes room for another.
    laptop->sendLine("QUIT");
    QVERIFY(laptop->waitForDisconnected());
    QVERIFY(device(alice.server));
}

void tst_Multiclient::limitOneKeepsSeparateUsers()
{
    TestServer server(configWithLimit(1));
    QVERIFY(server.addAccount("alice", kPassword));
    auto phone = device(server);
    auto bob = server.registeredClient("bob");
    QVERIFY(phone && bob);
    QVERIFY(phone->sync());

    auto laptop = beginDevice(server, "alice");
    QVERIFY(laptop->waitFor(test::commandWithParam("433", 1, "alice")));
    QVERIFY(laptop->sync()); // no nick yet: not registered
    QVERIFY(!receivedWelcome(*laptop));
    laptop->sendLine("NICK alice_");
    const auto welcome = laptop->waitForCommand("001");
    QVERIFY(welcome);
    QCOMPARE(welcome->param(0), QByteArray("alice_"));
    const auto joined = bob->waitForCommand("JOIN");
    QVERIFY(joined);
    QVERIFY(joined->source.startsWith("alice_!"));
    bob->sendLine("PRIVMSG alice :only the first");
    QVERIFY(bob->sync());
    COMPARE_LINES(seen(*phone), (QByteArrayList{"JOIN #lobby", "PRIVMSG alice only the first"})); // alice_'s JOIN
    QVERIFY(laptop->waitFor(test::commandWithParam("366", 1, "#lobby")));
    COMPARE_LINES(seen(*laptop), QByteArrayList{});
}

void tst_Multiclient::guestCannotShareNick()
{
    TestServer server(configWithLimit(5));
    QVERIFY(server.addAccount("alice", kPassword));
    auto phone = device(server);
    QVERIFY(phone);
    auto guest = server.connectClient();
    guest->sendLine("NICK alice");
    guest->sendLine("USER alice 0 * :not alice");
    QVERIFY(guest->waitFor(test::commandWithParam("433", 1, "alice")));
    COMPARE_LINES(seen(*guest), QByteArrayList{});
    COMPARE_LINES(seen(*phone), QByteArrayList{});
    // A wrong password is no login: no sharing either.
    auto impostor = server.connectClient();
    impostor->sendLine("CAP REQ sasl");
    impostor->sendLine("NICK alice");
    impostor->sendLine("USER alice 0 * :x");
    impostor->sendLine("AUTHENTICATE PLAIN");
    impostor->sendLine("AUTHENTICATE " + test::saslPlain("alice", "wrong-password"));
    impostor->sendLine("CAP END");
    QVERIFY(impostor->waitForCommand("904"));
    QVERIFY(impostor->sync());
    QVERIFY(!receivedWelcome(*impostor));
    COMPARE_LINES(seen(*phone), QByteArrayList{});
}

QTEST_MAIN(tst_Multiclient)
#include "tst_multiclient.moc"
