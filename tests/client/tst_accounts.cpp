// Accounts from the client against the real tktalk server in-process, over real TLS on loopback:
// logging in to an account named otherwise than the nick, the server password (PASS), and
// changing the account's password.

#include "chatsession.h"
#include "accounts/accountstore.h"
#include "clientsession.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::MessageModel;
using test::TestServer;

namespace {

const QString kServerPassword = QStringLiteral("s3cret pass");

} // namespace

class tst_Accounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void accountOtherThanNick();
    void accountValidation_data();
    void accountValidation();
    void wrongAccountPasswordNamesTheAccount();
    void serverPasswordAccepted();
    void serverPasswordRefused_data();
    void serverPasswordRefused();
    void serverPasswordWithAccount();
    void passwordMismatchAfterLoginKeepsTheChat();
    void changePassword();
    void changePasswordTooShort();
    void changePasswordRefusedHere_data();
    void changePasswordRefusedHere();

private:
    /// Connects and trusts the test certificate when asked; waits for Connected or a failure.
    static void start(ChatSession &session, quint16 port, const QString &nick, const QString &password = {},
                      const QString &account = {}, const QString &serverPassword = {});
    /// Whether any conversation's transcript, or the settings, hold @p text.
    static bool anywhere(ChatSession &session, const QString &text);
    /// A server that requires kServerPassword (and has accounts).
    server::ServerConfig passwordConfig();

    test::PrivateUserDirs m_userDirs;
    QTemporaryDir m_dir;
};

void tst_Accounts::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_accounts"));
    QVERIFY(m_userDirs.isValid());
    QVERIFY(m_dir.isValid());
}

void tst_Accounts::init()
{
    QSettings().clear();
}

void tst_Accounts::start(ChatSession &session, quint16 port, const QString &nick, const QString &password,
                         const QString &account, const QString &serverPassword)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick, password, false, account, serverPassword);
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == ChatSession::State::AwaitingTrust
                                 || session.state() == ChatSession::State::Connected
                                 || session.state() == ChatSession::State::Disconnected,
                             10000);
    if (session.state() == ChatSession::State::AwaitingTrust)
        session.trustCertificate();
    QTRY_VERIFY_WITH_TIMEOUT((session.state() == ChatSession::State::Connected && !session.nick().isEmpty())
                                 || (session.state() == ChatSession::State::Disconnected
                                     && !session.errorText().isEmpty()),
                             10000);
}

bool tst_Accounts::anywhere(ChatSession &session, const QString &text)
{
    const client::ConversationList &list = *session.conversations();
    for (int row = 0; row < list.count(); ++row) {
        const MessageModel &messages = *list.at(row)->messages();
        for (int line = 0; line < messages.rowCount(); ++line) {
            if (messages.at(line).text.contains(text))
                return true;
        }
    }
    QSettings settings;
    const QStringList keys = settings.allKeys();
    return std::any_of(keys.cbegin(), keys.cend(),
                       [&](const QString &key) { return settings.value(key).toString().contains(text); });
}

