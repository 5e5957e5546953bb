// The chat session against the real tktalk server in-process, over real TLS on loopback.

#include "chatsession.h"
#include "clientsession.h"
#include "ports.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QDateTime>
#include <QSettings>
#include <QTcpServer>
#include <QTcpSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::MessageModel;
using protocol::Message;
using test::TestServer;

// Logs in and stops the test function when that failed.
#define LOGIN(session, ...)                                                                        \
    do {                                                                                           \
        login(session, __VA_ARGS__);                                                               \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

class tst_ChatSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void firstUseAsksThenPins();
    void caFileVerifiesSilently();
    void pinnedCertificateAccepted();
    void changedCertificateRefused();
    void rejectedCertificateDoesNotConnect();
    void nickCollisionGetsSuffix();
    void roomAndPrivateMessages();
    void conversationsCountUnreadAndMentions();
    void conversationsFollowPeopleAndChannels();
    void ownMessageShownOnce();
    void historyOnJoinShowsWhenItWasSaid();
    void reconnectShowsWhatWasMissedOnce();
    void userListFollowsServer();
    void whoListsOnlineUsers();
    void longTextIsSplit();
    void pasteNeedsConfirmation();
    void reconnectsAfterDrop();
    void leaveSendsQuit();
    void connectionErrors();
    void silentServerTimesOut();
    void notTlsIsATlsFailure();
    void loginValidation_data();
    void loginValidation();
    void accountLogin();
    void wrongPasswordRefused();
    void passwordOnServerWithoutAccounts();
    void createAccount();
    void createExistingAccountRefused();
    void reconnectLogsInAgain();
    void guestRefusedWhereAccountRequired();

private:
    test::PrivateUserDirs m_userDirs;
    /// Connects @p session as @p nick, trusting the test certificate when asked.
    void login(ChatSession &session, quint16 port, const QString &nick, const QString &password = {},
               bool createAccount = false);
    /// Connects with @p password and waits until the login failed with an error.
    void failedLogin(ChatSession &session, quint16 port, const QString &nick, const QString &password,
                        bool createAccount = false);
    static bool settingsMention(const QString &text);
    static int findRow(const MessageModel &model, MessageModel::Kind kind, const QString &text);
    static int countRows(const MessageModel &model, const QString &text);
};

void tst_ChatSession::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_chatsession"));
    // Settings of this process only: several copies of this test (other build folders) may run at once.
    QVERIFY(m_userDirs.isValid());
}

void tst_ChatSession::init()
{
    QSettings().clear();
}

void tst_ChatSession::login(ChatSession &session, quint16 port, const QString &nick, const QString &password,
                            bool createAccount)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick, password, createAccount);
    QTRY_VERIFY2_WITH_TIMEOUT(session.state() == ChatSession::State::AwaitingTrust
                                  || session.state() == ChatSession::State::Connected,
                              qPrintable(session.errorText()), 10000);
    if (session.state() == ChatSession::State::AwaitingTrust)
        session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.room(), QStringLiteral("#lobby"), 10000);
    QTRY_VERIFY(session.users()->contains(session.nick()));
}

int tst_ChatSession::findRow(const MessageModel &model, MessageModel::Kind kind, const QString &text)
{
    for (int row = model.rowCount() - 1; row >= 0; --row) {
        if (model.at(row).kind == kind && model.at(row).text.contains(text))
            return row;
    }
    return -1;
}

int tst_ChatSession::countRows(const MessageModel &model, const QString &text)
{
    int count = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        count += model.at(row).text == text ? 1 : 0;
    return count;
}

void tst_ChatSession::firstUseAsksThenPins()
{
    TestServer server;
    QVERIFY(server.isListening());
    ChatSession session;
    QSignalSpy certificateSpy(&session, &ChatSession::pendingCertificateChanged);
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    const QVariantMap pending = session.pendingCertificate();
    QCOMPARE(pending.value(QStringLiteral("fingerprint")).toString(), test::testIdentity().fingerprint());
    QVERIFY(!pending.value(QStringLiteral("subject")).toString().isEmpty());
    QCOMPARE(pending.value(QStringLiteral("changed")).toBool(), false);
    QVERIFY(!session.inChat());
    // Nobody logged in while the question is open.
    QCOMPARE(server.server().registry().userCount(), 0);

    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QVERIFY(session.pendingCertificate().isEmpty());
    QVERIFY(session.inChat());
    QCOMPARE(session.nick(), QStringLiteral("alice"));
    QTRY_COMPARE(session.room(), QStringLiteral("#lobby"));
    QTRY_VERIFY(session.users()->contains(QStringLiteral("alice")));
    const QString pin = QSettings().value(QStringLiteral("pins/127.0.0.1%3A%1").arg(server.port())).toString();
    QCOMPARE(pin, QStringLiteral("sha256:") + test::testIdentity().fingerprint());
    // The login is remembered for the next start.
    QCOMPARE(QSettings().value(QStringLiteral("login/nick")).toString(), QStringLiteral("alice"));
    QCOMPARE(ChatSession().loginPort(), int(server.port()));
}

