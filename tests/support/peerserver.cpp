#include "peerserver.h"

#include "ports.h"

#include <QTest>

namespace tktalk::test {

namespace {

/// Ports to try before giving up: the daemons need a number, so another program could take the one
/// chosen before the daemon binds it (unlikely: see unassignedPort()).
constexpr int kPortAttempts = 3;

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
    for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
        m_output.clear();
        m_port = unassignedPort();
        if (m_port == 0) {
            qWarning("no free port for %s", qPrintable(m_daemon));
            return false;
        }
        m_process.start(QStringLiteral(TKTALK_SOURCE_DIR "/scripts/peer-server"),
                        {m_daemon, QString::number(m_port), certificatePath, keyPath, QStringLiteral("--relaxed")});
        if (!m_process.waitForStarted())
            return false;
        // Each daemon says when it listens. InspIRCd says it runs even when its one listener failed
        // to bind ("Address already in use"), and ngircd exits then.
        const QByteArray ready = m_daemon == "ngircd" ? "Now listening on" : "is now running";
        // The outcome is read from the output below, whether this returned early or timed out.
        (void)QTest::qWaitFor([&] { return m_output.contains(ready) || m_process.state() != QProcess::Running; },
                              kStartTimeoutMs);
        const bool portTaken = m_output.contains("already in use");
        if (m_output.contains(ready) && !portTaken)
            return true;
        qWarning("%s did not start on port %u%s:\n%s", qPrintable(m_daemon), unsigned(m_port),
                 portTaken ? " (taken meanwhile; trying another)" : "", m_output.constData());
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5'000))
                m_process.kill();
        }
        if (!portTaken)
            return false;
    }
    return false;
}

} // namespace tktalk::test
