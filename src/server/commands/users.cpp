// Who is who: WHO, WHOIS, WHOWAS, USERHOST, ISON, AWAY, and KILL (refused).

#include "commands.h"

#include "channel.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "server.h"

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

constexpr int kMaxUserhostNicks = 5;

bool sharesChannel(const ClientSession &a, const ClientSession &b)
{
    return std::any_of(a.channels().begin(), a.channels().end(), [&b](const Channel *c) { return b.isIn(c); });
}

/// 352 for @p user; in a channel's list, its flags carry its prefix there ("H@", or "H@+" with
/// multi-prefix).
void sendWhoReply(ClientSession &client, const QByteArray &channelField, const ClientSession &user,
                  const Channel *channel = nullptr)
{
    QByteArray flags = user.awayMessage().isEmpty() ? "H" : "G";
    if (channel)
        flags += channel->prefixOf(&user, client.hasCapability(Capability::MultiPrefix));
    client.sendNumeric(Numeric::RPL_WHOREPLY, {channelField, user.user(), user.host(), client.server().name(),
                                               user.nick(), flags, "0 " + user.realName()});
}

} // namespace

// WHO [<mask>]
void who(ClientSession &client, const Message &message)
{
    QByteArray mask = message.param(0);
    if (mask.isEmpty() || mask == "0")
        mask = "*";
    Registry &registry = client.server().registry();
    if (protocol::isChannelName(mask)) {
        const Channel *channel = registry.findChannel(mask);
        if (channel && access::canSee(*channel, client)) {
            for (const ClientSession *member : channel->members()) {
                if (access::isListedTo(*channel, *member, client))
                    sendWhoReply(client, channel->name(), *member, channel);
            }
        }
    } else {
        for (ClientSession *user : registry.clientsByNick()) {
            if (!user->isRegistered() || !protocol::matchesMask(mask, user->nick()))
                continue;
            // +i users are listed only to themselves and to those they share a channel with.
            if (user->isInvisible() && user != &client && !sharesChannel(*user, client))
                continue;
            sendWhoReply(client, "*", *user);
        }
    }
    client.sendNumeric(Numeric::RPL_ENDOFWHO, {mask, "End of /WHO list."});
}

// WHOIS [<server>] <nick>
void whois(ClientSession &client, const Message &message)
{
    const QByteArray nick = message.params.size() >= 2 ? message.params.at(1) : message.params.at(0);
    const ClientSession *user = client.server().registry().findUser(nick);
    if (!user) {
        client.sendNumeric(Numeric::ERR_NOSUCHNICK, {nick, "No such nick/channel"});
        client.sendNumeric(Numeric::RPL_ENDOFWHOIS, {nick, "End of /WHOIS list."});
        return;
    }
    Server &server = client.server();
    client.sendNumeric(Numeric::RPL_WHOISUSER, {user->nick(), user->user(), user->host(), "*", user->realName()});
    // Each channel with the user's highest prefix there; secret ones only to those who share them.
    QByteArrayList channelNames;
    for (const Channel *channel : user->channels()) {
        if (access::canSee(*channel, client) || user == &client)
            channelNames << channel->prefixOf(user, false) + channel->name();
    }
    if (!channelNames.isEmpty())
        client.sendNumeric(Numeric::RPL_WHOISCHANNELS, {user->nick(), channelNames.join(' ')});
    client.sendNumeric(Numeric::RPL_WHOISSERVER, {user->nick(), server.name(), server.config().networkName + " server"});
    if (user->isOperator())
        client.sendNumeric(Numeric::RPL_WHOISOPERATOR, {user->nick(), "is an IRC operator"});
    if (!user->awayMessage().isEmpty())
        client.sendNumeric(Numeric::RPL_AWAY, {user->nick(), user->awayMessage()});
    client.sendNumeric(Numeric::RPL_WHOISSECURE, {user->nick(), "is using a secure connection"});
    if (!user->account().isEmpty())
        client.sendNumeric(Numeric::RPL_WHOISACCOUNT, {user->nick(), user->account(), "is logged in as"});
    client.sendNumeric(Numeric::RPL_WHOISIDLE, {user->nick(), QByteArray::number(user->idleSecs()),
                                                QByteArray::number(user->connectedAtSecs()),
                                                "seconds idle, signon time"});
    client.sendNumeric(Numeric::RPL_ENDOFWHOIS, {user->nick(), "End of /WHOIS list."});
}

// USERHOST <nick>{ <nick>}
void userhost(ClientSession &client, const Message &message)
{
    QByteArrayList replies;
    Registry &registry = client.server().registry();
    for (const QByteArray &nick : message.params.mid(0, kMaxUserhostNicks)) {
        if (const ClientSession *user = registry.findUser(nick))
            replies << user->nick() + '=' + (user->awayMessage().isEmpty() ? '+' : '-') + user->user() + '@' + user->host();
    }
    client.sendNumeric(Numeric::RPL_USERHOST, {replies.join(' ')});
}

// ISON <nick>{ <nick>}
void ison(ClientSession &client, const Message &message)
{
    QByteArrayList online;
    Registry &registry = client.server().registry();
    for (const QByteArray &param : message.params) {
        for (const QByteArray &nick : param.split(' ')) {
            if (const ClientSession *user = registry.findUser(nick))
                online << user->nick();
        }
    }
    client.sendNumeric(Numeric::RPL_ISON, {online.join(' ')});
}

// AWAY [:<message>]
void away(ClientSession &client, const Message &message)
{
    QByteArray text = message.param(0).left(protocol::kMaxAwayBytes);
    if (text.isEmpty()) {
        client.setAwayMessage({});
        client.sendNumeric(Numeric::RPL_UNAWAY, {"You are no longer marked as being away"});
    } else {
        client.setAwayMessage(text);
        client.sendNumeric(Numeric::RPL_NOWAWAY, {"You have been marked as being away"});
    }
}

// WHOWAS <nick>{,<nick>} [<count>]
void whowas(ClientSession &client, const Message &message)
{
    // tktalk keeps no record of who was online once they leave.
    for (const QByteArray &nick : message.params.at(0).split(',')) {
        if (!nick.isEmpty())
            client.sendNumeric(Numeric::ERR_WASNOSUCHNICK, {nick, "There was no such nickname"});
    }
    client.sendNumeric(Numeric::RPL_ENDOFWHOWAS, {message.params.at(0), "End of WHOWAS"});
}

} // namespace tktalk::server::commands
