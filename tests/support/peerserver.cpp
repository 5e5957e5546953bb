#include "peerserver.h"

#include <QTcpServer>
#include <QTest>

namespace tktalk::test {

namespace {

/// A port that was free a moment ago: the daemons need a number, they cannot report one they chose.
quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace

PeerServer::PeerServer(QString daemon)
    : m_daemon(std::move(daemon))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyRead, &m_process, [this] { m_output += m_process.readAll(); });
}

PeerServer::~PeerServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        // peer-server stops the daemon and removes its files on SIGTERM.
        m_process.terminate();
        if (!m_process.waitForFinished(5'000))
            m_process.kill();
    }
}

bool PeerServer::start(const QString &certificatePath, const QString &keyPath)
{
    m_port = freePort();
    m_process.start(QStringLiteral(TKTALK_SOURCE_DIR "/scripts/peer-server"),
                    {m_daemon, QString::number(m_port), certificatePath, keyPath, QStringLiteral("--relaxed")});
    if (!m_process.waitForStarted())
        return false;
    // Each daemon says when it listens.
    const QByteArray ready = m_daemon == "ngircd" ? "Now listening on" : "is now running";
    if (QTest::qWaitFor([&] { return m_output.contains(ready) || m_process.state() != QProcess::Running; },
                        kStartTimeoutMs)
        && m_output.contains(ready)) {
        return true;
    }
    qWarning("%s did not start:\n%s", qPrintable(m_daemon), m_output.constData());
    return false;
}

} // namespace tktalk::test