void tst_ChatSession::caFileVerifiesSilently()
{
    TestServer server;
    QTemporaryFile caFile;
    QVERIFY(caFile.open());
    caFile.write(test::testIdentity().chain.first().toPem());
    caFile.close();
    ChatSession session;
    QCOMPARE(session.setCaFile(caFile.fileName()), QString());
    QSignalSpy certificateSpy(&session, &ChatSession::pendingCertificateChanged);
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("carla"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QCOMPARE(certificateSpy.count(), 0);
    QVERIFY(QSettings().childGroups().contains(QStringLiteral("pins")) == false);
    QVERIFY(!ChatSession().setCaFile(QStringLiteral("/nonexistent/ca.pem")).isEmpty());
}

void tst_ChatSession::pinnedCertificateAccepted()
{
    TestServer server;
    {
        ChatSession first;
        LOGIN(first, server.port(), QStringLiteral("first"));
    }
    ChatSession second;
    QSignalSpy certificateSpy(&second, &ChatSession::pendingCertificateChanged);
    second.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("second"));
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), ChatSession::State::Connected, 10000);
    QCOMPARE(certificateSpy.count(), 0);
}

void tst_ChatSession::changedCertificateRefused()
{
    QString error;
    const server::TlsIdentity other =
        server::generateSelfSignedIdentity({QStringLiteral("127.0.0.1")}, 30, &error);
    QVERIFY2(!other.chain.isEmpty(), qPrintable(error));
    TestServer server;
    QSettings settings;
    client::CertificatePins(settings).pin(QStringLiteral("127.0.0.1"), server.port(), other.chain.first());

    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("mallory"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    const QVariantMap pending = session.pendingCertificate();
    QCOMPARE(pending.value(QStringLiteral("changed")).toBool(), true);
    QCOMPARE(pending.value(QStringLiteral("pinnedFingerprint")).toString(), other.fingerprint());
    QCOMPARE(pending.value(QStringLiteral("fingerprint")).toString(), test::testIdentity().fingerprint());
    QVERIFY(session.errorText().contains(QStringLiteral("changed")));
    QCOMPARE(server.server().registry().userCount(), 0);
    QCOMPARE(session.send(QStringLiteral("hello")), ChatSession::SendResult::Rejected);

    // Only an explicit new decision replaces the pin.
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QCOMPARE(client::CertificatePins(settings).pinnedDigest(QStringLiteral("127.0.0.1"), server.port()),
             client::CertificatePins::digestOf(test::testIdentity().chain.first()));
}

void tst_ChatSession::rejectedCertificateDoesNotConnect()
{
    TestServer server;
    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.rejectCertificate();
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
    QVERIFY(session.errorText().contains(QStringLiteral("did not trust")));
    QVERIFY(session.pendingCertificate().isEmpty());
    QVERIFY(QSettings().allKeys().filter(QStringLiteral("pins")).isEmpty());
}

void tst_ChatSession::nickCollisionGetsSuffix()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    QVERIFY2(QRegularExpression(QStringLiteral("^alice\\d{4}$")).match(session.nick()).hasMatch(),
             qPrintable(session.nick()));
    QVERIFY(findRow(*session.conversations()->server()->messages(), MessageModel::Kind::Notice,
                    QStringLiteral("The nickname alice was taken, so you are %1").arg(session.nick()))
            >= 0);
    QVERIFY(alice->waitFor(test::commandWithParam("JOIN", 0, "#lobby")));
}

