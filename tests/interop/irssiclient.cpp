#include "irssiclient.h"

#include "testcertificatefiles.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace tktalk::test {

namespace {

constexpr int kTmuxTimeoutMs = 10'000;
const QString kSession = QStringLiteral("irssi");

} // namespace

IrssiClient::~IrssiClient()
{
    stop();
}

void IrssiClient::stop()
{
    if (!m_socket.isEmpty())
        tmux({QStringLiteral("kill-server")});
    m_socket.clear();
}

int IrssiClient::tmux(const QStringList &arguments, QByteArray *output) const
{
    QProcess process;
    process.start(QStringLiteral("tmux"), QStringList{QStringLiteral("-S"), m_socket} + arguments);
    if (!process.waitForFinished(kTmuxTimeoutMs) || process.exitStatus() != QProcess::NormalExit)
        return -1;
    if (output)
        *output = process.readAllStandardOutput();
    return process.exitCode();
}

bool IrssiClient::start(quint16 port, const TestCertificateFiles &files, const QString &nick)
{
    m_home = files.path(QStringLiteral("irssi"));
    m_socket = files.path(QStringLiteral("tmux.sock"));
    if (!QDir().mkpath(m_home))
        return false;
    // The settings a user makes: TLS on, verify the certificate against the server's own (a
    // self-signed certificate is its own CA), and the name in the certificate as the address. Irssi's
    // own flood protection (one line per 2.2 s after a burst) is turned down to keep the test fast.
    QFile config(m_home + QStringLiteral("/config"));
    if (!config.open(QIODevice::WriteOnly))
        return false;
    config.write(QStringLiteral(R"(servers = (
  { address = "localhost"; chatnet = "tktalk"; port = "%1"; use_tls = "yes"; tls_verify = "yes";
    tls_cafile = "%2"; autoconnect = "yes"; cmd_queue_speed = "1"; max_cmds_at_once = "100"; }
);
chatnets = { tktalk = { type = "IRC"; }; };
settings = { core = { real_name = "Irssi"; user_name = "%3"; nick = "%3"; }; };
)")
                     .arg(port)
                     .arg(files.certificatePath(), nick)
                     .toUtf8());
    config.close();
    return tmux({QStringLiteral("new-session"), QStringLiteral("-d"), QStringLiteral("-s"), kSession,
                 QStringLiteral("-x"), QStringLiteral("200"), QStringLiteral("-y"), QStringLiteral("50"),
                 QStringLiteral("irssi --home=") + m_home})
           == 0;
}

void IrssiClient::type(const QString &command)
{
    // -l: the text literally, then Enter as a key.
    tmux({QStringLiteral("send-keys"), QStringLiteral("-t"), kSession, QStringLiteral("-l"), command});
    tmux({QStringLiteral("send-keys"), QStringLiteral("-t"), kSession, QStringLiteral("Enter")});
}

QString IrssiClient::shown(const QString &conversation)
{
    QByteArray screen;
    tmux({QStringLiteral("capture-pane"), QStringLiteral("-p"), QStringLiteral("-J"), QStringLiteral("-t"), kSession},
         &screen);
    // The status bar names the window shown, "[3:tktalk/alice]". Until it is the one wanted, ask
    // for it again: a query window appears only when the first private message has arrived.
    const QRegularExpression statusBar(
        QStringLiteral("\\[\\d+:tktalk/%1[\\](]").arg(QRegularExpression::escape(conversation)));
    if (!QString::fromUtf8(screen).contains(statusBar))
        type(QStringLiteral("/window goto ") + conversation);
    return QString::fromUtf8(screen);
}

bool IrssiClient::hasExited()
{
    return tmux({QStringLiteral("has-session"), QStringLiteral("-t"), kSession}) != 0;
}

// "12:00 <alice> text", where a space or a mode sign may precede the nick.
QRegularExpression IrssiClient::messageLine(const QString &from, const QString &text) const
{
    return QRegularExpression(
        QStringLiteral("<.?%1> %2\\s*$").arg(QRegularExpression::escape(from), QRegularExpression::escape(text)),
        QRegularExpression::MultilineOption);
}

// "[Users #lobby]", then the nicks in padded columns: "[ alice] [ ext  ]".
QRegularExpression IrssiClient::userListLine(const QStringList &nicks) const
{
    QStringList columns;
    for (const QString &nick : nicks)
        columns << QStringLiteral("\\[.%1 *\\]").arg(QRegularExpression::escape(nick));
    return QRegularExpression(QStringLiteral("\\[Users #lobby\\]\\s*\\n.*%1").arg(columns.join(QStringLiteral(" +"))),
                              QRegularExpression::MultilineOption);
}

// "-!- mode/#lobby [+o ext] by alice"
QRegularExpression IrssiClient::modeLine(const QString &by, const QString &modes) const
{
    return QRegularExpression(QStringLiteral("mode/#lobby \\[%1\\] by %2")
                                  .arg(QRegularExpression::escape(modes), QRegularExpression::escape(by)));
}

QRegularExpression IrssiClient::ownNickChangeLine(const QString &newNick) const
{
    return QRegularExpression(QStringLiteral("You're now known as %1").arg(QRegularExpression::escape(newNick)));
}

} // namespace tktalk::test
