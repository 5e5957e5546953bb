// Server operators: OPER, KILL, server bans (KLINE, UNKLINE, STATS k), WALLOPS, REHASH, SAMODE and
// PURGEHISTORY.
// Every operator action is written to the audit log (auditlog.h).

#include "commands.h"

#include "accounts/accountstore.h"
#include "accounts/authenticator.h"
#include "auditlog.h"
#include "channel.h"
#include "clientsession.h"
#include "logging.h"
#include "operprivileges.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "replies.h"
#include "server.h"
#include "serverbans.h"

#include <QDateTime>
#include <QPointer>

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

/// What an operator account may do: everything for one made with `tktalk account oper`, plus
/// what the configuration file's [opers] section grants it. Read at each use, so that a REHASH
/// that removes an operator takes effect at once.
OperPrivileges privilegesOf(Server &server, const std::optional<Account> &account)
{
    if (!account)
        return {};
    OperPrivileges privileges = account->isOperator ? kAllOperPrivileges : OperPrivileges();
    const auto entry = server.config().opers.constFind(protocol::foldCase(account->name));
    if (entry != server.config().opers.constEnd())
        privileges |= entry->privileges;
    return privileges;
}

bool isOperatorAccount(Server &server, const std::optional<Account> &account)
{
    return privilegesOf(server, account) != OperPrivileges();
}

/// 481 for anyone without user mode +o, or whose operator account lacks @p privilege.
bool isOperatorOrRefuse(ClientSession &client, OperPrivilege privilege)
{
    if (!client.isOperator()) {
        client.sendNumeric(Numeric::ERR_NOPRIVILEGES, {"Permission Denied- You're not an IRC operator"});
        return false;
    }
    Server &server = client.server();
    if (privilegesOf(server, server.accountStore().find(client.operAccount())).testFlag(privilege))
        return true;
    client.sendNumeric(Numeric::ERR_NOPRIVILEGES, {"Permission Denied- Your operator account lacks the "
                                                   + operPrivilegeName(privilege) + " privilege"});
    return false;
}

void audit(ClientSession &client, const QByteArray &action, const QByteArray &detail)
{
    client.server().auditLog().record(client.nick(), client.operAccount(), action, detail);
}

void grantOperator(ClientSession &client, const QByteArray &account)
{
    const bool already = client.isOperator();
    client.setOperAccount(account);
    client.sendNumeric(Numeric::RPL_YOUREOPER, {"You are now an IRC operator"});
    if (!already) {
        Outgoing change(Message("MODE", {client.nick(), "+o"}, client.prefix()));
        client.deliver(change); // to each of the user's sessions
    }
    audit(client, "OPER", "from " + client.host());
}

void finishOper(ClientSession &client, const AuthOutcome &outcome)
{
    switch (outcome.result) {
    case AuthOutcome::Result::Success: {
        // The flag is read again: it may have been turned off while the password was hashed.
        const std::optional<Account> account = client.server().accountStore().find(outcome.account);
        if (isOperatorAccount(client.server(), account)) {
            grantOperator(client, account->name);
            return;
        }
        client.sendNumeric(Numeric::ERR_NOOPERHOST, {"No operator account for you"});
        return;
    }
    case AuthOutcome::Result::Throttled:
        client.sendNumeric(Numeric::ERR_PASSWDMISMATCH,
                           {"Too many failed attempts; try again in "
                            + QByteArray::number((outcome.retryAfterMs + 999) / 1000) + " seconds"});
        return;
    case AuthOutcome::Result::Busy:
    case AuthOutcome::Result::Failed:
        client.sendFail("OPER", "TEMPORARILY_UNAVAILABLE", {"The server cannot check passwords now; try again"});
        return;
    default:
        qCInfo(lcOperators).noquote() << "Refused OPER by" << client.nick() << "from" << client.host()
                                      << ": wrong password";
        client.sendNumeric(Numeric::ERR_PASSWDMISMATCH, {"Password incorrect"});
        return;
    }
}

QByteArray expiryText(const ServerBan &ban)
{
    if (ban.expiresAtSecs == 0)
        return "permanent";
    return "until " + QDateTime::fromSecsSinceEpoch(ban.expiresAtSecs, Qt::UTC).toString(Qt::ISODate).toLatin1();
}

ServerBanSubject serverBanSubject(const ClientSession &client)
{
    return {client.prefix(), client.account(), client.peerAddress()};
}

/// 465, then the connection closed: what a server ban does to a connection it matches. A user on
/// several devices loses only the connections the ban matches (an address ban may match one).
void closeBanned(ClientSession &connection, const ServerBan &ban)
{
    connection.sendNumeric(Numeric::ERR_YOUREBANNEDCREEP, {"You are banned from this server: " + ban.reason});
    connection.close("K-Lined", "Closing Link: " + connection.host() + " (K-Lined: " + ban.reason + ")");
}

