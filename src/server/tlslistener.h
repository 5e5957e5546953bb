#pragma once

#include <QHash>
#include <QHostAddress>
#include <QTcpServer>

#include <memory>

namespace tktalk::server {

class TlsConnection;
class TlsContext;

/**
 * @brief Accepts TCP connections, runs each one's TLS handshake, and hands over those that finish.
 *
 * Every failed or abandoned handshake is logged with the peer's address and the reason, plain text
 * sent to the TLS port among them. Handshakes still under way are limited per address, because
 * they cost the server more than they cost the client.
 */
class TlsListener : public QTcpServer
{
    Q_OBJECT
public:
    explicit TlsListener(QObject *parent = nullptr);
    ~TlsListener() override;

    /// The context for handshakes from now on; those under way keep theirs.
    void setContext(std::shared_ptr<TlsContext> context) { m_context = std::move(context); }
    void setHandshakeTimeout(int milliseconds) { m_handshakeTimeoutMs = milliseconds; }
    /// At most this many unfinished handshakes from one address (0: no limit); more are closed at once.
    void setMaxHandshakesPerAddress(int max) { m_maxPerAddress = max; }

Q_SIGNALS:
    /// A client finished its handshake. The receiver takes @p connection over (reparents it).
    void connectionReady(tktalk::server::TlsConnection *connection);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void onEncrypted(TlsConnection *connection);
    void onHandshakeFailed(TlsConnection *connection, const QString &reason);
    void untrack(TlsConnection *connection);

    std::shared_ptr<TlsContext> m_context;
    QHash<QHostAddress, int> m_handshakesPerAddress;
    int m_handshakeTimeoutMs = 10'000;
    int m_maxPerAddress = 0;
};

} // namespace tktalk::server
