#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>

namespace tktalk::test {

namespace {

/// Runs the event loop until @p done holds or @p timeoutMs passes, waking on the process's signals.
template<typename Condition>
bool waitUntil(QProcess &process, Condition done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        QObject::connect(&process, &QProcess::readyReadStandardError, &loop, &QEventLoop::quit);
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, &QEventLoop::quit);
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        timer.start(int(std::max<qint64>(1, deadline.remainingTime())));
        loop.exec();
    }
    return true;
}

} // namespace

ServerProcess::ServerProcess()
{
    m_process.setProgram(QStringLiteral(TKTALK_BINARY));
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // The server's log is what these tests read: make sure the test's own settings do not mute it.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    m_process.setProcessEnvironment(environment);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::log()
{
    m_log += m_process.readAll();
    return QString::fromUtf8(m_log);
}

bool ServerProcess::waitForLog(const QString &text, int timeoutMs)
{
    return waitUntil(m_process, [&] { return log().contains(text) || m_process.state() == QProcess::NotRunning; },
                     timeoutMs)
           && log().contains(text);
}

bool ServerProcess::start(const QString &dataDir, const QStringList &extraArguments, int timeoutMs)
{
    QStringList arguments{QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--data-dir"), dataDir};
    m_process.setArguments(arguments + extraArguments);
    m_process.start();
    static const QRegularExpression listening(QStringLiteral("Listening on 127\\.0\\.0\\.1:(\\d+)"));
    static const QRegularExpression fingerprint(QStringLiteral("fingerprint ([0-9A-F:]{95})"));
    if (!waitForLog(QStringLiteral("fingerprint "), timeoutMs))
        return false;
    const QString text = log();
    m_port = quint16(listening.match(text).captured(1).toUInt());
    m_fingerprint = fingerprint.match(text).captured(1);
    return m_port != 0;
}

bool ServerProcess::stop(int signalNumber, int timeoutMs)
{
    ::kill(pid_t(m_process.processId()), signalNumber);
    return waitUntil(m_process, [&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
}

int runTktalk(const QStringList &arguments, QByteArray *standardOutput, QByteArray *standardError, int timeoutMs)
{
    QProcess process;
    process.start(QStringLiteral(TKTALK_BINARY), arguments);
    QByteArray out;
    QByteArray err;
    const bool finished = waitUntil(process, [&] {
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        return process.state() == QProcess::NotRunning;
    }, timeoutMs);
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();
    if (standardOutput)
        *standardOutput = out;
    if (standardError)
        *standardError = err;
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
        return -1;
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace tktalk::test
