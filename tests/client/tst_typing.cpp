// Typing indicators (IRCv3 +typing) between the client and IRC clients, over the real in-process
// server: shown when others type, told when the user types, and silent when it should be.

#include "chatsession.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QSettings>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::Conversation;
using test::TestIrcClient;
using test::TestServer;

class tst_Typing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init() { QSettings().clear(); }
    void othersTypingIsShown();
    void typingIsToldOnlyWhileTyping();
    void sendingCanBeTurnedOff();

private:
    static void login(ChatSession &session, quint16 port, const QString &nick);
    /// A scripted client with message-tags, in #lobby: it sends and receives client tags.
    static std::unique_ptr<TestIrcClient> taggedClient(TestServer &server, const QByteArray &nick);
    /// The next TAGMSG or PRIVMSG @p client gets from alice.
    static std::optional<protocol::Message> nextFromAlice(TestIrcClient &client);

    test::PrivateUserDirs m_userDirs;
};

void tst_Typing::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_typing"));
    QVERIFY(m_userDirs.isValid());
}

void tst_Typing::login(ChatSession &session, quint16 port, const QString &nick)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick);
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == ChatSession::State::AwaitingTrust
                                 || session.state() == ChatSession::State::Connected,
                             10000);
    if (session.state() == ChatSession::State::AwaitingTrust)
        session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.room(), QStringLiteral("#lobby"), 10000);
}

std::unique_ptr<TestIrcClient> tst_Typing::taggedClient(TestServer &server, const QByteArray &nick)
{
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("CAP REQ :message-tags");
    client->sendLine("NICK " + nick);
    client->sendLine("USER " + nick + " 0 * :Test user " + nick);
    client->sendLine("CAP END");
    if (!client->waitForCommand("001") || !client->waitForCommand("366"))
        return nullptr;
    return client;
}

std::optional<protocol::Message> tst_Typing::nextFromAlice(TestIrcClient &client)
{
    return client.waitFor([](const protocol::Message &message) {
        return (message.command == "TAGMSG" || message.command == "PRIVMSG") && message.sourceNick() == "alice";
    });
}

