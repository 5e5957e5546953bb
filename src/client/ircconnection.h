#pragma once

#include "protocol/lineframer.h"
#include "protocol/message.h"

#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QSslSocket>
#include <QTimer>

namespace tktalk::client {

class CertificatePins;

/**
 * @brief One TLS connection to an IRC server: connects, decides whether to trust the certificate,
 * frames and parses lines, and reports how the connection ended in words a user understands.
 *
 * Trust: a certificate the system CAs (plus any extra CAs) verify for the host is accepted. Otherwise
 * the certificate is accepted only if its SHA-256 digest is pinned for this host:port, and then only the
 * errors that an unverifiable certificate causes are ignored, for that exact certificate. With no pin the
 * connection is aborted and certificateNeedsTrust() asks for a decision; with a different pin,
 * certificateChanged() refuses it.
 */
class IrcConnection : public QObject
{
    Q_OBJECT
public:
    enum class Failure { HostNotFound, Refused, TimedOut, Tls, Untrusted, CertificateChanged, Network };
    static constexpr int kConnectTimeoutMs = 15'000;

    IrcConnection(CertificatePins &pins, QObject *parent = nullptr);

    /// How long connecting and the TLS handshake may take together (default kConnectTimeoutMs).
    void setConnectTimeout(int milliseconds) { m_connectTimer.setInterval(milliseconds); }
    void setExtraCaCertificates(const QList<QSslCertificate> &certificates) { m_extraCas = certificates; }
    void open(const QString &host, quint16 port);
    void send(const protocol::Message &message);
    /// Closes after what was sent has gone out; closed() follows.
    void closeGracefully();
    /// Drops the connection at once without signals.
    void abort();
    bool isEstablished() const { return m_established; }

Q_SIGNALS:
    void established();
    void messageReceived(const tktalk::protocol::Message &message);
    /// The connection could not be made; @p reason is a sentence for the user.
    void failed(tktalk::client::IrcConnection::Failure failure, const QString &reason);
    /// The certificate could not be verified and nothing is pinned; the connection was aborted.
    void certificateNeedsTrust(const QSslCertificate &certificate, const QString &reason);
    /// The certificate differs from the one pinned; the connection was aborted.
    void certificateChanged(const QSslCertificate &certificate, const QByteArray &pinnedDigest);
    /// An established connection ended; @p byUs when closeGracefully() asked for it.
    void closed(bool byUs, const QString &reason);

private:
    void onSslErrors(const QList<QSslError> &errors);
    void onError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void readLines();
    void fail(Failure failure, const QString &reason);

    CertificatePins &m_pins;
    QSslSocket m_socket;
    QTimer m_connectTimer;
    protocol::LineFramer m_framer{protocol::kMaxReceivedLineBodyBytes};
    QList<QSslCertificate> m_extraCas;
    QString m_host;
    quint16 m_port = 0;
    bool m_established = false;
    bool m_closingByUs = false;
    bool m_reported = false; ///< failed() or closed() was emitted for this attempt
};

} // namespace tktalk::client