void tst_ChatSession::roomAndPrivateMessages()
{
    TestServer server;
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("PRIVMSG #lobby :hello <b>all</b>");
    bob->sendLine("PRIVMSG alice :just for you");
    bob->sendLine("PRIVMSG #lobby :\x01" "ACTION waves\x01");
    const MessageModel &messages = *session.messages();
    QCOMPARE(session.conversations()->current()->name(), QStringLiteral("#lobby"));
    QTRY_VERIFY(findRow(messages, MessageModel::Kind::Action, QStringLiteral("waves")) >= 0);
    const int room = findRow(messages, MessageModel::Kind::Chat, QStringLiteral("hello <b>all</b>"));
    QVERIFY(room >= 0);
    QCOMPARE(messages.at(room).sender, QStringLiteral("bob"));
    QCOMPARE(MessageModel::lineHtml(messages.at(room)), QStringLiteral("hello &lt;b&gt;all&lt;/b&gt;"));
    // A private message opens a conversation of its own, and is never shown in the room.
    QCOMPARE(findRow(messages, MessageModel::Kind::PrivateIn, QStringLiteral("just for you")), -1);
    client::Conversation *withBob = session.conversations()->find(QStringLiteral("bob"));
    QVERIFY(withBob);
    QCOMPARE(withBob->kind(), client::Conversation::Kind::Private);
    const MessageModel &privately = *withBob->messages();
    const int privateRow = findRow(privately, MessageModel::Kind::PrivateIn, QStringLiteral("just for you"));
    QVERIFY(privateRow >= 0);
    QCOMPARE(privately.at(privateRow).peer, QStringLiteral("bob"));

    QCOMPARE(session.send(QStringLiteral("/me nods")), ChatSession::SendResult::Sent);
    const auto action = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "#lobby"));
    QVERIFY(action);
    QCOMPARE(action->param(1), QByteArray("\x01" "ACTION nods\x01"));

    // The seed's /@nick sends privately, and shows that conversation.
    QCOMPARE(session.send(QStringLiteral("/@bob psst")), ChatSession::SendResult::Sent);
    const auto received = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "bob"));
    QVERIFY(received);
    QCOMPARE(received->param(1), QByteArray("psst"));
    QCOMPARE(received->sourceNick(), QByteArray("alice"));
    QCOMPARE(session.conversations()->current(), withBob);
    QCOMPARE(session.messages(), withBob->messages());
    const int sent = findRow(privately, MessageModel::Kind::PrivateOut, QStringLiteral("psst"));
    QVERIFY(sent >= 0);
    QCOMPARE(privately.at(sent).peer, QStringLiteral("bob"));
    QCOMPARE(findRow(messages, MessageModel::Kind::PrivateOut, QStringLiteral("psst")), -1);
    // Plain text typed there goes to bob too.
    QCOMPARE(session.send(QStringLiteral("and this")), ChatSession::SendResult::Sent);
    const auto plain = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "bob"));
    QVERIFY(plain);
    QCOMPARE(plain->param(1), QByteArray("and this"));
    session.conversations()->activate(session.conversations()->find(QStringLiteral("#lobby")));

    // Unread messages count only while the window is inactive.
    session.setWindowActive(false);
    bob->sendLine("PRIVMSG #lobby :are you there?");
    QTRY_COMPARE(session.unreadCount(), 1);
    session.setWindowActive(true);
    QCOMPARE(session.unreadCount(), 0);
}

void tst_ChatSession::conversationsCountUnreadAndMentions()
{
    TestServer server;
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    client::ConversationList &conversations = *session.conversations();
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("JOIN #dev");
    QVERIFY(bob->waitFor(test::commandWithParam("JOIN", 0, "#dev")));
    QCOMPARE(session.send(QStringLiteral("/join #dev")), ChatSession::SendResult::Sent);
    // Joined at the user's asking: shown at once, with its own members.
    QTRY_COMPARE(session.room(), QStringLiteral("#dev"));
    client::Conversation *dev = conversations.current();
    client::Conversation *lobby = conversations.find(QStringLiteral("#lobby"));
    QVERIFY(lobby && lobby != dev);
    QTRY_COMPARE(dev->members()->nicks(), (QStringList{"bob", "alice"}));
    QCOMPARE(lobby->members()->nicks(), (QStringList{"alice", "bob"}));
    QVERIFY(lobby->joined() && dev->joined());

    // Lines in the shown conversation count for nothing; elsewhere they count, and a line that
    // names alice, or a private message, is a mention too.
    bob->sendLine("PRIVMSG #dev :seen at once");
    bob->sendLine("PRIVMSG #lobby :one");
    bob->sendLine("PRIVMSG #lobby :Alice: two");
    bob->sendLine("PRIVMSG #lobby :malice is not a mention, nor is alice2");
    bob->sendLine("PRIVMSG alice :three");
    QTRY_VERIFY(conversations.find(QStringLiteral("bob")) && conversations.find(QStringLiteral("bob"))->unread() == 1);
    client::Conversation *withBob = conversations.find(QStringLiteral("bob"));
    QCOMPARE(withBob->mentions(), 1);
    QTRY_COMPARE(lobby->unread(), 3);
    QCOMPARE(lobby->mentions(), 1);
    QCOMPARE(dev->unread(), 0);
    QCOMPARE(conversations.totalUnread(), 4);
    QCOMPARE(session.unreadCount(), 0); // the window is active

    // Lines the user sends count for nothing.
    QCOMPARE(session.send(QStringLiteral("/@bob mine")), ChatSession::SendResult::Sent);
    QCOMPARE(conversations.current(), withBob);
    QCOMPARE(withBob->unread(), 0); // shown, so read
    QCOMPARE(withBob->mentions(), 0);

    // The next unread conversation, then none.
    QVERIFY(conversations.activateNextUnread());
    QCOMPARE(conversations.current(), lobby);
    QCOMPARE(lobby->unread(), 0);
    QVERIFY(!conversations.activateNextUnread());
    QCOMPARE(conversations.totalUnread(), 0);

    // While the window is inactive, even the shown conversation gathers unread lines.
    session.setWindowActive(false);
    bob->sendLine("PRIVMSG #lobby :are you there?");
    QTRY_COMPARE(lobby->unread(), 1);
    QCOMPARE(session.unreadCount(), 1);
    session.setWindowActive(true);
    QCOMPARE(lobby->unread(), 0);
}

