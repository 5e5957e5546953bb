// Registered nicknames: a squatter is warned and renamed after the grace period (or refused when
// it is 0), and the owner logging in takes the nickname back.

#include "testserver.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

constexpr int kShortGraceMs = 300;
/// For a test whose client must log in (two round trips and a hash) within the grace period: long
/// enough for a loaded machine, since the server's timer does not wait for it.
constexpr int kActGraceMs = 3'000;

server::ServerConfig graceConfig(int graceMs)
{
    server::ServerConfig config = test::accountsTestConfig();
    config.nickGraceMs = graceMs;
    return config;
}

/// Logs in with SASL PLAIN during registration, as a client with a saved password does.
std::unique_ptr<TestIrcClient> loginAs(TestServer &server, const QByteArray &nick, const QByteArray &account,
                                       const QByteArray &password)
{
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("NICK " + nick);
    client->sendLine("USER " + nick + " 0 * :" + nick);
    client->sendLine("CAP REQ sasl");
    client->sendLine("AUTHENTICATE PLAIN");
    if (!client->waitForCommand("AUTHENTICATE"))
        return nullptr;
    client->sendLine("AUTHENTICATE " + test::saslPlain(account, password));
    if (!client->waitForCommand("903"))
        return nullptr;
    client->sendLine("CAP END");
    if (!client->waitForCommand("001"))
        return nullptr;
    return client;
}

bool isGuestNick(const QByteArray &nick)
{
    return nick.startsWith("Guest") && nick.size() == 10;
}

/**
 * Returns once every server timer of @p graceMs started before this call has fired: Qt fires a
 * thread's timers in the order of their deadlines, and this one's is later. (A timer of 2 s or
 * more is coarse and may fire up to 5% late, hence the margin.) This is how a test proves that a
 * grace period ran out without a rename, with no guess at how long the server takes.
 */
bool waitPastTimersOf(int graceMs)
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setSingleShot(true);
    QSignalSpy fired(&timer, &QTimer::timeout);
    timer.start(graceMs + graceMs / 20 + 1);
    return fired.wait(graceMs + 60'000);
}

/// True if a round trip shows that no NICK change is on its way to @p client.
bool noRenameArrives(TestIrcClient &client)
{
    const auto seen = client.sync();
    return seen && std::none_of(seen->begin(), seen->end(), [](const Message &m) { return m.command == "NICK"; });
}

} // namespace

class tst_NickReservation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void squatterRenamedAfterGrace();
    void squatterWhoMovesOnKeepsNick();
    void squatterWhoLogsInKeepsNick();
    void refusedWithoutGrace();
    void ownerTakesNickBackOnLogin();
    void secondConnectionOfOwner();
    void ownerNickChangeTakesItBack();
};

void tst_NickReservation::squatterRenamedAfterGrace()
{
    TestServer server(graceConfig(kShortGraceMs));
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto carol = server.registeredClient("carol");
    auto squatter = server.registeredClient("alice");
    QVERIFY(carol && squatter);
    const auto warning = squatter->waitForCommand("NOTICE");
    QVERIFY(warning);
    QVERIFY2(warning->param(1).contains("registered"), warning->param(1).constData());
    const auto rename = squatter->waitForCommand("NICK");
    QVERIFY(rename);
    QVERIFY2(isGuestNick(rename->param(0)), rename->param(0).constData());
    QCOMPARE(rename->source, QByteArray("alice!~alice@127.0.0.1"));
    // A peer in the same channel sees the change.
    const auto seen = carol->waitForCommand("NICK");
    QVERIFY(seen);
    QCOMPARE(seen->param(0), rename->param(0));
    // The nickname is free for its owner now.
    auto owner = loginAs(server, "alice", "alice", "correct-horse");
    QVERIFY(owner);
    const auto welcome = std::find_if(owner->received().begin(), owner->received().end(),
                                      [](const Message &m) { return m.command == "001"; });
    QCOMPARE(welcome->param(0), QByteArray("alice"));
}

void tst_NickReservation::squatterWhoMovesOnKeepsNick()
{
    TestServer server(graceConfig(kShortGraceMs));
    QVERIFY(server.addAccount("alice", "correct-horse"));
    // Registering as alice and moving on in one write: the server handles both in one turn, so the
    // grace timer armed at registration cannot fire before the nick has changed, however busy the
    // machine is.
    auto squatter = server.connectClient();
    squatter->sendRaw("NICK alice\r\nUSER alice 0 * :Alice\r\nNICK mallory\r\n");
    const auto warning = squatter->waitFor(
        [](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("is registered"); });
    QVERIFY(warning); // sent as the timer was armed
    const auto own = squatter->waitForCommand("NICK");
    QVERIFY(own);
    QCOMPARE(own->param(0), QByteArray("mallory"));
    // The grace period ran out, and no forced rename came.
    QVERIFY(waitPastTimersOf(kShortGraceMs));
    QVERIFY(noRenameArrives(*squatter));
}

