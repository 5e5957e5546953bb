// The client's conversations and the server's history (IRCv3 draft/chathistory), against the real
// tktalk server in-process, over real TLS on loopback.

#include "chatsession.h"
#include "clientsetup.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QSettings>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::Conversation;
using client::MessageModel;
using test::TestServer;

class tst_ClientHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void channelHistoryLoadsAsTheUserScrollsUp();
    void privateConversationShowsItsHistoryWhenOpened();
    void lateJoinerSeesWhatWasSaidOnce();
    void readOnOneDeviceIsReadOnTheOthers();

private:
    /// Connects @p session as @p nick, trusting the test certificate; true once it is in #lobby.
    static bool login(ChatSession &session, quint16 port, const QString &nick, const QString &password = {});
    /// The texts of @p model's chat lines (said by someone), oldest first.
    static QStringList said(const MessageModel &model);

    test::PrivateUserDirs m_userDirs;
};

void tst_ClientHistory::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_clienthistory"));
    QVERIFY(m_userDirs.isValid());
}

void tst_ClientHistory::init()
{
    QSettings().clear();
}

bool tst_ClientHistory::login(ChatSession &session, quint16 port, const QString &nick, const QString &password)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick, password);
    if (!QTest::qWaitFor([&] { return session.state() == ChatSession::State::AwaitingTrust
                                      || session.state() == ChatSession::State::Connected; },
                         10000))
        return false;
    if (session.state() == ChatSession::State::AwaitingTrust)
        session.trustCertificate();
    return QTest::qWaitFor([&] { return session.room() == QStringLiteral("#lobby"); }, 10000);
}

QStringList tst_ClientHistory::said(const MessageModel &model)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row) {
        const MessageModel::Kind kind = model.at(row).kind;
        if (kind != MessageModel::Kind::System && kind != MessageModel::Kind::Error && kind != MessageModel::Kind::Notice)
            texts << model.at(row).text;
    }
    return texts;
}

void tst_ClientHistory::channelHistoryLoadsAsTheUserScrollsUp()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QStringList lines;
    for (int i = 1; i <= 120; ++i) {
        lines << QStringLiteral("line %1").arg(i);
        bob->sendLine("PRIVMSG #lobby :" + lines.last().toUtf8());
    }
    bob->sendLine("PING :settled");
    QVERIFY(bob->waitFor(test::commandWithParam("PONG", 1, "settled")));

    // Joining shows the last page of the room's history (50 lines), oldest first.
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    Conversation *lobby = session.conversations()->current();
    QTRY_COMPARE(said(*lobby->messages()), lines.mid(70));
    QVERIFY(!lobby->historyComplete());

    // Scrolling up asks for the page before, and the one before that, which is the last.
    session.loadOlder();
    QVERIFY(lobby->loadingOlder());
    session.loadOlder(); // already under way: not asked twice
    QTRY_VERIFY(!lobby->loadingOlder());
    QCOMPARE(said(*lobby->messages()), lines.mid(20));
    QVERIFY(!lobby->historyComplete());
    session.loadOlder();
    QTRY_VERIFY(lobby->historyComplete());
    QCOMPARE(said(*lobby->messages()), lines);
    session.loadOlder(); // nothing older: nothing asked
    QVERIFY(!lobby->loadingOlder());

    // Live lines go on arriving at the end; history was not news.
    bob->sendLine("PRIVMSG #lobby :live");
    QTRY_COMPARE(said(*lobby->messages()).last(), QStringLiteral("live"));
    QCOMPARE(said(*lobby->messages()).size(), 121);
    QCOMPARE(lobby->unread(), 0);
}

