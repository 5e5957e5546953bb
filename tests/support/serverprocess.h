#pragma once

#include <QProcess>
#include <QStringList>

namespace tktalk::test {

/**
 * @brief The real `tktalk --server` binary run as a child process on a free loopback port.
 *
 * start() waits (on output signals, with a deadline) for the "Listening on 127.0.0.1:PORT" log
 * line and parses the port and the certificate fingerprint from the log.
 */
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();

    /// Starts the server with `--server --listen 127.0.0.1:0 --data-dir <dataDir>` plus @p extraArguments.
    bool start(const QString &dataDir, const QStringList &extraArguments = {}, int timeoutMs = 15'000);
    quint16 port() const { return m_port; }
    QString fingerprint() const { return m_fingerprint; }
    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }
    /// Everything the server logged so far.
    QString log();
    /// Waits until the log contains @p text.
    bool waitForLog(const QString &text, int timeoutMs = 15'000);

    /// Sends @p signalNumber and waits for the process to exit.
    bool stop(int signalNumber, int timeoutMs = 15'000);

private:
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
    QString m_fingerprint;
};

/// Runs tktalk with @p arguments to completion; returns its exit code and fills the outputs.
int runTktalk(const QStringList &arguments, QByteArray *standardOutput, QByteArray *standardError,
              int timeoutMs = 15'000);

} // namespace tktalk::test