void tst_NickReservation::squatterWhoLogsInKeepsNick()
{
    TestServer server(graceConfig(kActGraceMs));
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto client = server.registeredClient("alice");
    QVERIFY(client);
    QVERIFY(client->waitForCommand("NOTICE"));
    client->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(client->waitForCommand("AUTHENTICATE"));
    client->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct-horse"));
    QVERIFY(client->waitForCommand("903"));
    // The grace timer was armed before the warning was sent; it has run out, and no rename came.
    QVERIFY(waitPastTimersOf(kActGraceMs));
    QVERIFY(noRenameArrives(*client));
}

void tst_NickReservation::refusedWithoutGrace()
{
    TestServer server(graceConfig(0));
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("NICK alice");
    const auto refused = bob->waitForCommand("433");
    QVERIFY(refused);
    QVERIFY(refused->param(2).contains("reserved"));
    QVERIFY(bob->sync());

    // Registering with it: the welcome comes, then an immediate rename.
    auto squatter = server.connectClient();
    QVERIFY(squatter->registerAs("alice"));
    const auto rename = squatter->waitForCommand("NICK");
    QVERIFY(rename);
    QVERIFY(isGuestNick(rename->param(0)));
}

void tst_NickReservation::ownerTakesNickBackOnLogin()
{
    TestServer server(graceConfig(60'000));
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto squatter = server.registeredClient("alice");
    QVERIFY(squatter);

    auto owner = server.connectClient();
    owner->sendLine("CAP LS 302");
    owner->sendLine("NICK alice");
    QVERIFY(owner->waitForCommand("433")); // in use, for now
    owner->sendLine("NICK alice_");
    owner->sendLine("USER alice 0 * :Alice");
    owner->sendLine("AUTHENTICATE PLAIN");
    QVERIFY(owner->waitForCommand("AUTHENTICATE"));
    owner->sendLine("AUTHENTICATE " + test::saslPlain("alice", "correct-horse"));
    QVERIFY(owner->waitForCommand("903"));
    owner->sendLine("CAP END");
    const auto welcome = owner->waitForCommand("001");
    QVERIFY(welcome);
    QCOMPARE(welcome->param(0), QByteArray("alice"));

    const auto notice = squatter->waitFor([](const Message &m) {
        return m.command == "NOTICE" && m.param(1).contains("owner");
    });
    QVERIFY(notice);
    const auto rename = squatter->waitForCommand("NICK");
    QVERIFY(rename);
    QVERIFY(isGuestNick(rename->param(0)));
}

void tst_NickReservation::secondConnectionOfOwner()
{
    // Each connection a user of its own (tst_multiclient has them share one user).
    server::ServerConfig config = graceConfig(kShortGraceMs);
    config.maxSessionsPerAccount = 1;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto first = loginAs(server, "alice", "alice", "correct-horse");
    QVERIFY(first);
    // The same account from another device keeps its own nick; the first connection keeps "alice".
    auto second = loginAs(server, "alice_phone", "alice", "correct-horse");
    QVERIFY(second);
    const auto welcome = std::find_if(second->received().begin(), second->received().end(),
                                      [](const Message &m) { return m.command == "001"; });
    QCOMPARE(welcome->param(0), QByteArray("alice_phone"));
    QVERIFY(noRenameArrives(*first));
    // Nor later: any grace timer armed by either login has run out.
    QVERIFY(waitPastTimersOf(kShortGraceMs));
    QVERIFY(noRenameArrives(*first));
}

void tst_NickReservation::ownerNickChangeTakesItBack()
{
    TestServer server(graceConfig(60'000));
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto owner = loginAs(server, "alice", "alice", "correct-horse");
    QVERIFY(owner);
    owner->sendLine("NICK ally");
    QVERIFY(owner->waitFor(test::commandWithParam("NICK", 0, "ally")));
    auto squatter = server.registeredClient("alice");
    QVERIFY(squatter);
    owner->sendLine("NICK alice");
    const auto mine = owner->waitFor(test::commandWithParam("NICK", 0, "alice"));
    QVERIFY(mine);
    const auto rename = squatter->waitForCommand("NICK");
    QVERIFY(rename);
    QVERIFY(isGuestNick(rename->param(0)));
}

QTEST_MAIN(tst_NickReservation)
#include "tst_nickreservation.moc"
