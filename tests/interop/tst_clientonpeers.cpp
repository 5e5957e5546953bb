// tktalk's client core (ChatSession and its models, headless) on servers that are not tktalk:
// InspIRCd and ngircd with TLS, trusting the test certificate as a CA. It must rely on no tktalk
// quirk: these servers do not auto-join anyone, allow more nick characters, and name things their way.

#include "chatsession.h"
#include "peerserver.h"
#include "privateuserdirs.h"
#include "testcertificatefiles.h"
#include "testserver.h"

#include <QSettings>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::MessageModel;
using test::TestIrcClient;

namespace {

constexpr int kTimeoutMs = 20'000;

bool shows(const ChatSession &session, MessageModel::Kind kind, const QString &sender, const QString &text)
{
    const MessageModel &messages = *const_cast<ChatSession &>(session).messages();
    for (int row = 0; row < messages.rowCount(); ++row) {
        const MessageModel::Entry &entry = messages.at(row);
        if (entry.kind == kind && entry.sender == sender && entry.text.contains(text))
            return true;
    }
    return false;
}

QString transcript(ChatSession &session)
{
    QStringList lines;
    for (int row = 0; row < session.messages()->rowCount(); ++row) {
        const MessageModel::Entry &entry = session.messages()->at(row);
        lines << QStringLiteral("%1 <%2> %3").arg(int(entry.kind)).arg(entry.sender, entry.text);
    }
    return lines.join('\n');
}

TestIrcClient::Predicate from(const QByteArray &nick, const QByteArray &command, int index, const QByteArray &value)
{
    return [=](const protocol::Message &m) {
        return m.command == command && m.source.startsWith(nick + '!') && m.param(index) == value;
    };
}

} // namespace

class tst_ClientOnPeers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void chats_data();
    void chats();

private:
    test::PrivateUserDirs m_userDirs;
};

void tst_ClientOnPeers::initTestCase()
{
    // Certificate pins and settings go to a location of this process, not the user's.
    QVERIFY(m_userDirs.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_clientonpeers"));
    QSettings().clear();
}

void tst_ClientOnPeers::chats_data()
{
    QTest::addColumn<QString>("daemon");
    QTest::newRow("InspIRCd") << QStringLiteral("inspircd");
    QTest::newRow("ngircd") << QStringLiteral("ngircd");
}

void tst_ClientOnPeers::chats()
{
    QFETCH(QString, daemon);
    test::TestCertificateFiles files;
    QVERIFY(files.isValid());
    test::PeerServer peer(daemon);
    QVERIFY(peer.start(files.certificatePath(), files.keyPath()));

    // Our client connects over TLS, trusting the certificate as a CA, and joins the room itself.
    ChatSession session;
    QVERIFY(session.setCaFile(files.certificatePath()).isEmpty());
    session.connectToServer(QStringLiteral("127.0.0.1"), peer.port(), QStringLiteral("carol"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(session.room(), QStringLiteral("#lobby"), kTimeoutMs);
    const QByteArray me = session.nick().toUtf8();

    // Someone else, with a plain IRC client, joins; our client lists them.
    TestIrcClient alice;
    alice.connectTo(peer.port(), test::testIdentity().chain.first());
    QVERIFY(alice.waitForEncrypted());
    QVERIFY(alice.registerAs("alice", false, kTimeoutMs));
    alice.sendLine("JOIN #lobby");
    QVERIFY(alice.waitForCommand("366", kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(session.users()->nicks().contains(QStringLiteral("alice")), kTimeoutMs);

    // Room messages both ways.
    QCOMPARE(session.send(QStringLiteral("hello from the tktalk client")), ChatSession::SendResult::Sent);
    QVERIFY(alice.waitFor(from(me, "PRIVMSG", 1, "hello from the tktalk client"), kTimeoutMs));
    alice.sendLine("PRIVMSG #lobby :hello, tktalk client");
    QTRY_VERIFY2_WITH_TIMEOUT(shows(session, MessageModel::Kind::Chat, "alice", "hello, tktalk client"),
                              qPrintable(transcript(session)), kTimeoutMs);

    // Private messages both ways ("/@nick text" in the client).
    QCOMPARE(session.send(QStringLiteral("/@alice just between us")), ChatSession::SendResult::Sent);
    QVERIFY(alice.waitFor(from(me, "PRIVMSG", 1, "just between us"), kTimeoutMs));
    alice.sendLine("PRIVMSG " + me + " :a secret back");
    QTRY_VERIFY2_WITH_TIMEOUT(shows(session, MessageModel::Kind::PrivateIn, "alice", "a secret back"),
                              qPrintable(transcript(session)), kTimeoutMs);

    // They are a conversation of their own; back in the room, "/u" lists who is online there, and
    // a nick change elsewhere shows in the list.
    QCOMPARE(session.conversations()->current()->name(), QStringLiteral("alice"));
    session.conversations()->activate(session.conversations()->find(QStringLiteral("#lobby")));
    QCOMPARE(session.send(QStringLiteral("/u")), ChatSession::SendResult::Sent);
    QTRY_VERIFY2_WITH_TIMEOUT(shows(session, MessageModel::Kind::System, QString(), QStringLiteral("alice")),
                              qPrintable(transcript(session)), kTimeoutMs);
    alice.sendLine("NICK alice2");
    QTRY_VERIFY_WITH_TIMEOUT(session.users()->nicks().contains(QStringLiteral("alice2")), kTimeoutMs);
    QVERIFY(!session.users()->nicks().contains(QStringLiteral("alice")));

    // ".exit" quits; the other side sees it go.
    QCOMPARE(session.send(QStringLiteral(".exit")), ChatSession::SendResult::Sent);
    QVERIFY(alice.waitFor([&](const protocol::Message &m) { return m.command == "QUIT" && m.source.startsWith(me + '!'); },
                          kTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Disconnected, kTimeoutMs);
}

QTEST_GUILESS_MAIN(tst_ClientOnPeers)
#include "tst_clientonpeers.moc"