void tst_ChatSession::conversationsFollowPeopleAndChannels()
{
    TestServer server;
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    client::ConversationList &conversations = *session.conversations();
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("PRIVMSG alice :hi");
    QTRY_VERIFY(conversations.find(QStringLiteral("bob")));
    client::Conversation *withBob = conversations.find(QStringLiteral("bob"));

    // The private conversation follows bob's new nick, and tells of his leaving.
    bob->sendLine("NICK robert");
    QTRY_COMPARE(withBob->name(), QStringLiteral("robert"));
    QVERIFY(findRow(*withBob->messages(), MessageModel::Kind::System, QStringLiteral("bob is now known as robert")) >= 0);
    bob->sendLine("PRIVMSG alice :still me");
    QTRY_VERIFY(findRow(*withBob->messages(), MessageModel::Kind::PrivateIn, QStringLiteral("still me")) >= 0);
    QCOMPARE(conversations.count(), 3); // the server's, #lobby, robert
    bob->sendLine("QUIT :gone");
    QTRY_VERIFY(findRow(*withBob->messages(), MessageModel::Kind::System, QStringLiteral("robert quit (gone).")) >= 0);

    // Closing a channel's conversation leaves the channel.
    auto carol = server.registeredClient("carol");
    QVERIFY(carol);
    const int lobbyRow = 1;
    QCOMPARE(conversations.at(lobbyRow)->name(), QStringLiteral("#lobby"));
    QTRY_VERIFY(conversations.at(lobbyRow)->members()->contains(QStringLiteral("carol")));
    session.closeConversation(lobbyRow);
    const auto parted = carol->waitFor(test::commandWithParam("PART", 0, "#lobby"));
    QVERIFY(parted);
    QCOMPARE(parted->sourceNick(), QByteArray("alice"));
    QVERIFY(!conversations.find(QStringLiteral("#lobby")));
    QCOMPARE(session.room(), QString());
    // The server's conversation cannot be closed.
    const int before = conversations.count();
    session.closeConversation(0);
    QCOMPARE(conversations.count(), before);
}

void tst_ChatSession::ownMessageShownOnce()
{
    TestServer server;
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QCOMPARE(session.send(QStringLiteral("only once")), ChatSession::SendResult::Sent);
    const auto received = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "#lobby"));
    QVERIFY(received);
    QCOMPARE(received->param(1), QByteArray("only once"));
    // A round trip through the server proves nothing else is on its way to the session.
    bob->sendLine("PRIVMSG #lobby :marker");
    QTRY_VERIFY(findRow(*session.messages(), MessageModel::Kind::Chat, QStringLiteral("marker")) >= 0);
    QCOMPARE(countRows(*session.messages(), QStringLiteral("only once")), 1);
    const int own = findRow(*session.messages(), MessageModel::Kind::Chat, QStringLiteral("only once"));
    QCOMPARE(session.messages()->at(own).sender, QStringLiteral("alice"));
}

