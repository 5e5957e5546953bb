#pragma once

#include <QProcess>
#include <QStringList>

namespace tktalk::test {

/**
 * @brief The real `tktalk --server` binary in a child process, for the account and TLS tests that
 * need one: signals (SIGKILL, SIGHUP), restarts, external scanners.
 *
 * Unlike a plain "log contains" check, waitForLog() moves a cursor, so the same message can be
 * awaited twice; runTktalkWithInput() feeds standard input (passwords for `tktalk account`).
 *
 * It listens on 127.0.0.1 port 0; start() waits (on the process's output, no sleeps) for the
 * "Listening on" log line and reads the port from it.
 */
class ChildServer
{
public:
    ChildServer();
    ~ChildServer();

    /// Starts the server with @p arguments added to "--server --listen 127.0.0.1:0"; false on failure.
    bool start(const QStringList &arguments, int timeoutMs = 30'000);
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    /// Sends a POSIX signal to the server.
    void signal(int signalNumber);
    /// Waits until the log (stderr) contains @p text after what earlier waits consumed.
    bool waitForLog(const QString &text, int timeoutMs = 30'000);
    bool waitForExit(int timeoutMs = 30'000);
    QString log() const { return m_log; }

private:
    QProcess m_process;
    QString m_log;
    qsizetype m_logCursor = 0;
    quint16 m_port = 0;
};

/// Runs `tktalk` with @p arguments and @p input on stdin; returns the exit code (or -1) and the output.
int runTktalkWithInput(const QStringList &arguments, const QByteArray &input = {}, QByteArray *output = nullptr);

} // namespace tktalk::test