void tst_ClientHistory::privateConversationShowsItsHistoryWhenOpened()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "alice-password"));
    QVERIFY(server.addAccount("bob", "bob-password"));
    auto bob = test::connectWithCaps(server, "bob", "sasl", "bob", "bob-password");
    QVERIFY(bob);

    // An earlier session of alice's talked with bob.
    {
        ChatSession earlier;
        QVERIFY(login(earlier, server.port(), QStringLiteral("alice"), QStringLiteral("alice-password")));
        QCOMPARE(earlier.send(QStringLiteral("/@bob first")), ChatSession::SendResult::Sent);
        QVERIFY(bob->waitFor(test::commandWithParam("PRIVMSG", 1, "first")));
        bob->sendLine("PRIVMSG alice :a reply");
        Conversation *withBob = earlier.conversations()->find(QStringLiteral("bob"));
        QVERIFY(withBob);
        QTRY_COMPARE(said(*withBob->messages()), (QStringList{"first", "a reply"}));
        earlier.leave();
        QTRY_COMPARE(earlier.state(), ChatSession::State::Disconnected);
    }

    // A new session (another device, the next day) opens the conversation: it shows what was said,
    // in order, before what is said now, each line once.
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice"), QStringLiteral("alice-password")));
    QVERIFY(!session.conversations()->find(QStringLiteral("bob")));
    QCOMPARE(session.send(QStringLiteral("/@bob again")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(test::commandWithParam("PRIVMSG", 1, "again")));
    Conversation *withBob = session.conversations()->current();
    QCOMPARE(withBob->name(), QStringLiteral("bob"));
    QTRY_COMPARE(said(*withBob->messages()), (QStringList{"first", "a reply", "again"}));
    QTRY_VERIFY(withBob->historyComplete()); // fewer than a page: that is all there is
    bob->sendLine("PRIVMSG alice :welcome back");
    QTRY_COMPARE(said(*withBob->messages()), (QStringList{"first", "a reply", "again", "welcome back"}));
    const MessageModel &messages = *withBob->messages();
    QCOMPARE(messages.at(messages.rowCount() - 1).kind, MessageModel::Kind::PrivateIn);
}

void tst_ClientHistory::lateJoinerSeesWhatWasSaidOnce()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("JOIN #dev");
    bob->sendLine("PRIVMSG #dev :before you came");
    QVERIFY(bob->waitFor(test::commandWithParam("JOIN", 0, "#dev")));
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    // Lines said while alice's join is on its way arrive live and in the history answer: once.
    QCOMPARE(session.send(QStringLiteral("/join #dev")), ChatSession::SendResult::Sent);
    bob->sendLine("PRIVMSG #dev :as you came");
    QTRY_COMPARE(session.room(), QStringLiteral("#dev"));
    Conversation *dev = session.conversations()->current();
    QTRY_VERIFY(dev->historyComplete());
    bob->sendLine("PRIVMSG #dev :after");
    QTRY_VERIFY(said(*dev->messages()).contains(QStringLiteral("after")));
    QCOMPARE(said(*dev->messages()), (QStringList{"before you came", "as you came", "after"}));
}

void tst_ClientHistory::readOnOneDeviceIsReadOnTheOthers()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "alice-password"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    // alice on two devices: the laptop's window is in the background, the phone shows #lobby.
    ChatSession laptop;
    laptop.setWindowActive(false);
    QVERIFY(login(laptop, server.port(), QStringLiteral("alice"), QStringLiteral("alice-password")));
    ChatSession phone;
    QVERIFY(login(phone, server.port(), QStringLiteral("alice"), QStringLiteral("alice-password")));
    QCOMPARE(phone.nick(), laptop.nick());
    Conversation *onLaptop = laptop.conversations()->find(QStringLiteral("#lobby"));
    Conversation *onPhone = phone.conversations()->find(QStringLiteral("#lobby"));
    QVERIFY(onLaptop && onPhone);

    bob->sendLine("PRIVMSG #lobby :one");
    bob->sendLine("PRIVMSG #lobby :two, alice");
    QTRY_VERIFY(said(*onPhone->messages()).contains(QStringLiteral("two, alice")));
    // Read on the phone (shown, in an active window): the laptop hears of it, and its count goes.
    QTRY_VERIFY(onPhone->readMarker().isValid());
    QTRY_VERIFY(onLaptop->readMarker() == onPhone->readMarker());
    QTRY_COMPARE(onLaptop->unread(), 0);
    QCOMPARE(onLaptop->mentions(), 0);
    QCOMPARE(said(*onLaptop->messages()), said(*onPhone->messages()));

    // What comes after is unread on the laptop, and marked there as the first new line.
    bob->sendLine("PRIVMSG #lobby :three");
    QTRY_COMPARE(onLaptop->unread(), 1);
    const MessageModel &laptopLines = *onLaptop->messages();
    int marked = -1;
    for (int row = 0; row < laptopLines.rowCount(); ++row) {
        if (laptopLines.data(laptopLines.index(row), MessageModel::FirstUnreadRole).toBool()) {
            QCOMPARE(marked, -1);
            marked = row;
        }
    }
    QVERIFY(marked >= 0);
    QCOMPARE(laptopLines.at(marked).text, QStringLiteral("three"));

    // Back at the laptop: it reads the room, and the phone, which has read it too, stays at 0.
    laptop.setWindowActive(true);
    QTRY_COMPARE(onLaptop->unread(), 0);
    QTRY_VERIFY(onLaptop->readMarker() >= laptopLines.newestTime());
    QCOMPARE(onPhone->unread(), 0);
}

QTEST_GUILESS_MAIN(tst_ClientHistory)
#include "tst_clienthistory.moc"
