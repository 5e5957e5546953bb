// Messages to people who are not connected: a PRIVMSG to the nick of an account nobody is logged
// in to is kept and delivered at that account's next login; anything else offline is still 401.

#include "history/historystore.h"
#include "historyfaults.h"
#include "protocol/names.h"
#include "testserver.h"

#include <QTest>

#include <algorithm>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

constexpr const char *kPassword = "correct-horse";

/// A client logged in to @p account with SASL (nick = account) that negotiated @p caps.
std::unique_ptr<TestIrcClient> loggedIn(TestServer &server, const QByteArray &account, const QByteArray &caps = {})
{
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("CAP REQ :sasl" + (caps.isEmpty() ? QByteArray() : ' ' + caps));
    client->sendLine("NICK " + account);
    client->sendLine("USER " + account + " 0 * :" + account);
    client->sendLine("AUTHENTICATE PLAIN");
    client->sendLine("AUTHENTICATE " + test::saslPlain(account, kPassword));
    client->sendLine("CAP END");
    if (!client->waitForCommand("903") || !client->waitForCommand("001"))
        return nullptr;
    return client;
}

/// A private message from @p nick (a channel's messages, played back on joining, are not).
bool isPrivmsgFrom(const Message &m, const QByteArray &nick)
{
    return m.command == "PRIVMSG" && m.source.startsWith(nick + '!') && !protocol::isChannelName(m.param(0));
}

/// @p sender's PRIVMSG to @p nick gets 401 naming it, and no "kept" notice.
bool refusedWith401(TestIrcClient &sender, const QByteArray &nick)
{
    const qsizetype before = sender.received().size();
    sender.sendLine("PRIVMSG " + nick + " :are you there?");
    const auto reply = sender.waitForCommand("401");
    if (!reply || reply->param(1) != nick || !sender.sync())
        return false;
    const QList<Message> answers = sender.received().mid(before);
    return std::none_of(answers.begin(), answers.end(),
                        [](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("not online"); });
}

/// Logs @p account in again and checks that no PRIVMSG from @p sender waited for it.
bool nothingKeptFor(TestServer &server, const QByteArray &account, const QByteArray &sender)
{
    auto client = loggedIn(server, account);
    if (!client || !client->sync())
        return false;
    return std::none_of(client->received().begin(), client->received().end(),
                        [&sender](const Message &m) { return isPrivmsgFrom(m, sender); });
}

} // namespace

class tst_OfflineMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keptAndDeliveredAtNextLogin();
    void deliveredOnce();
    void plainClientGetsThemToo();
    void loginAfterRegistration();
    void notAnAccountIsStill401();
    void guestSenderIsStill401();
    void historyOffIsStill401();
    void storeFailingIs401();
    void ownerOnlineUnderAnotherNickIs401();
};

void tst_OfflineMessages::keptAndDeliveredAtNextLogin()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice", "echo-message server-time message-tags");
    QVERIFY(alice);
    alice->skipReceived();
    alice->sendLine("PRIVMSG bob :are you there?");
    alice->sendLine("PRIVMSG bob :call me when you read this");
    // The sender hears that it was kept (and sees its own message, as echo-message promises), no 401.
    const auto echoed = alice->waitFor([](const Message &m) { return m.command == "PRIVMSG" && m.param(0) == "bob"; });
    QVERIFY(echoed);
    const auto notice = alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("not online"); });
    QVERIFY(notice);
    QVERIFY2(notice->param(1).contains("bob"), notice->param(1).constData());
    const auto synced = alice->sync();
    QVERIFY(synced);
    for (const Message &m : *synced)
        QVERIFY2(m.command != "401", "the sender was told there is no such nick");
    const QByteArray msgid = echoed->tag("msgid").value_or(QByteArray());
    QVERIFY(!msgid.isEmpty());

    // Bob logs in later: both messages, in order, in a chathistory batch, with the original time and id.
    auto bob = loggedIn(server, "bob", "batch server-time message-tags");
    QVERIFY(bob);
    const auto start = bob->waitFor([](const Message &m) { return m.command == "BATCH" && m.param(0).startsWith('+'); });
    QVERIFY(start);
    QCOMPARE(start->param(1), QByteArray("chathistory"));
    QCOMPARE(start->param(2), QByteArray("alice"));
    const QByteArray batch = start->param(0).mid(1);
    const auto first = bob->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice"); });
    const auto second = bob->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice"); });
    QVERIFY(first && second);
    QCOMPARE(first->param(1), QByteArray("are you there?"));
    QCOMPARE(second->param(1), QByteArray("call me when you read this"));
    QCOMPARE(first->tag("batch"), std::optional<QByteArray>(batch));
    QCOMPARE(first->tag("msgid"), std::optional<QByteArray>(msgid));
    QCOMPARE(first->tag("time"), echoed->tag("time"));
    QVERIFY(bob->waitFor([&batch](const Message &m) { return m.command == "BATCH" && m.param(0) == '-' + batch; }));
}

void tst_OfflineMessages::deliveredOnce()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice");
    QVERIFY(alice);
    alice->sendLine("PRIVMSG bob :once only");
    QVERIFY(alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("not online"); }));
    {
        auto bob = loggedIn(server, "bob");
        QVERIFY(bob);
        QVERIFY(bob->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice"); }));
        bob->sendLine("QUIT :bye");
        QVERIFY(bob->waitForDisconnected());
    }
    // Once delivered, it is history, no longer waiting: the next login brings nothing.
    auto bob = loggedIn(server, "bob");
    QVERIFY(bob);
    const auto synced = bob->sync();
    QVERIFY(synced);
    for (const Message &m : bob->received())
        QVERIFY2(!isPrivmsgFrom(m, "alice"), "an offline message was delivered twice");
}

