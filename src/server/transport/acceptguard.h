#pragma once

#include <QAbstractSocket>
#include <QObject>
#include <QTimer>

class QTcpServer;

namespace tktalk::server::transport {

/**
 * @brief Keeps a listening QTcpServer healthy when the process runs out of file descriptors.
 *
 * QTcpServer (Qt 6.4) takes EMFILE from accept() for a passing error and calls accept() again as
 * long as the listening socket is readable, which it stays: a server out of descriptors spins at
 * full speed and leaves the clients in the backlog hanging. So the server never lets accept() get
 * there. Each accepted connection is admitted only if kSpareDescriptors stay free afterwards, for
 * the server's own needs (the account database, closing connections gently). When they would not:
 * - the connection is closed at once, and accepting pauses (no more accept() calls);
 * - one log line says so, with the limit;
 * - every kRetryIntervalMs, clients waiting in the backlog are refused (accepted and closed at
 *   once, so that none hangs until its own timeout), and accepting resumes as soon as twice the
 *   spare descriptors are free again, with a log line that counts the refused connections.
 * Clients already connected are not affected.
 */
class AcceptGuard : public QObject
{
    Q_OBJECT
public:
    /// Descriptors kept free for the server itself.
    static constexpr int kSpareDescriptors = 8;
    /// How often a server out of descriptors looks whether it may accept again.
    static constexpr int kRetryIntervalMs = 250;
    /// Waiting clients refused per look, so that a flood cannot hold the event loop.
    static constexpr int kMaxRefusedPerCheck = 256;

    /// Guards @p server, which owns the guard or outlives it.
    explicit AcceptGuard(QTcpServer *server);

    /// Call first with every accepted @p descriptor. Returns false, having closed it, when the
    /// server is short of descriptors.
    bool admit(qintptr descriptor);
    /// True from the first refused connection until accepting has resumed.
    bool isShort() const { return m_short; }

private:
    void onAcceptError(QAbstractSocket::SocketError error);
    void enterShortage(const QString &why);
    void check();
    /// Accepts and closes the clients waiting in the backlog.
    void refuseWaiting();

    QTcpServer *m_server;
    QTimer m_retry;
    bool m_short = false;
    qint64 m_refused = 0;
};

} // namespace tktalk::server::transport
