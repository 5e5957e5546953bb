#include "registration.h"

#include "irctext.h"
#include "saslplain.h"

#include <QRandomGenerator>

namespace tktalk::client {

using protocol::Message;

namespace {

/// The server's reason without the protocol's prefix, which says nothing to a user.
QString reasonText(const QByteArray &reason)
{
    QByteArray shown = reason;
    if (shown.startsWith("SASL authentication failed: "))
        shown = shown.mid(28);
    return ircText(shown);
}

} // namespace

Registration::Registration(IrcConnection &connection, NetworkState &network, QObject *parent)
    : QObject(parent), m_connection(connection), m_network(network)
{
}

void Registration::setLogin(const LoginRequest &login)
{
    m_login = login;
    m_login.createAccount = login.createAccount && !login.password.isEmpty();
}

void Registration::begin()
{
    m_registered = false;
    m_nickAttempts = 0;
    // CAP LS first: a server that knows CAP then waits for CAP END; one that does not ignores it or answers
    // 421, and registration goes on with NICK and USER either way.
    m_connection.send(Message("CAP", {"LS", "302"}));
    // PASS before NICK and USER (RFC 2812 3.1.1); the server checks it when registration completes,
    // and before a SASL login or REGISTER.
    if (!m_login.serverPassword.isEmpty())
        m_connection.send(Message("PASS", {m_login.serverPassword.toUtf8()}));
    m_connection.send(Message("NICK", {m_network.nick().toUtf8()}));
    m_connection.send(Message("USER", {"tktalk", "0", "*", "tktalk user"}));
}

bool Registration::handle(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "CAP") {
        onCap(message);
    } else if (command == "AUTHENTICATE" || command == "REGISTER"
               || (command == "FAIL" && message.param(0) != "CHATHISTORY")
               || (command.size() == 3 && command.startsWith('9'))) {
        onAccountNumeric(message);
    } else if (command == "001") {
        onWelcome(message);
    } else if (command == "433") {
        onNickInUse(message);
    } else if (command == "432" && !m_registered) {
        if (m_nickAttempts > 0 && m_network.nickLength() > NetworkState::kShortestNickLength) {
            // The suffixed name may be longer than this server allows (NICKLEN comes only after
            // login): try again within the 9 characters every server accepts.
            m_network.limitNickLength();
            --m_nickAttempts;
            onNickInUse(message);
        } else {
            Q_EMIT failed(tr("Nickname invalid: the server refused \"%1\" (%2).")
                              .arg(ircText(message.param(1)), lastParamText(message)));
        }
    } else if (command == "464" && !m_registered) {
        // ERR_PASSWDMISMATCH during login: the server's own password (PASS), not the account's. After
        // login it answers OPER, and is the chat's to show.
        Q_EMIT failed(serverPasswordProblem());
    } else if (command == "ERROR" && !m_registered) {
        Q_EMIT problem(tr("The server refused the login: %1").arg(ircText(message.param(0))));
    } else if (command == "421" && message.param(1) == "CAP") {
        // A server without CAP: registration goes on without it.
    } else {
        return false;
    }
    return true;
}

QString Registration::serverPasswordProblem() const
{
    return m_login.serverPassword.isEmpty()
               ? tr("This server needs a server password: enter it under \"Advanced\".")
               : tr("The server password is wrong.");
}

void Registration::onWelcome(const Message &message)
{
    if (!m_login.password.isEmpty() && m_network.account().isEmpty()) {
        // A server without CAP: it never saw the password, and we must not stay as a guest.
        Q_EMIT failed(tr("The server does not support accounts. Leave the password empty to join as a guest."));
        return;
    }
    m_registered = true;
    m_network.setNick(ircText(message.param(0)));
    Q_EMIT registered();
    // tktalk (docs/PROTOCOL.md, "Several devices, one account") gives a connection that logs in while
    // registering the account's nickname, whatever NICK said; the user asked for another one.
    const QString nick = m_network.nick();
    if (!m_login.account.isEmpty() && !m_network.isSelf(m_login.nick) && m_network.isSelf(m_login.account)) {
        Q_EMIT report(tr("This server gives you your account's nickname, %1, instead of %2. To use %2, type "
                         "/nick %2")
                          .arg(nick, m_login.nick),
                      MessageModel::Kind::System);
    }
}

void Registration::onNickInUse(const Message &message)
{
    const QString taken = ircText(message.param(1));
    if (m_registered) {
        Q_EMIT report(tr("The nickname %1 is already in use.").arg(taken), MessageModel::Kind::Error);
        return;
    }
    if (++m_nickAttempts > kMaxNickAttempts) {
        Q_EMIT failed(tr("Every nickname tried was taken; choose another one."));
        return;
    }
    // As the first tktalk did: the wanted name plus a random four-digit number.
    const QString suffix = QString::number(QRandomGenerator::global()->bounded(1000, 10000));
    const QString candidate = m_login.nick.left(m_network.nickLength() - suffix.size()) + suffix;
    m_network.setNick(candidate);
    m_connection.send(Message("NICK", {candidate.toUtf8()}));
}

void Registration::endNegotiation()
{
    if (!m_registered)
        m_connection.send(Message("CAP", {"END"}));
}