void tst_OfflineMessages::plainClientGetsThemToo()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice");
    QVERIFY(alice);
    alice->sendLine("PRIVMSG bob :plain text");
    QVERIFY(alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("not online"); }));
    auto bob = loggedIn(server, "bob"); // no batch, no server-time: the bare message
    QVERIFY(bob);
    const auto got = bob->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice"); });
    QVERIFY(got);
    QCOMPARE(got->param(1), QByteArray("plain text"));
    QVERIFY(got->tags.isEmpty());
}

void tst_OfflineMessages::loginAfterRegistration()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice");
    QVERIFY(alice);
    alice->sendLine("PRIVMSG bob :see you");
    QVERIFY(alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("not online"); }));
    // Bob connects as a guest under another nick, then identifies: the messages come then.
    auto bob = server.registeredClient("bobby");
    QVERIFY(bob);
    QVERIFY(bob->sync());
    for (const Message &m : bob->received())
        QVERIFY2(!isPrivmsgFrom(m, "alice"), "delivered before the login");
    bob->sendLine(QByteArray("PRIVMSG NickServ :IDENTIFY bob ") + kPassword);
    const auto got = bob->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice"); });
    QVERIFY(got);
    QCOMPARE(got->param(1), QByteArray("see you"));
}

void tst_OfflineMessages::notAnAccountIsStill401()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    auto alice = loggedIn(server, "alice");
    QVERIFY(alice);
    alice->sendLine("PRIVMSG nobody :hello?");
    const auto reply = alice->waitForCommand("401");
    QVERIFY(reply);
    QCOMPARE(reply->param(1), QByteArray("nobody"));
}

void tst_OfflineMessages::guestSenderIsStill401()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("bob", kPassword));
    auto guest = server.registeredClient("guest");
    QVERIFY(guest);
    guest->sendLine("PRIVMSG bob :spam for later");
    QVERIFY(guest->waitForCommand("401"));
    auto bob = loggedIn(server, "bob");
    QVERIFY(bob);
    QVERIFY(bob->sync());
    for (const Message &m : bob->received())
        QVERIFY2(!isPrivmsgFrom(m, "guest"), "a guest's message was kept");
}

void tst_OfflineMessages::historyOffIsStill401()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.history = false;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice");
    QVERIFY(alice);
    alice->sendLine("PRIVMSG bob :nowhere to keep this");
    QVERIFY(alice->waitForCommand("401"));
}

// The history cannot be written (a full disk): the message would not be kept, so the sender is
// not told it was: 401, as if history were off. Chat in channels goes on.
void tst_OfflineMessages::storeFailingIs401()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice");
    auto carol = server.registeredClient("carol");
    QVERIFY(alice && carol);
    alice->sendLine("PRIVMSG #lobby :written");
    QVERIFY(carol->waitFor([](const Message &m) { return m.param(1) == "written"; }));
    QVERIFY(test::historyWritten(server.server()));
    test::HistoryFileLimit full(server.dataDir());
    QVERIFY(full.isActive());
    alice->sendLine("PRIVMSG #lobby :not written");
    QVERIFY(carol->waitFor([](const Message &m) { return m.param(1) == "not written"; }));
    QVERIFY(!test::historyWritten(server.server()));
    QVERIFY(!server.server().history().store().problem().isEmpty());

    QVERIFY(refusedWith401(*alice, "bob"));
    const auto carolSaw = carol->sync();
    QVERIFY(carolSaw);
    QVERIFY(carolSaw->isEmpty());
    full.lift();
    QVERIFY(nothingKeptFor(server, "bob", "alice"));
}

// Bob is online as bobby: "bob" names nobody online, and a message kept for bob's next login
// would wait while he is here, so it is 401 (as on Ergo); nothing reaches bobby, nothing is kept.
void tst_OfflineMessages::ownerOnlineUnderAnotherNickIs401()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = loggedIn(server, "alice");
    auto bob = loggedIn(server, "bob");
    QVERIFY(alice && bob);
    bob->sendLine("NICK bobby");
    QVERIFY(bob->waitFor([](const Message &m) { return m.command == "NICK" && m.param(0) == "bobby"; }));
    QVERIFY(bob->sync());
    bob->skipReceived();

    QVERIFY(refusedWith401(*alice, "bob"));
    QVERIFY(bob->receivedNothing());
    // Messages to his nick reach him as always.
    alice->sendLine("PRIVMSG bobby :found you");
    QVERIFY(bob->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice") && m.param(1) == "found you"; }));
    bob->sendLine("QUIT :bye");
    QVERIFY(bob->waitForDisconnected());
    // Offline now: the next message is kept, the earlier one was not.
    alice->sendLine("PRIVMSG bob :later");
    QVERIFY(alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("not online"); }));
    auto back = loggedIn(server, "bob");
    QVERIFY(back);
    const auto got = back->waitFor([](const Message &m) { return isPrivmsgFrom(m, "alice"); });
    QVERIFY(got);
    QCOMPARE(got->param(1), QByteArray("later"));
    QVERIFY(back->sync());
    for (const Message &m : back->received())
        QVERIFY2(m.param(1) != "are you there?", "a message to bob while he was bobby was kept");
}

QTEST_MAIN(tst_OfflineMessages)
#include "tst_offlinemessages.moc"
