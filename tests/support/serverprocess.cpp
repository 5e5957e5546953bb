#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>

namespace tktalk::test {

QStringList cheapAccountArguments()
{
    return {QStringLiteral("--hash-memory"), QStringLiteral("1"), QStringLiteral("--hash-passes"),
            QStringLiteral("1"), QStringLiteral("--register-limit"), QStringLiteral("0")};
}

namespace {

QProcessEnvironment childEnvironment()
{
    // The server's log is what these tests read: undo the test runner's quieting.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    return environment;
}

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
    m_process.setProcessEnvironment(childEnvironment());
    QObject::connect(&m_process, &QProcess::readyRead, &m_process,
                     [this] { m_log += QString::fromUtf8(m_process.readAll()); });
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ServerProcess::start(const QString &dataDir, const QStringList &extraArguments, int timeoutMs)
{
    return start(QStringList{QStringLiteral("--data-dir"), dataDir} + extraArguments, timeoutMs);
}

bool ServerProcess::start(const QStringList &arguments, int timeoutMs)
{
    m_log.clear();
    m_logCursor = 0;
    QStringList all{QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
    // The second run of every server test (TKTALK_TLS_ENGINE=openssl) runs the other engine.
    const QString engine = qEnvironmentVariable("TKTALK_TLS_ENGINE");
    if (!engine.isEmpty() && !arguments.contains(QStringLiteral("--tls-engine")))
        all << QStringLiteral("--tls-engine") << engine;
    m_process.setArguments(all + arguments);
    m_process.start();
    if (!waitForLog(QStringLiteral("fingerprint "), timeoutMs))
        return false;
    static const QRegularExpression listening(QStringLiteral("Listening on 127\\.0\\.0\\.1:(\\d+)"));
    static const QRegularExpression fingerprint(QStringLiteral("fingerprint ([0-9A-F:]{95})"));
    m_port = quint16(listening.match(m_log).captured(1).toUInt());
    m_fingerprint = fingerprint.match(m_log).captured(1);
    return m_port != 0;
}

bool ServerProcess::waitForLog(const QString &text, int timeoutMs)
{
    qsizetype found = -1;
    waitUntil(m_process, [&] {
        m_log += QString::fromUtf8(m_process.readAll());
        found = m_log.indexOf(text, m_logCursor);
        return found >= 0 || m_process.state() == QProcess::NotRunning;
    }, timeoutMs);
    if (found < 0)
        return false;
    m_logCursor = found + text.size();
    return true;
}

void ServerProcess::signal(int signalNumber)
{
    ::kill(pid_t(m_process.processId()), signalNumber);
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    return waitUntil(m_process, [&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
}

bool ServerProcess::stop(int signalNumber, int timeoutMs)
{
    if (signalNumber != 0)
        signal(signalNumber);
    return waitForExit(timeoutMs);
}

namespace {

/// Runs tktalk with @p input on standard input until it exits; -1 on a crash or timeout.
int runToCompletion(const QStringList &arguments, const QByteArray &input, int timeoutMs, QByteArray *out,
                    QByteArray *err)
{
    QProcess process;
    process.setProcessEnvironment(childEnvironment());
    process.start(QStringLiteral(TKTALK_BINARY), arguments);
    process.write(input);
    process.closeWriteChannel();
    const bool finished = waitUntil(process, [&] {
        *out += process.readAllStandardOutput();
        *err += process.readAllStandardError();
        return process.state() == QProcess::NotRunning;
    }, timeoutMs);
    *out += process.readAllStandardOutput();
    *err += process.readAllStandardError();
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
        return -1;
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace

int runTktalkSeparately(const QStringList &arguments, QByteArray *standardOutput, QByteArray *standardError, int timeoutMs)
{
    QByteArray out;
    QByteArray err;
    const int status = runToCompletion(arguments, {}, timeoutMs, &out, &err);
    if (standardOutput)
        *standardOutput = out;
    if (standardError)
        *standardError = err;
    return status;
}

int runTktalk(const QStringList &arguments, const QByteArray &input, QByteArray *output)
{
    QByteArray out;
    QByteArray err;
    const int status = runToCompletion(arguments, input, 60'000, &out, &err);
    if (output)
        *output = out + err;
    return status;
}

} // namespace tktalk::test