void tst_ChatSession::historyOnJoinShowsWhenItWasSaid()
{
    TestServer server;
    auto bob = server.connectClient();
    bob->sendLine("CAP REQ :server-time echo-message");
    bob->sendLine("CAP END");
    QVERIFY(bob->registerAs("bob"));
    bob->sendLine("PRIVMSG #lobby :said before you came");
    const auto echo = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "#lobby"));
    QVERIFY(echo && echo->tag("time"));
    const QDateTime said = QDateTime::fromString(QString::fromLatin1(*echo->tag("time")), Qt::ISODateWithMs);
    QVERIFY(said.isValid());

    // Joining #lobby at login, the client is shown the room's last lines (the server's history),
    // each at the time it was said, not the time it arrived.
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    const MessageModel &messages = *session.messages();
    QTRY_VERIFY(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("said before you came")) >= 0);
    const MessageModel::Entry &before = messages.at(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("said before you came")));
    QCOMPARE(before.sender, QStringLiteral("bob"));
    QCOMPARE(before.time, said.toUTC());

    bob->sendLine("PRIVMSG #lobby :and now");
    const auto live = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "#lobby"));
    QVERIFY(live && live->tag("time"));
    QTRY_VERIFY(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("and now")) >= 0);
    QCOMPARE(messages.at(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("and now"))).time,
             QDateTime::fromString(QString::fromLatin1(*live->tag("time")), Qt::ISODateWithMs).toUTC());
    QCOMPARE(countRows(messages, QStringLiteral("said before you came")), 1);
}

void tst_ChatSession::reconnectShowsWhatWasMissedOnce()
{
    TestServer server;
    ChatSession session;
    session.setReconnectDelay(50);
    LOGIN(session, server.port(), QStringLiteral("alice"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("PRIVMSG #lobby :before the drop");
    QCOMPARE(session.send(QStringLiteral("my own line")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor([](const Message &m) { return m.command == "PRIVMSG" && m.param(1) == "my own line"; }));
    const MessageModel &messages = *session.messages();
    QTRY_VERIFY(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("before the drop")) >= 0);

    // The connection drops; bob speaks while alice is away; she comes back.
    server::ClientSession *alice = server.server().registry().findClient("alice");
    QVERIFY(alice);
    alice->abortConnection();
    QVERIFY(bob->waitForCommand("QUIT")); // the server has seen alice go
    bob->sendLine("PRIVMSG #lobby :while you were away");
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Reconnecting, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 20000);

    // The room's playback shows what was missed, and nothing already on screen a second time.
    QTRY_VERIFY(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("while you were away")) >= 0);
    bob->sendLine("PRIVMSG #lobby :marker");
    QTRY_VERIFY(findRow(messages, MessageModel::Kind::Chat, QStringLiteral("marker")) >= 0);
    QCOMPARE(countRows(messages, QStringLiteral("before the drop")), 1);
    QCOMPARE(countRows(messages, QStringLiteral("my own line")), 1);
    QCOMPARE(countRows(messages, QStringLiteral("while you were away")), 1);
}

void tst_ChatSession::userListFollowsServer()
{
    TestServer server;
    auto carol = server.registeredClient("carol");
    QVERIFY(carol);
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    client::UserModel &users = *session.users();
    // carol founded #lobby: as its operator she is listed first.
    QCOMPARE(users.nicks(), (QStringList{"carol", "alice"}));

    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QTRY_VERIFY(users.contains(QStringLiteral("bob")));
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::System, QStringLiteral("bob joined")) >= 0);
    bob->sendLine("NICK robert");
    QTRY_VERIFY(users.contains(QStringLiteral("robert")));
    QVERIFY(!users.contains(QStringLiteral("bob")));
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::System, QStringLiteral("bob is now known as robert")) >= 0);
    bob->sendLine("PART #lobby :bye");
    QTRY_VERIFY(!users.contains(QStringLiteral("robert")));
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::System, QStringLiteral("robert left (bye)")) >= 0);
    carol->sendLine("QUIT :gone");
    QTRY_VERIFY(!users.contains(QStringLiteral("carol")));
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::System, QStringLiteral("carol quit (gone).")) >= 0);
    QCOMPARE(users.count(), 1);

    QCOMPARE(session.send(QStringLiteral("/nick alicia")), ChatSession::SendResult::Sent);
    QTRY_COMPARE(session.nick(), QStringLiteral("alicia"));
    QCOMPARE(users.nicks(), QStringList{"alicia"});
}

