// The client's room commands (/op, /kick, /ban, /mode, /topic, /invite...) against the real tktalk
// server in-process over TLS: what the others receive, and what the session shows and lists.

#include "chatsession.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QSettings>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::MessageModel;
using client::UserModel;
using test::TestIrcClient;
using test::TestServer;
using test::commandWithParam;

namespace {

/// True once the session shows a line of @p kind containing @p text.
bool shows(ChatSession &session, MessageModel::Kind kind, const QString &text)
{
    const MessageModel &messages = *session.messages();
    for (int row = messages.rowCount() - 1; row >= 0; --row) {
        if (messages.at(row).kind == kind && messages.at(row).text.contains(text))
            return true;
    }
    return false;
}

/// The user list as shown: the highest prefix, then the nick.
QStringList listed(ChatSession &session)
{
    return session.users()->namesWithPrefixes();
}

/// The message from @p nick with @p command whose parameters are @p params.
TestIrcClient::Predicate from(const QByteArray &nick, const QByteArray &command, const QByteArrayList &params)
{
    return [=](const protocol::Message &m) {
        return m.command == command && m.sourceNick() == nick && m.params == params;
    };
}

} // namespace

class tst_RoomCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void operatorRunsTheRoom();
    void membersAreRefused();
    void kickedAndInvitedBack();
    void refusedWhileOffline();

private:
    /// Logs @p session in as @p nick and waits until it is in #lobby.
    static bool login(ChatSession &session, quint16 port, const QString &nick);
    test::PrivateUserDirs m_userDirs;
};

void tst_RoomCommands::initTestCase()
{
    QVERIFY(m_userDirs.isValid()); // pins and settings of this process only
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_roomcommands"));
}

void tst_RoomCommands::init()
{
    QSettings().clear();
}

