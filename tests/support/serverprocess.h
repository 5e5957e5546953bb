#pragma once

#include <QProcess>
#include <QStringList>

namespace tktalk::test {

/**
 * @brief The real `tktalk --server` binary run as a child process on a free loopback port, for
 * tests that need a process: the command line, signals (SIGINT, SIGTERM, SIGHUP, SIGKILL),
 * restarts, external scanners.
 *
 * The start functions wait (on the process's output, with a deadline, no sleeps) for the
 * "Listening on 127.0.0.1:PORT" and fingerprint log lines. waitForLog() looks for text after
 * whatever earlier waits matched, so the same line can be awaited twice.
 */
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();

    /// Starts with `--server --listen 127.0.0.1:0 --data-dir <dataDir>` plus @p extraArguments, and
    /// `--tls-engine $TKTALK_TLS_ENGINE` when that is set and the arguments name no engine.
    bool start(const QString &dataDir, const QStringList &extraArguments = {}, int timeoutMs = 30'000);
    /// Starts with `--server --listen 127.0.0.1:0` plus @p arguments (which name their own data dir).
    bool start(const QStringList &arguments, int timeoutMs = 30'000);

    quint16 port() const { return m_port; }
    QString fingerprint() const { return m_fingerprint; }
    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }
    /// Everything the server logged so far.
    QString log() const { return m_log; }
    /// Waits until the log contains @p text after what earlier waits matched.
    bool waitForLog(const QString &text, int timeoutMs = 30'000);

    /// Sends a POSIX signal to the server.
    void signal(int signalNumber);
    bool waitForExit(int timeoutMs = 30'000);
    /// Sends @p signalNumber and waits for the process to exit.
    bool stop(int signalNumber, int timeoutMs = 15'000);

private:
    QProcess m_process;
    QString m_log;
    qsizetype m_logCursor = 0;
    quint16 m_port = 0;
    QString m_fingerprint;
};

/// Flags for a server whose tests are not about accounts' cost: the cheapest password hashing and
/// no limit on registrations per address.
QStringList cheapAccountArguments();

/// Runs tktalk with @p arguments to completion; returns its exit code (-1 on a crash or timeout)
/// and what it printed on each channel.
int runTktalkSeparately(const QStringList &arguments, QByteArray *standardOutput, QByteArray *standardError,
                        int timeoutMs = 60'000);
/// The same with @p input on standard input; @p output gets standard output then standard error.
int runTktalk(const QStringList &arguments, const QByteArray &input = {}, QByteArray *output = nullptr);

} // namespace tktalk::test
