// ChatSession, continued: accounts. Capability negotiation, SASL PLAIN login and REGISTER, as
// docs/SECURITY.md describes them (IRCv3 sasl and draft/account-registration). With a password the
// session logs in or fails with the reason; it never goes on as a guest behind the user's back.

#include "chatsession.h"

#include "saslplain.h"

#include <optional>

namespace tktalk::client {

using protocol::Message;

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

/// The value of capability @p name in a CAP LS 302 list ("sasl=PLAIN,EXTERNAL"), empty when it has
/// none, nothing when the server does not offer it.
std::optional<QByteArray> capValue(const QByteArrayList &caps, const QByteArray &name)
{
    for (const QByteArray &cap : caps) {
        if (cap == name)
            return QByteArray();
        if (cap.startsWith(name + '='))
            return cap.mid(name.size() + 1);
    }
    return std::nullopt;
}

/// The server's reason without the protocol's prefix, which says nothing to a user.
QString reasonText(const QByteArray &reason)
{
    QByteArray shown = reason;
    if (shown.startsWith("SASL authentication failed: "))
        shown = shown.mid(28);
    return text(shown);
}

} // namespace

void ChatSession::setAccount(const QString &account)
{
    if (m_account == account)
        return;
    m_account = account;
    Q_EMIT accountChanged();
    Q_EMIT statusTextChanged();
}

void ChatSession::failLogin(const QString &why)
{
    m_connection.abort();
    m_reconnectTimer.stop();
    if (m_inChat)
        system(why, MessageModel::Kind::Error);
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->setJoined(false);
    refreshRoom();
    setAccount({});
    setInChat(false);
    setState(State::Disconnected);
    setError(why);
}

void ChatSession::onCap(const Message &message)
{
    // CAP <me> LS [*] :<caps>   CAP <me> ACK :<caps>   CAP <me> NAK :<caps>
    const QByteArray &sub = message.param(1);
    if (sub == "LS") {
        const bool more = message.param(2) == "*";
        const QByteArrayList caps = message.param(more ? 3 : 2).split(' ');
        for (const QByteArray &cap : caps) {
            if (!cap.isEmpty())
                m_serverCaps.insert(cap);
        }
        if (more || m_registered)
            return;
        // multi-prefix: every prefix of each member in NAMES, so that taking +o from someone with +v
        // leaves the +v. server-time: the time each message was sent, so that the lines a server
        // replays on joining (its history) show when they were said, not when they arrived.
        // message-tags: their msgid, so that a replayed line already shown is not shown again.
        // draft/chathistory and batch: each conversation's history, asked for when it opens.
        QByteArrayList wanted;
        // draft/read-marker: how far the user read each conversation, on any of their devices.
        // away-notify: who goes away and comes back, for the member lists.
        for (const char *cap : {"multi-prefix", "server-time", "message-tags", "batch", "draft/chathistory",
                                "draft/read-marker", "away-notify"}) {
            if (m_serverCaps.contains(cap))
                wanted << cap;
        }
        if (!wanted.isEmpty())
            m_connection.send(Message("CAP", {"REQ", wanted.join(' ')}));
        const QByteArrayList all(m_serverCaps.cbegin(), m_serverCaps.cend());
        if (m_password.isEmpty()) {
            m_connection.send(Message("CAP", {"END"}));
        } else if (m_createAccount) {
            if (!capValue(all, "draft/account-registration")) {
                failLogin(tr("This server does not let you create accounts here. Ask its administrator for one."));
                return;
            }
            // Before CAP END, so that the new account is logged in when registration completes.
            m_connection.send(Message("REGISTER", {m_wantedNick.toUtf8(), "*", m_password.toUtf8()}));
        } else {
            const std::optional<QByteArray> mechanisms = capValue(all, "sasl");
            if (!mechanisms || (!mechanisms->isEmpty() && !mechanisms->split(',').contains("PLAIN"))) {
                failLogin(tr("The server does not support logging in with a password. Leave the password empty "
                             "to join as a guest."));
                return;
            }
            m_connection.send(Message("CAP", {"REQ", "sasl"}));
        }
    } else if (sub == "ACK") {
        const QByteArrayList acknowledged = message.param(2).split(' ');
        if (acknowledged.contains("draft/chathistory") && acknowledged.contains("batch"))
            m_historyLoader.setAvailable(true);
        if (acknowledged.contains("draft/read-marker"))
            m_readMarkers = true;
        if (acknowledged.contains("sasl") && !m_password.isEmpty())
            m_connection.send(Message("AUTHENTICATE", {"PLAIN"}));
    } else if (sub == "NAK" && !m_registered && !m_password.isEmpty() && message.param(2).split(' ').contains("sasl")) {
        failLogin(tr("The server refused to start a password login."));
    }
}

