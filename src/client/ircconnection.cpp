#include "ircconnection.h"

#include "certificatepins.h"
#include "protocol/limits.h"

#include <QSslConfiguration>

namespace tktalk::client {

namespace {

/// The errors an unverifiable but otherwise sound certificate causes: no chain to a trusted CA, or a
/// name the user did not type (connecting by address). Expiry and the like are never ignored.
bool isToleratedWhenPinned(QSslError::SslError error)
{
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::HostNameMismatch:
        return true;
    default:
        return false;
    }
}

QString describe(const QList<QSslError> &errors)
{
    QStringList reasons;
    for (const QSslError &error : errors)
        reasons << error.errorString();
    reasons.removeDuplicates();
    return reasons.join(QStringLiteral("; "));
}

} // namespace

IrcConnection::IrcConnection(CertificatePins &pins, QObject *parent) : QObject(parent), m_pins(pins)
{
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(kConnectTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        fail(Failure::TimedOut, tr("Timed out: %1:%2 did not complete a TLS connection within %3 s.")
                                    .arg(m_host)
                                    .arg(m_port)
                                    .arg(QString::number(m_connectTimer.interval() / 1000.0)));
    });
    connect(&m_socket, &QSslSocket::sslErrors, this, &IrcConnection::onSslErrors);
    connect(&m_socket, &QSslSocket::errorOccurred, this, &IrcConnection::onError);
    connect(&m_socket, &QSslSocket::disconnected, this, &IrcConnection::onDisconnected);
    connect(&m_socket, &QSslSocket::readyRead, this, &IrcConnection::readLines);
    connect(&m_socket, &QSslSocket::encrypted, this, [this] {
        m_connectTimer.stop();
        m_established = true;
        Q_EMIT established();
    });
}

void IrcConnection::open(const QString &host, quint16 port)
{
    abort();
    m_host = host;
    m_port = port;
    m_framer = protocol::LineFramer(protocol::kMaxReceivedLineBodyBytes);
    m_established = false;
    m_closingByUs = false;
    m_reported = false;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    if (!m_extraCas.isEmpty())
        config.addCaCertificates(m_extraCas);
    m_socket.setSslConfiguration(config);
    m_connectTimer.start();
    m_socket.connectToHostEncrypted(host, port);
}

void IrcConnection::send(const protocol::Message &message)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray line = message.wireLine();
    if (!line.isEmpty())
        m_socket.write(line);
}

void IrcConnection::closeGracefully()
{
    m_closingByUs = true;
    m_socket.disconnectFromHost();
}

void IrcConnection::abort()
{
    m_reported = true; // whatever the socket says while aborting is not news
    m_connectTimer.stop();
    m_socket.abort();
    m_established = false;
}

void IrcConnection::fail(Failure failure, const QString &reason)
{
    if (m_reported)
        return;
    m_reported = true;
    m_connectTimer.stop();
    m_socket.abort();
    m_established = false;
    Q_EMIT failed(failure, reason);
}

void IrcConnection::onSslErrors(const QList<QSslError> &errors)
{
    const QSslCertificate peer = m_socket.peerCertificate();
    QList<QSslError> fatal;
    for (const QSslError &error : errors) {
        const bool aboutPeer = error.certificate().isNull() || error.certificate() == peer;
        if (!aboutPeer || !isToleratedWhenPinned(error.error()))
            fatal << error;
    }
    if (peer.isNull() || !fatal.isEmpty()) {
        fail(Failure::Tls, tr("TLS failure: %1").arg(describe(fatal.isEmpty() ? errors : fatal)));
        return;
    }
    const QByteArray pinned = m_pins.pinnedDigest(m_host, m_port);
    if (pinned.isEmpty()) {
        const QString reason = describe(errors);
        abort();
        Q_EMIT certificateNeedsTrust(peer, reason);
    } else if (pinned == CertificatePins::digestOf(peer)) {
        // Exactly these errors, each about this certificate: anything else still fails the handshake.
        m_socket.ignoreSslErrors(errors);
    } else {
        abort();
        Q_EMIT certificateChanged(peer, pinned);
    }
}

void IrcConnection::onError(QAbstractSocket::SocketError error)
{
    if (m_established || m_reported)
        return;
    const QString where = QStringLiteral("%1:%2").arg(m_host).arg(m_port);
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        fail(Failure::HostNotFound, tr("Host not found: there is no server called %1.").arg(m_host));
        break;
    case QAbstractSocket::ConnectionRefusedError:
        fail(Failure::Refused, tr("Connection refused: nothing is listening at %1.").arg(where));
        break;
    case QAbstractSocket::SocketTimeoutError:
        fail(Failure::TimedOut, tr("Timed out: %1 did not answer.").arg(where));
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        fail(Failure::Tls, tr("TLS failure: %1").arg(m_socket.errorString()));
        break;
    case QAbstractSocket::RemoteHostClosedError:
        fail(Failure::Tls, tr("TLS failure: %1 closed the connection during the handshake (is it a TLS "
                              "server?).")
                               .arg(where));
        break;
    default:
        fail(Failure::Network, tr("Could not connect to %1: %2").arg(where, m_socket.errorString()));
        break;
    }
}

void IrcConnection::onDisconnected()
{
    if (m_reported)
        return;
    if (!m_established) {
        onError(m_socket.error());
        return;
    }
    m_reported = true;
    m_established = false;
    Q_EMIT closed(m_closingByUs, m_closingByUs ? QString() : tr("the server closed the connection"));
}

void IrcConnection::readLines()
{
    m_framer.append(m_socket.readAll());
    QByteArray line;
    // A handler may close the connection; stop reading as soon as it did.
    while (m_established && !m_reported) {
        const protocol::LineFramer::Status status = m_framer.next(line);
        if (status == protocol::LineFramer::Status::NeedMore)
            break;
        if (status == protocol::LineFramer::Status::Overflow) {
            m_reported = true;
            m_socket.abort();
            m_established = false;
            Q_EMIT closed(false, tr("the server sent a line far over the IRC limit"));
            break;
        }
        if (status != protocol::LineFramer::Status::Line)
            continue;
        if (const std::optional<protocol::Message> message = protocol::Message::parse(line))
            Q_EMIT messageReceived(*message);
    }
}

} // namespace tktalk::client