void tst_ChatSession::whoListsOnlineUsers()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    QCOMPARE(session.send(QStringLiteral("/u")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(findRow(*session.messages(), MessageModel::Kind::System,
                        QStringLiteral("Online in #lobby (2): @bob, alice"))
                >= 0);
    QCOMPARE(session.send(QStringLiteral("/bogus")), ChatSession::SendResult::Rejected);
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::Error, QStringLiteral("Unknown command /bogus")) >= 0);
    QCOMPARE(session.send(QStringLiteral("/@nobody hi")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(findRow(*session.messages(), MessageModel::Kind::Error, QStringLiteral("nobody: No such nick")) >= 0);
}

void tst_ChatSession::longTextIsSplit()
{
    TestServer server;
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QString text;
    for (int i = 0; i < 300; ++i)
        text += QStringLiteral("w%1 ").arg(i, 3, 10, QLatin1Char('0'));
    text = text.trimmed();
    QVERIFY(text.toUtf8().size() > 1000);
    QCOMPARE(session.send(text), ChatSession::SendResult::Sent);
    QStringList pieces;
    while (pieces.join(QLatin1Char(' ')).size() < text.size()) {
        const auto piece = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "#lobby"));
        QVERIFY(piece);
        pieces << QString::fromUtf8(piece->param(1));
    }
    QVERIFY(pieces.size() >= 3);
    QCOMPARE(pieces.join(QLatin1Char(' ')), text);
}

void tst_ChatSession::pasteNeedsConfirmation()
{
    TestServer server;
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    const QString paste = QStringLiteral("one\ntwo\n\nthree\n/u\nfive");
    QCOMPARE(session.send(paste), ChatSession::SendResult::NeedsConfirmation);
    QCOMPARE(session.send(paste, true), ChatSession::SendResult::Sent);
    for (const char *line : {"one", "two", "three", "/u", "five"}) {
        const auto received = bob->waitFor(test::commandWithParam("PRIVMSG", 0, "#lobby"));
        QVERIFY(received);
        QCOMPARE(received->param(1), QByteArray(line));
    }
    QCOMPARE(session.send(QStringLiteral("a\nb")), ChatSession::SendResult::Sent);
}

void tst_ChatSession::reconnectsAfterDrop()
{
    // The server comes back on the port it had, so that port must not be handed to anyone else
    // meanwhile: one outside the range the kernel picks from.
    server::ServerConfig config = test::testServerConfig();
    config.port = test::unassignedPort();
    QVERIFY(config.port != 0);
    auto server = std::make_unique<TestServer>(config);
    QVERIFY(server->isListening());
    const quint16 port = server->port();
    ChatSession session;
    session.setReconnectDelay(50);
    LOGIN(session, port, QStringLiteral("alice"));
    QCOMPARE(session.send(QStringLiteral("/join #second")), ChatSession::SendResult::Sent);
    QTRY_COMPARE(session.room(), QStringLiteral("#second"));

    QSignalSpy finished(&server->server(), &server::Server::shutdownFinished);
    server->server().shutdown();
    QVERIFY(finished.wait(10000));
    QTRY_COMPARE(session.state(), ChatSession::State::Reconnecting);
    QVERIFY(session.inChat());
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::Error, QStringLiteral("Connection lost")) >= 0);
    server.reset();

    server = std::make_unique<TestServer>(config);
    QVERIFY(server->isListening());
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 20000);
    QVERIFY(findRow(*session.messages(), MessageModel::Kind::System, QStringLiteral("Reconnected")) >= 0);
    // Back in the room it was in, with the people there.
    QTRY_COMPARE(session.room(), QStringLiteral("#second"));
    QTRY_VERIFY(session.users()->contains(QStringLiteral("alice")));
    auto bob = server->registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("JOIN #second");
    QTRY_VERIFY(session.users()->contains(QStringLiteral("bob")));
}

void tst_ChatSession::leaveSendsQuit()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("alice"));
    QSignalSpy left(&session, &ChatSession::leftChat);
    QSignalSpy exit(&session, &ChatSession::exitRequested);
    QCOMPARE(session.send(QStringLiteral(".exit")), ChatSession::SendResult::Sent);
    const auto quit = bob->waitForCommand("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("alice"));
    QTRY_COMPARE(left.count(), 1);
    QCOMPARE(exit.count(), 1);
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
    QVERIFY(!session.inChat());
    QTRY_COMPARE(server.server().registry().userCount(), 1);
}

