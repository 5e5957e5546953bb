#pragma once

#include "protocol/limits.h"
#include "protocol/lineframer.h"
#include "protocol/message.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <functional>
#include <optional>

namespace tktalk::test {

/**
 * @brief A scripted IRC client over a real TLS socket, for tests.
 *
 * Every received line is parsed and kept; wait* functions look forward from a read cursor and
 * spin the event loop until a match arrives or the timeout passes (no sleeps). sync() is the way to
 * prove that something did NOT arrive: it sends a PING and returns everything received before the
 * matching PONG, which the server sends only after handling everything sent before it.
 */
class TestIrcClient : public QObject
{
    Q_OBJECT
public:
    using Predicate = std::function<bool(const protocol::Message &)>;
    static constexpr int kDefaultTimeoutMs = 10'000;

    explicit TestIrcClient(QObject *parent = nullptr);

    /// Presents this certificate and key in later handshakes (for SASL EXTERNAL).
    void setClientCertificate(const QSslCertificate &certificate, const QSslKey &key);
    /// Connects to 127.0.0.1:@p port, trusting only @p serverCertificate, from the loopback
    /// address @p from if given (127.0.0.2, ...: another address of the same machine).
    void connectTo(quint16 port, const QSslCertificate &serverCertificate, const QHostAddress &from = {});
    bool waitForEncrypted(int timeoutMs = kDefaultTimeoutMs);
    bool waitForDisconnected(int timeoutMs = kDefaultTimeoutMs);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QSslSocket &socket() { return m_socket; }

    void sendLine(const QByteArray &line);
    void sendRaw(const QByteArray &bytes);

    /// Sends "CAP LS <version>" and returns the capabilities the server advertises (with their
    /// values, as "sasl=PLAIN,EXTERNAL"), or nullopt if no answer came.
    std::optional<QByteArrayList> advertisedCapabilities(const QByteArray &version = "302",
                                                         int timeoutMs = kDefaultTimeoutMs);

    /// NICK and USER, then waits for 001 (and for the auto-join's end of NAMES when @p expectJoin).
    bool registerAs(const QByteArray &nick, bool expectJoin = true, int timeoutMs = kDefaultTimeoutMs);

    /// The first message after the cursor that matches; the cursor moves past it.
    std::optional<protocol::Message> waitFor(const Predicate &predicate, int timeoutMs = kDefaultTimeoutMs);
    std::optional<protocol::Message> waitForCommand(const QByteArray &command, int timeoutMs = kDefaultTimeoutMs);
    /// Waits for the ERROR line a server sends before closing.
    std::optional<protocol::Message> waitForError(int timeoutMs = kDefaultTimeoutMs)
    {
        return waitForCommand("ERROR", timeoutMs);
    }

    /// Round trip through the server; returns what arrived after the cursor before the PONG, and
    /// moves the cursor past the PONG. Empty optional if no PONG came.
    std::optional<QList<protocol::Message>> sync(int timeoutMs = kDefaultTimeoutMs);

    /// True when nothing has arrived after the cursor, proved by a sync() round trip.
    bool receivedNothing(int timeoutMs = kDefaultTimeoutMs)
    {
        const auto seen = sync(timeoutMs);
        return seen && seen->isEmpty();
    }

    const QList<protocol::Message> &received() const { return m_received; }
    /// Moves the cursor to the end: later waits see only what arrives from now on.
    void skipReceived() { m_cursor = m_received.size(); }
    QList<QByteArray> rawLines() const { return m_rawLines; }

Q_SIGNALS:
    void messageReceived(const tktalk::protocol::Message &message);

private:
    void readLines();

    QSslSocket m_socket;
    QSslCertificate m_clientCertificate;
    QSslKey m_clientKey;
    protocol::LineFramer m_framer{protocol::kMaxReceivedLineBodyBytes}; ///< a client's limit: relayed lines may pass 512
    QList<protocol::Message> m_received;
    QList<QByteArray> m_rawLines;
    qsizetype m_cursor = 0;
    int m_syncCounter = 0;
};

/// Finds a message with @p command whose parameter @p index equals @p value.
TestIrcClient::Predicate commandWithParam(const QByteArray &command, int index, const QByteArray &value);

} // namespace tktalk::test
