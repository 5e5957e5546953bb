// The client against a scripted IRC server that behaves like common servers other than tktalk:
// multi-line CAP LS, 433 during registration, a PING before the MOTD, ISUPPORT with five prefixes and
// ascii casemapping, no MOTD (422), no automatic join, and NAMES with prefixes.

#include "chatsession.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QSettings>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>

using namespace tktalk;
using client::ChatSession;

/// @brief A TLS listener that answers each client line with scripted lines.
class ScriptedServer : public QObject
{
    Q_OBJECT
public:
    explicit ScriptedServer(QByteArray takenNick) : m_takenNick(std::move(takenNick))
    {
        m_listener.setSslConfiguration(test::testServerSslConfiguration());
        connect(&m_listener, &QSslServer::pendingConnectionAvailable, this, [this] {
            m_socket = qobject_cast<QSslSocket *>(m_listener.nextPendingConnection());
            connect(m_socket, &QSslSocket::readyRead, this, &ScriptedServer::readLines);
        });
        m_listener.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_listener.serverPort(); }
    QList<QByteArray> received;

private:
    void send(const QByteArray &line) { m_socket->write(line + "\r\n"); }

    void readLines()
    {
        while (m_socket->canReadLine()) {
            const QByteArray line = m_socket->readLine().trimmed();
            received << line;
            answer(line);
        }
    }

    void answer(const QByteArray &line)
    {
        if (line == "CAP LS 302") {
            send(":irc.other CAP * LS * :multi-prefix sasl");
            send(":irc.other CAP * LS :away-notify");
        } else if (line.startsWith("NICK ")) {
            m_nick = line.mid(5);
            if (m_nick == m_takenNick) {
                send(":irc.other 433 * " + m_nick + " :Nickname is already in use");
                m_nick.clear();
            } else if (m_nick.size() > 9) {
                send(":irc.other 432 * " + m_nick + " :Erroneous nickname");
                m_nick.clear();
            }
        } else if (line.startsWith("USER ")) {
            m_userGiven = true;
        } else if (line == "CAP END") {
            m_capEnded = true;
        } else if (line.startsWith("JOIN ")) {
            send(":" + m_nick + "!u@h JOIN #lobby");
            send(":irc.other 353 " + m_nick + " = #lobby :+voice plain ~owner " + m_nick + " @op %half");
            send(":irc.other 366 " + m_nick + " #lobby :End of /NAMES list.");
        } else if (line.startsWith("PONG ")) {
            send(":irc.other 422 " + m_nick + " :MOTD File is missing");
        } else if (line.startsWith("PRIVMSG ")) {
            send(":OP!u@h PRIVMSG #lobby :seen: " + protocol::Message::parse(line)->param(1));
        }
        if (m_capEnded && !m_nick.isEmpty() && !m_welcomed && m_userGiven) {
            m_welcomed = true;
            send(":irc.other 001 " + m_nick + " :Welcome");
            send(":irc.other 005 " + m_nick + " PREFIX=(qaohv)~&@%+ CASEMAPPING=ascii NICKLEN=16 :are supported");
            send("PING :check-1");
        }
    }

    QByteArray m_takenNick;
    QSslServer m_listener;
    QSslSocket *m_socket = nullptr;
    QByteArray m_nick;
    bool m_capEnded = false;
    bool m_userGiven = false;
    bool m_welcomed = false;
};

class tst_OtherServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void standardServer();
    void suffixFitsShortNickLength();

private:
    test::PrivateUserDirs m_userDirs;
};

void tst_OtherServer::initTestCase()
{
    QVERIFY(m_userDirs.isValid()); // pins and settings of this process only
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_otherserver"));
    QSettings().clear();
}

void tst_OtherServer::standardServer()
{
    ScriptedServer server("alice");
    QVERIFY(server.port() != 0);
    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QVERIFY2(QRegularExpression(QStringLiteral("^alice\\d{4}$")).match(session.nick()).hasMatch(),
             qPrintable(session.nick()));
    QTRY_VERIFY(server.received.contains("PONG check-1") || server.received.contains("PONG :check-1"));
    // CAP END only after the last LS line, and exactly once.
    QCOMPARE(server.received.count("CAP END"), 1);
    QTRY_COMPARE(session.room(), QStringLiteral("#lobby"));
    QTRY_COMPARE(session.users()->count(), 6);
    QCOMPARE(session.users()->nicks(),
             (QStringList{"owner", "op", "half", "voice", session.nick(), "plain"}));
    QCOMPARE(session.users()->data(session.users()->index(0), client::UserModel::PrefixRole).toString(),
             QStringLiteral("~"));

    // Casemapping ascii: "OP" is "op", so the message is shown from that user, and nothing is lost.
    QCOMPARE(session.send(QStringLiteral("hello")), ChatSession::SendResult::Sent);
    QTRY_VERIFY(session.messages()->rowCount() > 0
                && session.messages()->at(session.messages()->rowCount() - 1).text == QStringLiteral("seen: hello"));
    QVERIFY(server.received.contains("PRIVMSG #lobby hello") || server.received.contains("PRIVMSG #lobby :hello"));
}

void tst_OtherServer::suffixFitsShortNickLength()
{
    ScriptedServer server("alexandra");
    QSettings().clear();
    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alexandra"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QVERIFY2(QRegularExpression(QStringLiteral("^alexa\\d{4}$")).match(session.nick()).hasMatch(),
             qPrintable(session.nick()));
}

QTEST_GUILESS_MAIN(tst_OtherServer)
#include "tst_otherserver.moc"