server::ServerConfig tst_Accounts::passwordConfig()
{
    const QString path = m_dir.filePath(QStringLiteral("password"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(kServerPassword.toUtf8() + "\n");
    file.close();
    server::ServerConfig config = test::accountsTestConfig();
    config.passwordFile = path;
    return config;
}

void tst_Accounts::accountOtherThanNick()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    start(session, server.port(), QStringLiteral("ali_laptop"), QStringLiteral("correct-horse"),
          QStringLiteral("alice"));
    QCOMPARE(session.state(), ChatSession::State::Connected);
    QCOMPARE(session.account(), QStringLiteral("alice"));
    // SASL authenticated as alice while NICK was ali_laptop; tktalk then gives a connection that logs in
    // while registering the account's nickname (docs/PROTOCOL.md), and the client says so.
    QCOMPARE(session.nick(), QStringLiteral("alice"));
    QTRY_VERIFY(anywhere(session, QStringLiteral("instead of ali_laptop. To use ali_laptop, type /nick ali_laptop")));
    // The nickname asked for, while the account stays alice.
    QCOMPARE(session.send(QStringLiteral("/nick ali_laptop")), ChatSession::SendResult::Sent);
    QTRY_COMPARE_WITH_TIMEOUT(session.nick(), QStringLiteral("ali_laptop"), 10000);
    QCOMPARE(session.account(), QStringLiteral("alice"));
    QVERIFY2(session.statusText().contains(QStringLiteral("as ali_laptop, logged in as alice")),
             qPrintable(session.statusText()));
    server::ClientSession *user = server.server().registry().findUser("ali_laptop");
    QVERIFY(user);
    QCOMPARE(user->account(), QByteArray("alice"));
    QVERIFY(!anywhere(session, QStringLiteral("correct-horse")));
}

void tst_Accounts::accountValidation_data()
{
    QTest::addColumn<QString>("account");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("serverPassword");
    QTest::addColumn<QString>("problem");
    QTest::newRow("none") << "" << "" << "" << "";
    QTest::newRow("account") << "alice" << "pw" << "" << "";
    QTest::newRow("blanks around") << "  alice " << "pw" << "" << "";
    QTest::newRow("space") << "al ice" << "pw" << "" << "is not valid";
    QTest::newRow("digit first") << "1alice" << "pw" << "" << "is not valid";
    QTest::newRow("too long") << QString(31, QLatin1Char('a')) << "pw" << "" << "is not valid";
    QTest::newRow("no password") << "alice" << "" << "" << "enter its password";
    QTest::newRow("server password") << "" << "" << "two words" << "";
    QTest::newRow("server password line break") << "" << "" << "a\nb" << "server password cannot contain";
}

void tst_Accounts::accountValidation()
{
    QFETCH(QString, account);
    QFETCH(QString, password);
    QFETCH(QString, serverPassword);
    QFETCH(QString, problem);
    ChatSession session;
    const QString result = session.validateLogin(QStringLiteral("h"), QStringLiteral("6697"), QStringLiteral("bob"),
                                                 password, false, account, serverPassword);
    if (problem.isEmpty()) {
        QCOMPARE(result, QString());
        return;
    }
    QVERIFY2(result.contains(problem), qPrintable(result));
    // connectToServer() refuses it too, without connecting.
    session.connectToServer(QStringLiteral("127.0.0.1"), 9, QStringLiteral("bob"), password, false, account,
                            serverPassword);
    QCOMPARE(session.errorText(), result);
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
}

void tst_Accounts::wrongAccountPasswordNamesTheAccount()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    start(session, server.port(), QStringLiteral("ali_laptop"), QStringLiteral("wrong-horse"),
          QStringLiteral("alice"));
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
    const QString error = session.errorText();
    QVERIFY2(error.contains(QStringLiteral("Could not log in as alice")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("wrong account name or password")), qPrintable(error));
    QVERIFY(!session.inChat());
    QCOMPARE(server.server().registry().userCount(), 0);
    QVERIFY(!anywhere(session, QStringLiteral("wrong-horse")));
}

