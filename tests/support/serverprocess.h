#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

namespace tktalk::test {

/**
 * @brief The real `tktalk --server` binary as a child process on 127.0.0.1 and a free port, using the
 * test certificate (written to files that other programs can be told to trust).
 */
class ServerProcess
{
public:
    static constexpr int kStartTimeoutMs = 15'000;

    ServerProcess();
    ~ServerProcess();

    /// Starts the server with @p extraArguments and waits until it listens; false on failure.
    bool start(const QStringList &extraArguments = {});
    quint16 port() const { return m_port; }
    /// PEM files of the certificate (to trust) and its key.
    QString certificatePath() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QString keyPath() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    /// SHA-256 of the certificate as plain lowercase hex, as some clients take a pin.
    QByteArray fingerprintHex() const;
    /// A directory that lives as long as this object, for other programs' files.
    QString scratchPath(const QString &name) const { return m_dir.filePath(name); }

    /// Everything the server logged so far.
    QByteArray log();
    /// Sends SIGINT, like Ctrl+C in its terminal.
    bool interrupt();
    QProcess &process() { return m_process; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

} // namespace tktalk::test