void ChatSession::onAccountMessage(const Message &message)
{
    const QByteArray &command = message.command;
    const QByteArray last = message.params.value(message.params.size() - 1);
    if (command == "AUTHENTICATE") {
        if (message.param(0) == "+" && !m_password.isEmpty()) {
            for (const QByteArray &line : saslPlainLines(m_wantedNick, m_password))
                m_connection.send(Message("AUTHENTICATE", {line}));
        }
    } else if (command == "900") {
        // 900 <me> <nick!user@host> <account> :You are now logged in as <account>
        setAccount(text(message.param(2)));
    } else if (command == "901") {
        setAccount({});
    } else if (command == "903" || command == "907") {
        if (!m_registered)
            m_connection.send(Message("CAP", {"END"}));
    } else if (command == "904" || command == "902" || command == "905" || command == "906") {
        if (!m_registered)
            failLogin(tr("Could not log in as %1: %2.").arg(m_wantedNick, reasonText(last)));
    } else if (command == "908") {
        if (!m_registered)
            failLogin(tr("The server does not accept password logins (it offers %1).").arg(text(message.param(1))));
    } else if (command == "REGISTER" || command == "FAIL") {
        onRegisterReply(message);
    }
}

void ChatSession::onRegisterReply(const Message &message)
{
    // REGISTER SUCCESS <account> :<text>   FAIL REGISTER <code> <account> :<text>
    // FAIL * ACCOUNT_REQUIRED :<text>
    const QString detail = text(message.params.value(message.params.size() - 1));
    if (message.command == "REGISTER") {
        if (message.param(0) == "SUCCESS") {
            // Logged in now (900 said so); reconnects log in with SASL like any later visit.
            m_createAccount = false;
            if (!m_registered)
                m_connection.send(Message("CAP", {"END"}));
        } else {
            failLogin(tr("The account was not created: %1").arg(detail));
        }
        return;
    }
    const QByteArray &code = message.param(1);
    if (code == "ACCOUNT_REQUIRED") {
        failLogin(tr("This server admits only users with an account: enter your password, or tick \"Create "
                     "account\" to make one."));
        return;
    }
    if (message.param(0) != "REGISTER") {
        if (m_registered)
            system(detail, MessageModel::Kind::Error);
        else
            setError(detail);
        return;
    }
    const QString account = text(message.param(2));
    QString why;
    if (code == "ACCOUNT_EXISTS")
        why = tr("The account %1 already exists. To log in to it, untick \"Create account\".").arg(account);
    else if (code == "BAD_ACCOUNT_NAME")
        why = tr("%1 cannot be an account name: %2").arg(account, detail);
    else if (code == "WEAK_PASSWORD" || code == "UNACCEPTABLE_PASSWORD")
        why = tr("The server did not accept that password: %1").arg(detail);
    else if (code == "TEMPORARILY_UNAVAILABLE")
        why = tr("The server cannot create accounts right now: %1").arg(detail);
    else
        why = tr("The account was not created: %1").arg(detail);
    if (m_registered)
        system(why, MessageModel::Kind::Error);
    else
        failLogin(why);
}

} // namespace tktalk::client