void tst_Accounts::serverPasswordAccepted()
{
    TestServer server(passwordConfig());
    QVERIFY(server.isListening());
    ChatSession session;
    start(session, server.port(), QStringLiteral("bob"), {}, {}, kServerPassword);
    QVERIFY2(session.state() == ChatSession::State::Connected, qPrintable(session.errorText()));
    QCOMPARE(session.nick(), QStringLiteral("bob"));
    QVERIFY(session.account().isEmpty());
    QVERIFY(server.server().registry().findUser("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(session.room(), QStringLiteral("#lobby"), 10000);
    QVERIFY(!anywhere(session, kServerPassword));
}

void tst_Accounts::serverPasswordRefused_data()
{
    QTest::addColumn<QString>("serverPassword");
    QTest::addColumn<QString>("problem");
    QTest::newRow("missing") << "" << "needs a server password";
    QTest::newRow("wrong") << "s3cret" << "server password is wrong";
}

void tst_Accounts::serverPasswordRefused()
{
    QFETCH(QString, serverPassword);
    QFETCH(QString, problem);
    TestServer server(passwordConfig());
    QVERIFY(server.isListening());
    ChatSession session;
    session.setReconnectDelay(50);
    start(session, server.port(), QStringLiteral("bob"), {}, {}, serverPassword);
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
    QVERIFY2(session.errorText().contains(problem), qPrintable(session.errorText()));
    QVERIFY(!session.inChat());
    QCOMPARE(server.server().registry().userCount(), 0);
    if (!serverPassword.isEmpty())
        QVERIFY(!anywhere(session, serverPassword));
}

void tst_Accounts::serverPasswordWithAccount()
{
    TestServer server(passwordConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    // The right server password and the account's: logged in.
    ChatSession member;
    start(member, server.port(), QStringLiteral("ali_laptop"), QStringLiteral("correct-horse"),
          QStringLiteral("alice"), kServerPassword);
    QVERIFY2(member.state() == ChatSession::State::Connected, qPrintable(member.errorText()));
    QCOMPARE(member.account(), QStringLiteral("alice"));
    QVERIFY(!anywhere(member, kServerPassword));
    QVERIFY(!anywhere(member, QStringLiteral("correct-horse")));

    // A wrong server password is named as such, not as a wrong account password.
    ChatSession refused;
    start(refused, server.port(), QStringLiteral("alice"), QStringLiteral("correct-horse"), {},
          QStringLiteral("not it"));
    QCOMPARE(refused.state(), ChatSession::State::Disconnected);
    QVERIFY2(refused.errorText().contains(QStringLiteral("server password is wrong")), qPrintable(refused.errorText()));
}

void tst_Accounts::passwordMismatchAfterLoginKeepsTheChat()
{
    TestServer server(passwordConfig());
    QVERIFY(server.addAccount("root", "the-oper-password"));
    QVERIFY(server.server().accountStore().setOperator("root", true));
    ChatSession session;
    start(session, server.port(), QStringLiteral("bob"), {}, {}, kServerPassword);
    QVERIFY2(session.state() == ChatSession::State::Connected, qPrintable(session.errorText()));
    // 464 after login answers OPER: a line in the chat, not the end of it.
    auto *connection = session.findChild<client::IrcConnection *>();
    QVERIFY(connection);
    connection->send(protocol::Message("OPER", {"root", "not-the-oper-password"}));
    QTRY_VERIFY_WITH_TIMEOUT(anywhere(session, QStringLiteral("Password incorrect")), 10000);
    QCOMPARE(session.state(), ChatSession::State::Connected);
    QVERIFY(session.errorText().isEmpty());
}

void tst_Accounts::changePassword()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    session.setReconnectDelay(50);
    start(session, server.port(), QStringLiteral("ali_laptop"), QStringLiteral("correct-horse"),
          QStringLiteral("alice"));
    QVERIFY2(session.state() == ChatSession::State::Connected, qPrintable(session.errorText()));
    client::PasswordChange &change = *session.passwordChange();
    QSignalSpy finished(&change, &client::PasswordChange::finished);
    const QString newPassword = QStringLiteral("battery-staple");
    QCOMPARE(change.change(newPassword, newPassword), QString());
    QVERIFY(change.busy());
    // One change at a time.
    QVERIFY(!change.change(newPassword, newPassword).isEmpty());
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(!change.busy());
    QVERIFY(change.succeeded());
    QVERIFY2(change.resultText().contains(QStringLiteral("password is changed")), qPrintable(change.resultText()));

    // The new password logs in; the old one no longer does.
    ChatSession fresh;
    start(fresh, server.port(), QStringLiteral("alice"), newPassword);
    QVERIFY2(fresh.state() == ChatSession::State::Connected, qPrintable(fresh.errorText()));
    QCOMPARE(fresh.account(), QStringLiteral("alice"));
    fresh.leave();
    QTRY_COMPARE_WITH_TIMEOUT(fresh.state(), ChatSession::State::Disconnected, 10000);
    ChatSession old;
    start(old, server.port(), QStringLiteral("alice_old"), QStringLiteral("correct-horse"), QStringLiteral("alice"));
    QCOMPARE(old.state(), ChatSession::State::Disconnected);
    QVERIFY2(old.errorText().contains(QStringLiteral("wrong account name or password")), qPrintable(old.errorText()));

    // A reconnect logs in with the new password, which was kept in memory only.
    server::ClientSession *user = server.server().registry().findUser(session.nick().toUtf8());
    QVERIFY(user);
    user->abortConnection();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Reconnecting, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 20000);
    QCOMPARE(session.account(), QStringLiteral("alice"));
    QVERIFY(!anywhere(session, newPassword));
    QVERIFY(!anywhere(session, QStringLiteral("correct-horse")));
}

void tst_Accounts::changePasswordTooShort()
{
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    start(session, server.port(), QStringLiteral("alice"), QStringLiteral("correct-horse"));
    QVERIFY2(session.state() == ChatSession::State::Connected, qPrintable(session.errorText()));
    client::PasswordChange &change = *session.passwordChange();
    QSignalSpy finished(&change, &client::PasswordChange::finished);
    // The server's rule, in its words: the client does not guess the server's minimum.
    QCOMPARE(change.change(QStringLiteral("short"), QStringLiteral("short")), QString());
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!change.succeeded());
    QVERIFY2(change.resultText().contains(QStringLiteral("not changed: Passwords need at least 8 characters")),
             qPrintable(change.resultText()));
    // The old password still logs in, and the session goes on.
    ChatSession again;
    start(again, server.port(), QStringLiteral("alice2"), QStringLiteral("correct-horse"), QStringLiteral("alice"));
    QVERIFY2(again.state() == ChatSession::State::Connected, qPrintable(again.errorText()));
    QCOMPARE(session.state(), ChatSession::State::Connected);
    change.clearResult();
    QVERIFY(change.resultText().isEmpty());
}