void tst_Typing::othersTypingIsShown()
{
    TestServer server;
    ChatSession session;
    login(session, server.port(), QStringLiteral("alice"));
    auto bob = taggedClient(server, "bob");
    auto carol = taggedClient(server, "carol");
    QVERIFY(bob && carol);
    Conversation *lobby = session.conversations()->find(QStringLiteral("#lobby"));
    QVERIFY(lobby);
    QCOMPARE(lobby->typingText(), QString());

    bob->sendLine("@+typing=active TAGMSG #lobby");
    QTRY_COMPARE(lobby->typingText(), QStringLiteral("bob is typing…"));
    carol->sendLine("@+typing=active TAGMSG #lobby");
    QTRY_COMPARE(lobby->typingText(), QStringLiteral("bob and carol are typing…"));
    // A message from bob ends his typing; carol pauses.
    bob->sendLine("PRIVMSG #lobby :done now");
    QTRY_COMPARE(lobby->typists(), QStringList{QStringLiteral("carol")});
    carol->sendLine("@+typing=paused TAGMSG #lobby");
    QTRY_COMPARE(lobby->typingText(), QString());

    // Privately: shown in the conversation with the sender, not in the channel.
    bob->sendLine("PRIVMSG alice :hi");
    QTRY_VERIFY(session.conversations()->find(QStringLiteral("bob")));
    Conversation *withBob = session.conversations()->find(QStringLiteral("bob"));
    bob->sendLine("@+typing=active TAGMSG alice");
    QTRY_COMPARE(withBob->typingText(), QStringLiteral("bob is typing…"));
    QCOMPARE(lobby->typingText(), QString());
    bob->sendLine("@+typing=done TAGMSG alice");
    QTRY_COMPARE(withBob->typingText(), QString());

    // Nonsense is ignored: an unknown state clears, a tag on another command does nothing.
    bob->sendLine("@+typing=active TAGMSG #lobby");
    QTRY_COMPARE(lobby->typists(), QStringList{QStringLiteral("bob")});
    bob->sendLine("@+typing=sleeping TAGMSG #lobby");
    QTRY_COMPARE(lobby->typists(), QStringList());
    bob->sendLine("@+typing=active TAGMSG #nowhere");
    QVERIFY(bob->sync());
    QCOMPARE(session.state(), ChatSession::State::Connected);

    // Someone who goes quiet stops being shown after the expiry, with no message needed.
    carol->sendLine("@+typing=active TAGMSG #lobby");
    QTRY_COMPARE(lobby->typists(), QStringList{QStringLiteral("carol")});
    QTRY_COMPARE_WITH_TIMEOUT(lobby->typists(), QStringList(), client::TypingTracker::kActiveExpiryMs + 10'000);
}

void tst_Typing::typingIsToldOnlyWhileTyping()
{
    TestServer server;
    ChatSession session;
    login(session, server.port(), QStringLiteral("alice"));
    auto bob = taggedClient(server, "bob");
    QVERIFY(bob);
    QVERIFY(bob->sync());
    bob->skipReceived();

    session.setDraft(QStringLiteral("hel"));
    auto told = nextFromAlice(*bob);
    QVERIFY(told);
    QCOMPARE(told->command, QByteArray("TAGMSG"));
    QCOMPARE(told->param(0), QByteArray("#lobby"));
    QCOMPARE(told->tag("+typing"), std::optional<QByteArray>("active"));
    // More keys soon after are not told again; emptying the field is.
    session.setDraft(QStringLiteral("hello"));
    session.setDraft(QString());
    told = nextFromAlice(*bob);
    QVERIFY(told);
    QCOMPARE(told->tag("+typing"), std::optional<QByteArray>("done"));

    // A command is not typing; a message sent ends the typing by itself (no done after it).
    session.setDraft(QStringLiteral("/join #elsewhere"));
    session.setDraft(QStringLiteral("hi bob"));
    told = nextFromAlice(*bob);
    QVERIFY(told);
    QCOMPARE(told->tag("+typing"), std::optional<QByteArray>("active"));
    QCOMPARE(session.send(QStringLiteral("hi bob")), ChatSession::SendResult::Sent);
    session.setDraft(QString());
    told = nextFromAlice(*bob);
    QVERIFY(told);
    QCOMPARE(told->command, QByteArray("PRIVMSG"));
    session.send(QStringLiteral("marker"));
    told = nextFromAlice(*bob);
    QVERIFY(told);
    QCOMPARE(told->command, QByteArray("PRIVMSG")); // nothing between the two messages
    QCOMPARE(told->param(1), QByteArray("marker"));

    // A draft left for a while is paused.
    session.setDraft(QStringLiteral("thinking"));
    told = nextFromAlice(*bob);
    QVERIFY(told);
    QCOMPARE(told->tag("+typing"), std::optional<QByteArray>("active"));
    told = bob->waitFor([](const protocol::Message &message) { return message.command == "TAGMSG"; },
                        client::TypingTracker::kPausedAfterMs + 10'000);
    QVERIFY(told);
    QCOMPARE(told->tag("+typing"), std::optional<QByteArray>("paused"));
}

void tst_Typing::sendingCanBeTurnedOff()
{
    TestServer server;
    {
        ChatSession session;
        session.settings()->setSendTyping(false);
    }
    ChatSession session;
    QVERIFY(!session.settings()->sendTyping()); // kept in the settings
    login(session, server.port(), QStringLiteral("alice"));
    auto bob = taggedClient(server, "bob");
    QVERIFY(bob);
    QVERIFY(bob->sync());
    bob->skipReceived();
    session.setDraft(QStringLiteral("a secret draft"));
    session.send(QStringLiteral("marker"));
    const auto first = nextFromAlice(*bob);
    QVERIFY(first);
    QCOMPARE(first->command, QByteArray("PRIVMSG"));
    QCOMPARE(first->param(1), QByteArray("marker"));
}

QTEST_GUILESS_MAIN(tst_Typing)
#include "tst_typing.moc"