/// Disconnects every connection of a registered user that @p ban matches, operators excepted;
/// returns how many.
int enforce(ClientSession &client, const ServerBan &ban)
{
    QList<QPointer<ClientSession>> victims;
    for (ClientSession *user : client.server().registry().clientsByNick()) {
        // An operator is never locked out by a ban, so that one can always lift a ban too wide.
        if (!user->isRegistered() || user->isOperator())
            continue;
        user->forEachSession([&ban, &victims](ClientSession &session) {
            if (ServerBans::matches(ban, serverBanSubject(session)))
                victims << &session;
        });
    }
    for (const QPointer<ClientSession> &victim : std::as_const(victims)) {
        if (victim)
            closeBanned(*victim, ban);
    }
    return int(victims.size());
}

} // namespace

void grantOperatorIfOperAccount(ClientSession &client)
{
    if (client.account().isEmpty() || client.isOperator())
        return;
    const std::optional<Account> account = client.server().accountStore().find(client.account());
    if (isOperatorAccount(client.server(), account))
        grantOperator(client, account->name);
}

bool refuseIfServerBanned(ClientSession &client)
{
    const std::optional<ServerBan> ban =
        client.server().serverBans().match(serverBanSubject(client), QDateTime::currentSecsSinceEpoch());
    if (!ban)
        return false;
    if (!client.account().isEmpty()) {
        // Logged in to an operator account: admitted (and made an operator), as a ban never locks
        // out the operators who may lift it.
        const std::optional<Account> account = client.server().accountStore().find(client.account());
        if (isOperatorAccount(client.server(), account))
            return false;
    }
    qCInfo(lcOperators).noquote() << "Refused" << client.prefix() << "by the server ban on" << ban->mask;
    closeBanned(client, *ban);
    return true;
}

// OPER <account> <password>
void oper(ClientSession &client, const Message &message)
{
    const std::optional<Account> account = client.server().accountStore().find(message.params.at(0));
    if (!isOperatorAccount(client.server(), account)) {
        qCInfo(lcOperators).noquote() << "Refused OPER" << message.params.at(0) << "by" << client.nick() << "from"
                                      << client.host() << ": not an operator account";
        client.sendNumeric(Numeric::ERR_NOOPERHOST, {"No operator account for you"});
        return;
    }
    // Throttled per account and address like any login: OPER is no way around the lockout.
    client.server().authenticator().checkPassword(
        &client, account->name, message.params.at(1), client.peerAddress(),
        [&client, asking = client.askingSession()](const AuthOutcome &outcome) {
            if (client.state() == ClientSession::State::Closing)
                return;
            ClientSession::Acting acting(client, client.stillAsking(asking)); // answer the device that asked
            finishOper(client, outcome);
        });
}

// KILL <nick> :<comment>
void kill(ClientSession &client, const Message &message)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Kill))
        return;
    ClientSession *target = client.server().registry().findUser(message.params.at(0));
    if (!target) {
        replies::noSuchNick(client, message.params.at(0));
        return;
    }
    const QByteArray comment = protocol::truncateUtf8(message.params.at(1), protocol::kMaxKickBytes);
    audit(client, "KILL", target->nick() + " :" + comment);
    const QByteArray reason = "Killed (" + client.nick() + " (" + comment + "))";
    target->closeUser(reason, "Closing Link: " + target->host() + " (" + reason + ")");
}

// KLINE <mask> [<duration> [:<reason>]]   mask: nick!user@host, ~a:account, or address[/prefix]
void kline(ClientSession &client, const Message &message)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Ban))
        return;
    QByteArray why;
    const std::optional<QByteArray> mask = ServerBans::canonicalMask(message.params.at(0), &why);
    if (!mask) {
        client.sendFail("KLINE", "INVALID_MASK", {message.params.at(0), why});
        return;
    }
    const std::optional<qint64> duration = ServerBans::parseDuration(message.param(1).isEmpty() ? "0" : message.param(1));
    if (!duration) {
        client.sendFail("KLINE", "INVALID_DURATION",
                        {message.param(1), "Give seconds, or a duration like 1w2d3h4m5s; 0 for permanent"});
        return;
    }
    ServerBan ban;
    ban.mask = *mask;
    ban.reason = protocol::truncateUtf8(message.param(2), ServerBans::kMaxReasonBytes);
    if (ban.reason.isEmpty())
        ban.reason = "No reason given";
    ban.setBy = client.nick();
    ban.setAtSecs = QDateTime::currentSecsSinceEpoch();
    ban.expiresAtSecs = *duration == 0 ? 0 : ban.setAtSecs + *duration;
    if (!client.server().serverBans().add(ban)) {
        client.sendFail("KLINE", "STORE_FAILED", {ban.mask, "The ban could not be stored; nothing changed"});
        return;
    }
    audit(client, "KLINE", ban.mask + ' ' + QByteArray::number(*duration) + " :" + ban.reason);
    client.send(Message("NOTICE", {client.nick(), "Added K-line on " + ban.mask + " (" + expiryText(ban) + "): " + ban.reason},
                        client.server().name()));
    const int disconnected = enforce(client, ban);
    if (disconnected > 0 && client.state() != ClientSession::State::Closing)
        client.send(Message("NOTICE", {client.nick(), "Disconnected " + QByteArray::number(disconnected)
                                                          + " connection(s) matching " + ban.mask},
                            client.server().name()));
}