void tst_Accounts::changePasswordRefusedHere_data()
{
    QTest::addColumn<bool>("guest");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("repeated");
    QTest::addColumn<QString>("problem");
    QTest::newRow("guest") << true << "battery-staple" << "battery-staple" << "You are a guest";
    QTest::newRow("empty") << false << "" << "" << "Enter the new password";
    QTest::newRow("space") << false << "battery staple" << "battery staple" << "cannot contain spaces";
    QTest::newRow("line break") << false << "battery\nstaple" << "battery\nstaple" << "cannot contain spaces";
    QTest::newRow("differ") << false << "battery-staple" << "battery-stapel" << "differ";
}

void tst_Accounts::changePasswordRefusedHere()
{
    QFETCH(bool, guest);
    QFETCH(QString, password);
    QFETCH(QString, repeated);
    QFETCH(QString, problem);
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    // Not connected: nothing to change yet.
    QVERIFY(session.passwordChange()->change(QStringLiteral("battery-staple"), QStringLiteral("battery-staple"))
                .contains(QStringLiteral("Not connected")));
    if (guest)
        start(session, server.port(), QStringLiteral("bob"));
    else
        start(session, server.port(), QStringLiteral("alice"), QStringLiteral("correct-horse"));
    QVERIFY2(session.state() == ChatSession::State::Connected, qPrintable(session.errorText()));
    client::PasswordChange &change = *session.passwordChange();
    const QString result = change.change(password, repeated);
    QVERIFY2(result.contains(problem), qPrintable(result));
    QVERIFY(!change.busy());
    QVERIFY(change.resultText().isEmpty());
    // Nothing went to NickServ: the connection is still fine, and the old password still holds.
    ChatSession again;
    start(again, server.port(), QStringLiteral("alice2"), QStringLiteral("correct-horse"), QStringLiteral("alice"));
    QVERIFY2(again.state() == ChatSession::State::Connected, qPrintable(again.errorText()));
}

QTEST_GUILESS_MAIN(tst_Accounts)
#include "tst_accounts.moc"
