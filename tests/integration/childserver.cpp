#include "childserver.h"

#include <QRegularExpression>
#include <QSignalSpy>

#include <signal.h>

namespace tktalk::test {

namespace {

QProcessEnvironment childEnvironment()
{
    // The server's own log is what these tests read: undo the test runner's quieting.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    return environment;
}

} // namespace

ChildServer::ChildServer()
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyRead, &m_process,
                     [this] { m_log += QString::fromUtf8(m_process.readAll()); });
}

ChildServer::~ChildServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
}

bool ChildServer::start(const QStringList &arguments, int timeoutMs)
{
    m_log.clear();
    m_logCursor = 0;
    m_process.setProcessEnvironment(childEnvironment());
    m_process.start(QStringLiteral(TKTALK_BINARY),
                    QStringList{QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}
                        + arguments);
    if (!waitForLog(QStringLiteral("Listening on"), timeoutMs))
        return false;
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("Listening on 127\\.0\\.0\\.1:(\\d+)")).match(m_log);
    m_port = match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
    return m_port != 0;
}

void ChildServer::signal(int signalNumber)
{
    ::kill(pid_t(m_process.processId()), signalNumber);
}

bool ChildServer::waitForLog(const QString &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        const qsizetype found = m_log.indexOf(text, m_logCursor);
        if (found >= 0) {
            m_logCursor = found + text.size();
            return true;
        }
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        QSignalSpy output(&m_process, &QProcess::readyRead);
        output.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
}

bool ChildServer::waitForExit(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    QSignalSpy finished(&m_process, &QProcess::finished);
    return finished.wait(timeoutMs);
}

int runTktalkWithInput(const QStringList &arguments, const QByteArray &input, QByteArray *output)
{
    QProcess process;
    process.setProcessEnvironment(childEnvironment());
    process.start(QStringLiteral(TKTALK_BINARY), arguments);
    process.write(input);
    process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    if (process.state() != QProcess::NotRunning && !finished.wait(60'000))
        return -1;
    if (output)
        *output = process.readAllStandardOutput() + process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace tktalk::test
