#pragma once

#include <QProcess>
#include <QString>

namespace tktalk::test {

/**
 * @brief Another IRC server (InspIRCd, ngircd) run by scripts/peer-server with TLS on a free loopback
 * port and the test certificate.
 */
class PeerServer
{
public:
    static constexpr int kStartTimeoutMs = 30'000;

    explicit PeerServer(QString daemon);
    ~PeerServer();

    /// Starts the daemon with @p certificatePath / @p keyPath and waits until it listens.
    bool start(const QString &certificatePath, const QString &keyPath);
    quint16 port() const { return m_port; }
    const QString &daemon() const { return m_daemon; }

private:
    QString m_daemon;
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

} // namespace tktalk::test
