#include "testircclient.h"

#include "trafficrecorder.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QSslConfiguration>
#include <QSignalSpy>
#include <QTimer>

namespace tktalk::test {

using protocol::Message;

TestIrcClient::TestIrcClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QSslSocket::readyRead, this, &TestIrcClient::readLines);
}

void TestIrcClient::setClientCertificate(const QSslCertificate &certificate, const QSslKey &key)
{
    m_clientCertificate = certificate;
    m_clientKey = key;
}

void TestIrcClient::connectTo(quint16 port, const QSslCertificate &serverCertificate, const QHostAddress &from)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({serverCertificate});
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!m_clientCertificate.isNull()) {
        configuration.setLocalCertificate(m_clientCertificate);
        configuration.setPrivateKey(m_clientKey);
    }
    m_socket.setSslConfiguration(configuration);
    m_socket.setPeerVerifyName(QStringLiteral("localhost"));
    if (!from.isNull() && !m_socket.bind(from))
        qWarning("test client: cannot bind to %s: %s", qPrintable(from.toString()), qPrintable(m_socket.errorString()));
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
}

bool TestIrcClient::waitForEncrypted(int timeoutMs)
{
    if (m_socket.isEncrypted())
        return true;
    QSignalSpy encrypted(&m_socket, &QSslSocket::encrypted);
    return encrypted.wait(timeoutMs) || m_socket.isEncrypted();
}

bool TestIrcClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy disconnected(&m_socket, &QSslSocket::disconnected);
    return disconnected.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
}

void TestIrcClient::sendLine(const QByteArray &line)
{
    sendRaw(line + "\r\n");
}

void TestIrcClient::sendRaw(const QByteArray &bytes)
{
    if (TrafficRecorder *recorder = TrafficRecorder::instance())
        recorder->sent(this, bytes);
    m_socket.write(bytes);
}

std::optional<QByteArrayList> TestIrcClient::advertisedCapabilities(const QByteArray &version, int timeoutMs)
{
    sendLine(("CAP LS " + version).trimmed());
    const auto ls = waitFor(commandWithParam("CAP", 1, "LS"), timeoutMs);
    if (!ls)
        return std::nullopt;
    return ls->params.last().split(' ');
}

bool TestIrcClient::registerAs(const QByteArray &nick, bool expectJoin, int timeoutMs)
{
    sendLine("NICK " + nick);
    sendLine("USER " + nick + " 0 * :Test user " + nick);
    if (!waitForCommand("001", timeoutMs))
        return false;
    return !expectJoin || waitForCommand("366", timeoutMs).has_value();
}

std::optional<Message> TestIrcClient::waitFor(const Predicate &predicate, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        for (; m_cursor < m_received.size(); ++m_cursor) {
            if (predicate(m_received.at(m_cursor)))
                return m_received.at(m_cursor++);
        }
        if (deadline.hasExpired() || m_socket.state() == QAbstractSocket::UnconnectedState)
            return std::nullopt;
        // Run the event loop until a line arrives, the socket closes or time runs out.
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(this, &TestIrcClient::messageReceived, &loop, &QEventLoop::quit);
        connect(&m_socket, &QSslSocket::disconnected, &loop, &QEventLoop::quit);
        timer.start(int(std::max<qint64>(1, deadline.remainingTime())));
        loop.exec();
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            readLines();
    }
}

std::optional<Message> TestIrcClient::waitForCommand(const QByteArray &command, int timeoutMs)
{
    return waitFor([&command](const Message &m) { return m.command == command; }, timeoutMs);
}

std::optional<QList<Message>> TestIrcClient::sync(int timeoutMs)
{
    const QByteArray token = "sync-" + QByteArray::number(++m_syncCounter);
    const qsizetype start = m_cursor;
    sendLine("PING " + token);
    const auto pong = waitFor([&token](const Message &m) { return m.command == "PONG" && m.params.contains(token); },
                              timeoutMs);
    if (!pong)
        return std::nullopt;
    QList<Message> before = m_received.mid(start, m_cursor - 1 - start);
    return before;
}

void TestIrcClient::readLines()
{
    const QByteArray bytes = m_socket.readAll();
    if (TrafficRecorder *recorder = TrafficRecorder::instance(); recorder && !bytes.isEmpty())
        recorder->received(this, bytes);
    m_framer.append(bytes);
    QByteArray line;
    while (m_framer.next(line) == protocol::LineFramer::Status::Line) {
        m_rawLines << line;
        if (std::optional<Message> message = Message::parse(line)) {
            m_received << *message;
            Q_EMIT messageReceived(*message);
        }
    }
}

TestIrcClient::Predicate commandWithParam(const QByteArray &command, int index, const QByteArray &value)
{
    return [=](const Message &m) { return m.command == command && m.param(index) == value; };
}

} // namespace tktalk::test