void tst_ChatSession::connectionErrors()
{
    const test::RefusingPort closed;
    QVERIFY(closed.port() != 0);
    const quint16 closedPort = closed.port();
    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), closedPort, QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Disconnected, 10000);
    QVERIFY2(session.errorText().startsWith(QStringLiteral("Connection refused")), qPrintable(session.errorText()));
    QVERIFY(!session.inChat());

    // Without a reachable DNS server the resolver gives up only after its own timeouts.
    session.connectToServer(QStringLiteral("no-such-host.invalid"), 6697, QStringLiteral("alice"));
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == ChatSession::State::Disconnected, 60'000);
    QVERIFY2(session.errorText().startsWith(QStringLiteral("Host not found")), qPrintable(session.errorText()));

    // An invalid nickname never reaches the network.
    session.connectToServer(QStringLiteral("127.0.0.1"), closedPort, QStringLiteral("1invalid"));
    QVERIFY(session.errorText().startsWith(QStringLiteral("The nickname")));
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
}

void tst_ChatSession::silentServerTimesOut()
{
    // Accepts TCP connections and never says a word: the TLS handshake cannot finish.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ChatSession session;
    session.setConnectTimeout(300);
    session.connectToServer(QStringLiteral("127.0.0.1"), silent.serverPort(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Disconnected, 10000);
    QVERIFY2(session.errorText().startsWith(QStringLiteral("Timed out")), qPrintable(session.errorText()));
}

void tst_ChatSession::notTlsIsATlsFailure()
{
    // A plain-text IRC server on the port: it answers the TLS hello with an IRC line.
    QTcpServer plain;
    QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
    connect(&plain, &QTcpServer::newConnection, this, [&plain] {
        QTcpSocket *socket = plain.nextPendingConnection();
        socket->write(":irc.plain NOTICE * :*** Looking up your hostname...\r\n");
    });
    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), plain.serverPort(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Disconnected, 10000);
    QVERIFY2(session.errorText().startsWith(QStringLiteral("TLS failure: ")), qPrintable(session.errorText()));
    QVERIFY(session.errorText().size() > 20);
}

void tst_ChatSession::loginValidation_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("port");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QString>("problem");
    QTest::newRow("fine") << "chat.example.org" << "6697" << "alice" << "";
    QTest::newRow("no host") << " " << "6697" << "alice" << "Enter the server";
    QTest::newRow("bad host") << "a b" << "6697" << "alice" << "is not a host name";
    QTest::newRow("port zero") << "h" << "0" << "alice" << "The port must be";
    QTest::newRow("port text") << "h" << "x" << "alice" << "The port must be";
    QTest::newRow("no nick") << "h" << "6697" << "" << "Choose a nickname";
    QTest::newRow("bad nick") << "h" << "6697" << "9lives" << "is not valid";
    QTest::newRow("long nick") << "h" << "6697" << QString(31, QLatin1Char('a')) << "is not valid";
}

void tst_ChatSession::loginValidation()
{
    QFETCH(QString, host);
    QFETCH(QString, port);
    QFETCH(QString, nick);
    QFETCH(QString, problem);
    const QString result = ChatSession().validateLogin(host, port, nick);
    if (problem.isEmpty())
        QCOMPARE(result, QString());
    else
        QVERIFY2(result.contains(problem), qPrintable(result));
}


// Accounts: SASL PLAIN and REGISTER against the server with accounts enabled.

void tst_ChatSession::failedLogin(ChatSession &session, quint16 port, const QString &nick, const QString &password,
                                  bool createAccount)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick, password, createAccount);
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == ChatSession::State::AwaitingTrust
                                 || session.state() == ChatSession::State::Disconnected,
                             10000);
    if (session.state() == ChatSession::State::AwaitingTrust)
        session.trustCertificate();
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == ChatSession::State::Disconnected && !session.errorText().isEmpty(),
                             10000);
}

bool tst_ChatSession::settingsMention(const QString &text)
{
    QSettings settings;
    const QStringList keys = settings.allKeys();
    return std::any_of(keys.cbegin(), keys.cend(),
                       [&](const QString &key) { return settings.value(key).toString().contains(text); });
}

void tst_ChatSession::accountLogin()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    QSignalSpy accountSpy(&session, &ChatSession::accountChanged);
    LOGIN(session, server.port(), QStringLiteral("alice"), QStringLiteral("correct-horse"));
    QCOMPARE(session.account(), QStringLiteral("alice"));
    QVERIFY(accountSpy.count() >= 1);
    QVERIFY2(session.statusText().contains(QStringLiteral("logged in as alice")), qPrintable(session.statusText()));
    QVERIFY(findRow(*session.conversations()->server()->messages(), MessageModel::Kind::System,
                    QStringLiteral("Logged in as alice"))
            >= 0);
    server::ClientSession *user = server.server().registry().findUser("alice");
    QVERIFY(user);
    QCOMPARE(user->account(), QByteArray("alice"));
    // The password lives in memory only.
    QVERIFY(!settingsMention(QStringLiteral("correct-horse")));
    QVERIFY(settingsMention(QStringLiteral("alice")));

    // A guest is a guest.
    ChatSession guest;
    LOGIN(guest, server.port(), QStringLiteral("bob"));
    QVERIFY(guest.account().isEmpty());
    QVERIFY2(guest.statusText().contains(QStringLiteral("(guest)")), qPrintable(guest.statusText()));
}

