// Who is who: WHO (and WHOX), WHOIS, WHOWAS, USERHOST, ISON, AWAY, SETNAME.

#include "commands.h"

#include "channel.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "replies.h"
#include "server.h"
#include "whox.h"

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

constexpr int kMaxUserhostNicks = 5;

bool sharesChannel(const ClientSession &a, const ClientSession &b)
{
    return std::any_of(a.channels().begin(), a.channels().end(), [&b](const Channel *c) { return b.isIn(c); });
}

/// 352 for @p user; in a channel's list, its flags carry its prefix there.
void sendWhoReply(ClientSession &client, const QByteArray &channelField, const ClientSession &user,
                  const Channel *channel = nullptr)
{
    client.sendNumeric(Numeric::RPL_WHOREPLY, {channelField, user.user(), user.host(), client.server().name(),
                                               user.nick(), whoFlags(client, user, channel), "0 " + user.realName()});
}

} // namespace

void tellPeersWith(ClientSession &client, Capability capability, const Message &message, bool includingSelf)
{
    Outgoing notice(message, client.account());
    auto tell = [&notice, capability](ClientSession &peer) { peer.deliverIfCapable(capability, notice); };
    if (includingSelf)
        tell(client);
    client.server().registry().forEachPeer(client, tell);
}

// WHO [<mask> [[<flags>]%<fields>[,<token>]]]
void who(ClientSession &client, const Message &message)
{
    QByteArray mask = message.param(0);
    if (mask.isEmpty() || mask == "0")
        mask = "*";
    const std::optional<WhoxQuery> whox = parseWhox(message.param(1));
    if (whox && !hasValidToken(*whox)) {
        client.sendFail("WHO", "INVALID_PARAMS", {replies::middleParam(message.param(1)),
                                                  "A WHOX token must be one to three digits"});
        client.sendNumeric(Numeric::RPL_ENDOFWHO, {mask, "End of /WHO list."});
        return;
    }
    auto reply = [&client, &whox](const QByteArray &channelField, const ClientSession &user, const Channel *channel) {
        if (whox)
            sendWhoxReply(client, *whox, user, channel);
        else
            sendWhoReply(client, channelField, user, channel);
    };
    Registry &registry = client.server().registry();
    if (protocol::isChannelName(mask)) {
        const Channel *channel = registry.findChannel(mask);
        if (channel && access::canSee(*channel, client)) {
            for (const ClientSession *member : channel->members()) {
                if (access::isListedTo(*channel, *member, client))
                    reply(channel->name(), *member, channel);
            }
        }
    } else {
        for (ClientSession *user : registry.clientsByNick()) {
            if (!user->isRegistered() || !protocol::matchesMask(mask, user->nick()))
                continue;
            // +i users are listed only to themselves and to those they share a channel with.
            if (user->isInvisible() && user != &client && !sharesChannel(*user, client))
                continue;
            reply("*", *user, nullptr);
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
            replies << user->nick() + (user->isOperator() ? "*=" : "=") + (user->awayMessage().isEmpty() ? '+' : '-') + user->user() + '@' + user->host();
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
    const bool changed = text != client.awayMessage();
    if (text.isEmpty()) {
        client.setAwayMessage({});
        client.sendNumeric(Numeric::RPL_UNAWAY, {"You are no longer marked as being away"});
    } else {
        client.setAwayMessage(text);
        client.sendNumeric(Numeric::RPL_NOWAWAY, {"You have been marked as being away"});
    }
    // away-notify: going away, coming back, or a new message; saying the same again is no news.
    if (changed) {
        const QByteArrayList params = text.isEmpty() ? QByteArrayList() : QByteArrayList{text};
        tellPeersWith(client, Capability::AwayNotify, Message("AWAY", params, client.prefix()), false);
    }
}

// SETNAME :<realname>
void setname(ClientSession &client, const Message &message)
{
    const QByteArray &realName = message.params.at(0);
    if (realName.isEmpty() || realName.size() > protocol::kMaxRealNameBytes) {
        client.sendFail("SETNAME", "INVALID_REALNAME",
                        {"Realname is not valid: it must be 1 to " + QByteArray::number(protocol::kMaxRealNameBytes)
                         + " bytes"});
        return;
    }
    client.setRealName(realName);
    // Those who asked for setname, the sender among them, see the change; a client that did not
    // ask gets no reply, as the specification wants.
    tellPeersWith(client, Capability::SetName, Message("SETNAME", {realName}, client.prefix()), true);
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
