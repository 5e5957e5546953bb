#include "weechatclient.h"

#include "testcertificatefiles.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace tktalk::test {

namespace {

constexpr int kFifoTimeoutMs = 20'000;

} // namespace

WeechatClient::~WeechatClient()
{
    stop();
}

void WeechatClient::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

bool WeechatClient::start(quint16 port, const TestCertificateFiles &files, const QString &nick)
{
    m_home = files.path(QStringLiteral("weechat"));
    // Settings a user would make: TLS, the server's certificate pinned by its SHA-256 fingerprint.
    // Logs are flushed at once and the FIFO has a known path so that the test can read and write;
    // WeeChat's own anti-flood delay (2 s per line) is turned off to keep the test fast.
    const QStringList commands{
        QStringLiteral("/set logger.file.flush_delay 0"),
        QStringLiteral("/set fifo.file.path %1/fifo").arg(m_home),
        QStringLiteral("/server add tktalk 127.0.0.1/%1 -ssl -ssl_verify -ssl_fingerprint=%2 -nicks=%3 -username=%3 "
                       "-realname=WeeChat -anti_flood_prio_high=0 -anti_flood_prio_low=0")
            .arg(port)
            .arg(QString::fromLatin1(files.fingerprintHex()), nick),
        QStringLiteral("/connect tktalk"),
    };
    // Its terminal control codes would only clutter the test's output; it logs to files.
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.setStandardErrorFile(QProcess::nullDevice());
    m_process.start(QStringLiteral("weechat-headless"),
                    {QStringLiteral("--dir"), m_home, QStringLiteral("-r"), commands.join(';')});
    return m_process.waitForStarted();
}

void WeechatClient::type(const QString &command)
{
    // The FIFO appears once the plugin has read its setting, and WeeChat keeps it open for reading.
    // Commands go to the room's buffer, which exists once WeeChat has shown the join there (others
    // may have seen the join before WeeChat itself handled it).
    const QString fifo = m_home + QStringLiteral("/fifo");
    if (!QTest::qWaitFor([&] { return QFile::exists(fifo) && !shown(QStringLiteral("#lobby")).isEmpty(); },
                         kFifoTimeoutMs)) {
        qWarning("WeeChat has no FIFO at %s or no #lobby buffer", qPrintable(fifo));
        return;
    }
    QFile file(fifo);
    if (!file.open(QIODevice::WriteOnly) || file.write("irc.tktalk.#lobby *" + command.toUtf8() + '\n') < 0)
        qWarning("cannot write to WeeChat's FIFO: %s", qPrintable(file.errorString()));
}

QString WeechatClient::shown(const QString &conversation)
{
    QFile log(QStringLiteral("%1/logs/irc.tktalk.%2.weechatlog").arg(m_home, conversation.toLower()));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

// Log lines are "date time<TAB>prefix<TAB>text"; the prefix of a message is the sender's nick,
// after its channel prefix ("@alice").
QRegularExpression WeechatClient::messageLine(const QString &from, const QString &text) const
{
    return QRegularExpression(
        QStringLiteral("\t[~&@%+]?%1\t%2$").arg(QRegularExpression::escape(from), QRegularExpression::escape(text)),
        QRegularExpression::MultilineOption);
}

QRegularExpression WeechatClient::userListLine(const QStringList &nicks) const
{
    QStringList patterns;
    for (const QString &nick : nicks)
        patterns << QStringLiteral("[~&@%+]?") + QRegularExpression::escape(nick);
    return QRegularExpression(QStringLiteral("\tNicks #lobby: \\[%1\\]$").arg(patterns.join(' ')),
                              QRegularExpression::MultilineOption);
}

QRegularExpression WeechatClient::modeLine(const QString &by, const QString &modes) const
{
    return QRegularExpression(QStringLiteral("\tMode #lobby \\[%1\\] by %2$")
                                  .arg(QRegularExpression::escape(modes), QRegularExpression::escape(by)),
                              QRegularExpression::MultilineOption);
}

QRegularExpression WeechatClient::ownNickChangeLine(const QString &newNick) const
{
    return QRegularExpression(QStringLiteral("\tYou are now known as %1$").arg(QRegularExpression::escape(newNick)),
                              QRegularExpression::MultilineOption);
}

} // namespace tktalk::test
