#include "serverprocess.h"

#include "testserver.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

namespace tktalk::test {

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

ServerProcess::ServerProcess()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The log is part of what tests check; the test runner's rules would silence it.
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    m_process.setProcessEnvironment(environment);
    QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                     [this] { m_log += m_process.readAllStandardError(); });
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

bool ServerProcess::start(const QStringList &extraArguments)
{
    const server::TlsIdentity &identity = testIdentity();
    if (!m_dir.isValid() || !writeFile(certificatePath(), identity.chain.first().toPem())
        || !writeFile(keyPath(), identity.key.toPem()))
        return false;
    m_process.start(QStringLiteral(TKTALK_BINARY),
                    QStringList{"--server", "--listen", "127.0.0.1:0", "--server-name", "irc.test", "--data-dir",
                                m_dir.filePath(QStringLiteral("data")), "--cert", certificatePath(), "--key",
                                keyPath()}
                        + extraArguments);
    const QRegularExpression listening(QStringLiteral("Listening on 127\\.0\\.0\\.1:(\\d+)"));
    QRegularExpressionMatch match;
    const bool started = QTest::qWaitFor(
        [&] {
            match = listening.match(QString::fromUtf8(m_log));
            return match.hasMatch() || m_process.state() == QProcess::NotRunning;
        },
        kStartTimeoutMs);
    if (!started || !match.hasMatch()) {
        qWarning("tktalk did not start listening:\n%s", m_log.constData());
        return false;
    }
    m_port = match.captured(1).toUShort();
    return m_port != 0;
}

QByteArray ServerProcess::fingerprintHex() const
{
    return testIdentity().chain.first().digest(QCryptographicHash::Sha256).toHex();
}

QByteArray ServerProcess::log()
{
    m_log += m_process.readAllStandardError();
    return m_log;
}

bool ServerProcess::interrupt()
{
    return ::kill(pid_t(m_process.processId()), SIGINT) == 0;
}

} // namespace tktalk::test