// UNKLINE <mask>
void unkline(ClientSession &client, const Message &message)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Ban))
        return;
    QByteArray why;
    const std::optional<QByteArray> mask = ServerBans::canonicalMask(message.params.at(0), &why);
    if (!mask || !client.server().serverBans().remove(*mask)) {
        client.sendFail("UNKLINE", "NO_SUCH_BAN", {message.params.at(0), "There is no K-line on that mask"});
        return;
    }
    audit(client, "UNKLINE", *mask);
    client.send(Message("NOTICE", {client.nick(), "Removed K-line on " + *mask}, client.server().name()));
}

// PURGEHISTORY <account>
void purgeHistory(ClientSession &client, const Message &message)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Ban))
        return;
    const QByteArray account = message.params.at(0);
    History &history = client.server().history();
    if (!history.isOn()) {
        client.sendFail("PURGEHISTORY", "HISTORY_OFF", {"This server keeps no history"});
        return;
    }
    audit(client, "PURGEHISTORY", account);
    client.holdForReply();
    history.store().removeFromAccount(account, &client, [&client, account](const HistoryPurgeResult &result) {
        client.releaseWithReply([&] {
            if (!result.error.isEmpty())
                client.sendFail("PURGEHISTORY", "TEMPORARILY_UNAVAILABLE",
                                {account, "The history could not be changed: " + result.error.toUtf8()});
            else
                client.send(Message("NOTICE", {client.nick(), "Removed " + QByteArray::number(result.removed)
                                                                  + " message(s) of account " + account + " from the history"},
                                    client.server().name()));
        });
    });
}

// STATS <query>   (k: the server bans, for operators; other queries are answered with 219 alone)
void stats(ClientSession &client, const Message &message)
{
    const QByteArray query = message.params.at(0).left(1);
    if (query == "k" || query == "K") {
        if (!isOperatorOrRefuse(client, OperPrivilege::Ban))
            return;
        for (const ServerBan &ban : client.server().serverBans().active(QDateTime::currentSecsSinceEpoch())) {
            client.sendNumeric(Numeric::RPL_STATSKLINE,
                               {"K", ban.mask, QByteArray::number(ban.setAtSecs),
                                QByteArray::number(ban.expiresAtSecs), ban.setBy, ban.reason});
        }
    }
    client.sendNumeric(Numeric::RPL_ENDOFSTATS,
                       {query.isEmpty() || query == ":" ? QByteArrayLiteral("*") : query, "End of /STATS report"});
}

// WALLOPS :<text>
void wallops(ClientSession &client, const Message &message)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Wallops))
        return;
    const QByteArray &text = message.params.at(0);
    if (text.isEmpty()) {
        replies::needMoreParams(client, message.command);
        return;
    }
    audit(client, "WALLOPS", text);
    Outgoing wallop(Message("WALLOPS", {text}, client.prefix()), client.account());
    for (ClientSession *user : client.server().registry().clientsByNick()) {
        if (user->isRegistered() && user->receivesWallops())
            user->deliver(wallop);
    }
}

// REHASH
void rehash(ClientSession &client, const Message &)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Rehash))
        return;
    audit(client, "REHASH", {});
    client.sendNumeric(Numeric::RPL_REHASHING, {client.server().configurationName(), "Rehashing"});
    for (const QString &line : client.server().reload(QStringLiteral("REHASH by ") + QString::fromUtf8(client.nick())))
        client.send(Message("NOTICE", {client.nick(), "REHASH: " + line.toUtf8()}, client.server().name()));
}

// SAMODE <channel> <modestring> [<arguments>...]
void samode(ClientSession &client, const Message &message)
{
    if (!isOperatorOrRefuse(client, OperPrivilege::Samode))
        return;
    // A server operator sees every channel, secret or not.
    Channel *channel = client.server().registry().findChannel(message.params.at(0));
    if (!channel) {
        replies::noSuchChannel(client, message.params.at(0));
        return;
    }
    audit(client, "SAMODE", message.params.join(' '));
    channelMode(client, *channel, message, ModeAuthority::ServerOperator);
}

} // namespace tktalk::server::commands