void tst_ChatSession::wrongPasswordRefused()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    failedLogin(session, server.port(), QStringLiteral("alice"), QStringLiteral("wrong-horse"));
    if (QTest::currentTestFailed())
        return;
    const QString error = session.errorText();
    QVERIFY2(error.contains(QStringLiteral("wrong account name or password")), qPrintable(error));
    QVERIFY(!error.contains(QStringLiteral("wrong-horse")));
    QVERIFY(!session.inChat());
    QVERIFY(session.account().isEmpty());
    // Not left behind as a guest.
    QCOMPARE(server.server().registry().userCount(), 0);
}

void tst_ChatSession::passwordOnServerWithoutAccounts()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.accountRegistration = false;
    TestServer server(config);
    ChatSession session;
    failedLogin(session, server.port(), QStringLiteral("newbie"), QStringLiteral("correct-horse"), true);
    if (QTest::currentTestFailed())
        return;
    const QString error = session.errorText();
    QVERIFY2(error.contains(QStringLiteral("does not let you create accounts")), qPrintable(error));
    QCOMPARE(server.server().registry().userCount(), 0);
}

void tst_ChatSession::createAccount()
{
    TestServer server(test::accountsTestConfig());
    ChatSession session;
    LOGIN(session, server.port(), QStringLiteral("carol"), QStringLiteral("carol's password"), true);
    QCOMPARE(session.account(), QStringLiteral("carol"));
    session.leave();
    QTRY_COMPARE(session.state(), ChatSession::State::Disconnected);
    QTRY_COMPARE(server.server().registry().userCount(), 0);

    // The account exists now: the same password logs in.
    ChatSession again;
    LOGIN(again, server.port(), QStringLiteral("carol"), QStringLiteral("carol's password"));
    QCOMPARE(again.account(), QStringLiteral("carol"));
}

void tst_ChatSession::createExistingAccountRefused()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    failedLogin(session, server.port(), QStringLiteral("alice"), QStringLiteral("other-horse"), true);
    if (QTest::currentTestFailed())
        return;
    const QString error = session.errorText();
    QVERIFY2(error.contains(QStringLiteral("already exists")), qPrintable(error));
    QCOMPARE(server.server().registry().userCount(), 0);

    // Too short a password is caught before connecting.
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("dave"), QStringLiteral("short"),
                            true);
    QVERIFY2(session.errorText().contains(QStringLiteral("at least 8")), qPrintable(session.errorText()));
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
}

void tst_ChatSession::reconnectLogsInAgain()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    session.setReconnectDelay(50);
    LOGIN(session, server.port(), QStringLiteral("alice"), QStringLiteral("correct-horse"));
    QSignalSpy accountSpy(&session, &ChatSession::accountChanged);
    server::ClientSession *user = server.server().registry().findUser("alice");
    QVERIFY(user);
    user->abortConnection();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Reconnecting, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 20000);
    QCOMPARE(session.account(), QStringLiteral("alice"));
    QVERIFY(accountSpy.count() >= 2); // cleared when the connection dropped, set by the new login
    QTRY_VERIFY(server.server().registry().findUser("alice"));
    QCOMPARE(server.server().registry().findUser("alice")->account(), QByteArray("alice"));
}

void tst_ChatSession::guestRefusedWhereAccountRequired()
{
    server::ServerConfig config = test::accountsTestConfig();
    config.requireAccount = true;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession guest;
    failedLogin(guest, server.port(), QStringLiteral("bob"), {});
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(guest.errorText().contains(QStringLiteral("only users with an account")), qPrintable(guest.errorText()));
    QVERIFY(!guest.inChat());

    ChatSession member;
    LOGIN(member, server.port(), QStringLiteral("alice"), QStringLiteral("correct-horse"));
    QCOMPARE(member.account(), QStringLiteral("alice"));
}

QTEST_GUILESS_MAIN(tst_ChatSession)
#include "tst_chatsession.moc"