bool tst_RoomCommands::login(ChatSession &session, quint16 port, const QString &nick)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick);
    if (!QTest::qWaitFor([&] { return session.state() == ChatSession::State::AwaitingTrust; }, 10'000))
        return false;
    session.trustCertificate();
    return QTest::qWaitFor([&] { return session.room() == QStringLiteral("#lobby") && session.users()->contains(nick); },
                           10'000);
}

void tst_RoomCommands::operatorRunsTheRoom()
{
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    auto bob = server.registeredClient("bob");
    auto carol = server.registeredClient("carol");
    QVERIFY(bob && carol);
    // alice founded #lobby: the list shows her as its operator.
    QTRY_COMPARE(listed(session), (QStringList{"@alice", "bob", "carol"}));

    QCOMPARE(session.send(QStringLiteral("/op bob")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+o", "bob"})));
    QTRY_COMPARE(listed(session), (QStringList{"@alice", "@bob", "carol"}));
    QVERIFY(shows(session, MessageModel::Kind::System, QStringLiteral("alice sets mode +o bob.")));
    QCOMPARE(session.send(QStringLiteral("/deop bob")), ChatSession::SendResult::Sent);
    QCOMPARE(session.send(QStringLiteral("/voice bob carol")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "-o", "bob"})));
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+vv", "bob", "carol"})));
    QTRY_COMPARE(listed(session), (QStringList{"@alice", "+bob", "+carol"}));

    QCOMPARE(session.send(QStringLiteral("/topic Room rules: be kind")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "TOPIC", {"#lobby", "Room rules: be kind"})));
    QTRY_VERIFY(shows(session, MessageModel::Kind::System, QStringLiteral("alice set the topic of #lobby: Room rules")));

    QCOMPARE(session.send(QStringLiteral("/mode +m")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+m"})));
    QCOMPARE(session.send(QStringLiteral("/mode")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(shows(session, MessageModel::Kind::System, QStringLiteral("Modes of #lobby: +mnt")));

    QCOMPARE(session.send(QStringLiteral("/ban troll")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+b", "troll!*@*"})));
    QCOMPARE(session.send(QStringLiteral("/mode b")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(shows(session, MessageModel::Kind::System, QStringLiteral("Banned from #lobby: troll!*@*")));
    QCOMPARE(session.send(QStringLiteral("/unban troll")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "-b", "troll!*@*"})));

    QCOMPARE(session.send(QStringLiteral("/kick carol be back later")), ChatSession::SendResult::Sent);
    QVERIFY(carol->waitFor(from("alice", "KICK", {"#lobby", "carol", "be back later"})));
    QTRY_COMPARE(listed(session), (QStringList{"@alice", "+bob"}));
    QVERIFY(shows(session, MessageModel::Kind::System, QStringLiteral("alice put carol out (be back later).")));
    QCOMPARE(session.send(QStringLiteral("/invite carol")), ChatSession::SendResult::Sent);
    QVERIFY(carol->waitFor(from("alice", "INVITE", {"carol", "#lobby"})));
    QTRY_VERIFY(shows(session, MessageModel::Kind::System, QStringLiteral("You invited carol to #lobby.")));
}

void tst_RoomCommands::membersAreRefused()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    QTRY_COMPARE(listed(session), (QStringList{"@bob", "alice"}));
    QVERIFY(bob->sync());
    bob->skipReceived();
    // The server refuses; the session says why, and bob hears nothing.
    QCOMPARE(session.send(QStringLiteral("/kick bob")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("#lobby: You're not channel operator")));
    QCOMPARE(session.send(QStringLiteral("/op alice")), ChatSession::SendResult::Sent);
    QCOMPARE(session.send(QStringLiteral("/topic mine now")), ChatSession::SendResult::Sent);
    QCOMPARE(session.send(QStringLiteral("/mode +z")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("z: is unknown mode char to me")));
    QVERIFY(bob->receivedNothing());
    QCOMPARE(listed(session), (QStringList{"@bob", "alice"}));
    // What the client can tell by itself is refused before anything is sent.
    QCOMPARE(session.send(QStringLiteral("/kick")), ChatSession::SendResult::Rejected);
    QVERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("Usage: /kick nick [reason]")));
    QCOMPARE(session.send(QStringLiteral("/op #a,b bob")), ChatSession::SendResult::Rejected);
    QVERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("\"#a,b\" is not a valid room name.")));
    QCOMPARE(session.send(QStringLiteral("/ban :x")), ChatSession::SendResult::Rejected);
    QVERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("\":x\" cannot be sent")));
    QVERIFY(bob->receivedNothing());
    QCOMPARE(session.state(), ChatSession::State::Connected);
}

void tst_RoomCommands::refusedWhileOffline()
{
    ChatSession session;
    QCOMPARE(session.send(QStringLiteral("/op bob")), ChatSession::SendResult::Rejected);
    QVERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("Not connected: nothing was sent.")));
}

void tst_RoomCommands::kickedAndInvitedBack()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    bob->sendLine("MODE #lobby +i");
    bob->sendLine("KICK #lobby alice :cool down");
    QTRY_COMPARE(session.room(), QString());
    QVERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("bob put you out of #lobby (cool down).")));
    QCOMPARE(session.users()->count(), 0);
    // Out of every room: room commands need one named.
    QCOMPARE(session.send(QStringLiteral("/op bob")), ChatSession::SendResult::Rejected);
    QCOMPARE(session.send(QStringLiteral("/join #lobby")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(shows(session, MessageModel::Kind::Error, QStringLiteral("#lobby: Cannot join channel (+i)")));
    bob->sendLine("INVITE alice #lobby");
    QTRY_VERIFY(shows(session, MessageModel::Kind::Notice, QStringLiteral("bob invites you to #lobby")));
    QCOMPARE(session.send(QStringLiteral("/join #lobby")), ChatSession::SendResult::Sent);
    QTRY_COMPARE(session.room(), QStringLiteral("#lobby"));
    QTRY_COMPARE(listed(session), (QStringList{"@bob", "alice"}));
}

QTEST_GUILESS_MAIN(tst_RoomCommands)
#include "tst_roomcommands.moc"
