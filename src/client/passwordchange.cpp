#include "passwordchange.h"

#include "irctext.h"

namespace tktalk::client {

using protocol::Message;

namespace {

constexpr QLatin1String kNickServ("NickServ");

} // namespace

PasswordChange::PasswordChange(IrcConnection &connection, NetworkState &network, Registration &registration,
                               QObject *parent)
    : QObject(parent), m_connection(connection), m_network(network), m_registration(registration)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(kAnswerTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(false, tr("The server did not answer; the password may not have changed."));
    });
    connect(&m_connection, &IrcConnection::messageReceived, this, &PasswordChange::onMessage);
    connect(&m_connection, &IrcConnection::closed, this, [this] {
        if (busy())
            finish(false, tr("The connection ended before the server answered; the password may not have changed."));
    });
}

QString PasswordChange::change(const QString &newPassword, const QString &repeated)
{
    if (busy())
        return tr("The last change is still waiting for the server's answer.");
    if (!m_connection.isEstablished() || !m_registration.isRegistered())
        return tr("Not connected to the server.");
    if (m_network.account().isEmpty())
        return tr("You are a guest: only an account has a password to change.");
    if (newPassword.isEmpty())
        return tr("Enter the new password.");
    // NickServ takes the password as one word: spaces would make it another command.
    for (const QChar character : newPassword) {
        if (character.isSpace() || character.category() == QChar::Other_Control)
            return tr("The password cannot contain spaces or line breaks.");
    }
    if (repeated != newPassword)
        return tr("The two passwords differ: type the new one twice alike.");
    m_pending = newPassword;
    m_resultText.clear();
    m_succeeded = false;
    m_connection.send(Message("PRIVMSG", {QByteArray("NickServ"), "SET PASSWORD " + newPassword.toUtf8()}));
    m_timeout.start();
    Q_EMIT stateChanged();
    return {};
}

void PasswordChange::clearResult()
{
    if (m_resultText.isEmpty())
        return;
    m_resultText.clear();
    m_succeeded = false;
    Q_EMIT stateChanged();
}

void PasswordChange::onMessage(const Message &message)
{
    // NOTICE <me> :<text> from NickServ: its first answer after the request is the one to it.
    if (!busy() || message.command != "NOTICE" || m_network.fold(ircText(message.sourceNick())) != m_network.fold(kNickServ)
        || !m_network.isSelf(ircText(message.param(0))))
        return;
    const QString text = lastParamText(message);
    // "The password of <account> is changed"
    if (text.startsWith(QLatin1String("The password of ")) && text.endsWith(QLatin1String(" is changed"))) {
        m_registration.setPassword(m_pending);
        finish(true, tr("Your password is changed. Use the new one from now on."));
    } else {
        finish(false, tr("The password was not changed: %1").arg(text));
    }
}

void PasswordChange::finish(bool succeeded, const QString &text)
{
    m_timeout.stop();
    m_pending.fill(QChar(0));
    m_pending.clear();
    m_succeeded = succeeded;
    m_resultText = text;
    Q_EMIT stateChanged();
    Q_EMIT finished(succeeded);
}

} // namespace tktalk::client