void Registration::onCap(const Message &message)
{
    // CAP <me> LS [*] :<caps>   CAP <me> ACK :<caps>   CAP <me> NAK :<caps>
    const QByteArray &sub = message.param(1);
    if (sub == "LS") {
        const bool more = message.param(2) == "*";
        m_network.addOffered(message.param(more ? 3 : 2).split(' '));
        if (more || m_registered)
            return;
        // multi-prefix: every prefix of each member in NAMES, so that taking +o from someone with +v
        // leaves the +v. server-time: the time each message was sent, so that the lines a server
        // replays on joining (its history) show when they were said, not when they arrived.
        // message-tags: their msgid, so that a replayed line already shown is not shown again.
        // draft/chathistory and batch: each conversation's history, asked for when it opens.
        // draft/read-marker: how far the user read each conversation, on any of their devices.
        // away-notify: who goes away and comes back, for the member lists.
        QByteArrayList wanted;
        for (const char *cap : {"multi-prefix", "server-time", "message-tags", "batch", "draft/chathistory",
                                "draft/read-marker", "away-notify"}) {
            if (m_network.offered(cap))
                wanted << cap;
        }
        if (!wanted.isEmpty())
            m_connection.send(Message("CAP", {"REQ", wanted.join(' ')}));
        if (m_login.password.isEmpty()) {
            endNegotiation();
        } else if (m_login.createAccount) {
            if (!m_network.offered("draft/account-registration")) {
                Q_EMIT failed(tr("This server does not let you create accounts here. Ask its administrator for one."));
                return;
            }
            // Before CAP END, so that the new account is logged in when registration completes.
            m_connection.send(
                Message("REGISTER", {m_login.accountName().toUtf8(), "*", m_login.password.toUtf8()}));
        } else {
            const std::optional<QByteArray> mechanisms = m_network.offered("sasl");
            if (!mechanisms || (!mechanisms->isEmpty() && !mechanisms->split(',').contains("PLAIN"))) {
                Q_EMIT failed(tr("The server does not support logging in with a password. Leave the password "
                                 "empty to join as a guest."));
                return;
            }
            m_connection.send(Message("CAP", {"REQ", "sasl"}));
        }
    } else if (sub == "ACK") {
        const QByteArrayList acknowledged = message.param(2).split(' ');
        m_network.addAcknowledged(acknowledged);
        if (acknowledged.contains("sasl") && !m_login.password.isEmpty())
            m_connection.send(Message("AUTHENTICATE", {"PLAIN"}));
    } else if (sub == "NAK" && !m_registered && !m_login.password.isEmpty() && message.param(2).split(' ').contains("sasl")) {
        Q_EMIT failed(tr("The server refused to start a password login."));
    }
}

void Registration::onAccountNumeric(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "AUTHENTICATE") {
        if (message.param(0) == "+" && !m_login.password.isEmpty()) {
            for (const QByteArray &line : saslPlainLines(m_login.accountName(), m_login.password))
                m_connection.send(Message("AUTHENTICATE", {line}));
        }
    } else if (command == "900") {
        // 900 <me> <nick!user@host> <account> :You are now logged in as <account>
        m_network.setAccount(ircText(message.param(2)));
    } else if (command == "901") {
        m_network.setAccount({});
    } else if (command == "903" || command == "907") {
        endNegotiation();
    } else if (command == "904" || command == "902" || command == "905" || command == "906") {
        if (m_registered)
            return;
        const QByteArray reason = message.params.value(message.params.size() - 1);
        // tktalk checks the server password before the account's: say which one was at fault.
        if (command == "904" && reason.contains("server password"))
            Q_EMIT failed(serverPasswordProblem());
        else
            Q_EMIT failed(tr("Could not log in as %1: %2.").arg(m_login.accountName(), reasonText(reason)));
    } else if (command == "908") {
        if (!m_registered)
            Q_EMIT failed(tr("The server does not accept password logins (it offers %1).").arg(ircText(message.param(1))));
    } else if (command == "REGISTER" || command == "FAIL") {
        onRegisterReply(message);
    }
}

void Registration::onRegisterReply(const Message &message)
{
    // REGISTER SUCCESS <account> :<text>   FAIL REGISTER <code> <account> :<text>
    // FAIL * ACCOUNT_REQUIRED :<text>
    const QString detail = lastParamText(message);
    if (message.command == "REGISTER") {
        if (message.param(0) == "SUCCESS") {
            // Logged in now (900 said so); reconnects log in with SASL like any later visit.
            m_login.createAccount = false;
            endNegotiation();
        } else {
            Q_EMIT failed(tr("The account was not created: %1").arg(detail));
        }
        return;
    }
    const QByteArray &code = message.param(1);
    if (code == "ACCOUNT_REQUIRED") {
        Q_EMIT failed(tr("This server admits only users with an account: enter your password, or tick \"Create "
                         "account\" to make one."));
        return;
    }
    if (message.param(0) != "REGISTER") {
        if (m_registered)
            Q_EMIT report(detail, MessageModel::Kind::Error);
        else
            Q_EMIT problem(detail);
        return;
    }
    const QString account = ircText(message.param(2));
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
        Q_EMIT report(why, MessageModel::Kind::Error);
    else
        Q_EMIT failed(why);
}

} // namespace tktalk::client
