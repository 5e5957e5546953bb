// Channels: JOIN, PART, TOPIC, NAMES, LIST, KICK, INVITE, and MODE (channel and user modes).

#include "commands.h"

#include "channel.h"
#include "clientsession.h"
#include "logging.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "server.h"

#include <QDateTime>

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

qint64 nowSecs()
{
    return QDateTime::currentSecsSinceEpoch();
}

void leaveChannel(ClientSession &client, Channel *channel, const QByteArray &reason)
{
    QByteArrayList params{channel->name()};
    if (!reason.isEmpty())
        params << reason;
    Outgoing partMessage(Message("PART", params, client.prefix()));
    channel->broadcast(partMessage);
    channel->removeMember(&client);
    client.removeChannel(channel);
    client.server().registry().removeChannelIfEmpty(channel);
}

/// Sends 353 lines for @p members, as many names per line as fit the line limit.
void sendNameLines(ClientSession &client, const QByteArray &symbol, const QByteArray &channelName,
                   const QList<ClientSession *> &members)
{
    const bool withHosts = client.hasCapability(Capability::UserhostInNames);
    // ":server 353 nick = #chan :" plus CR LF is the fixed part of each line.
    const qsizetype budget = protocol::kMaxLineBodyBytes - client.server().name().size() - client.replyTarget().size()
                             - channelName.size() - 16;
    QByteArray names;
    for (const ClientSession *member : members) {
        const QByteArray &name = withHosts ? member->prefix() : member->nick();
        if (!names.isEmpty() && names.size() + 1 + name.size() > budget) {
            client.sendNumeric(Numeric::RPL_NAMREPLY, {symbol, channelName, names});
            names.clear();
        }
        if (!names.isEmpty())
            names += ' ';
        names += name;
    }
    if (!names.isEmpty())
        client.sendNumeric(Numeric::RPL_NAMREPLY, {symbol, channelName, names});
}

void sendTopic(ClientSession &client, const Channel &channel)
{
    if (channel.topic().isEmpty()) {
        client.sendNumeric(Numeric::RPL_NOTOPIC, {channel.name(), "No topic is set"});
        return;
    }
    client.sendNumeric(Numeric::RPL_TOPIC, {channel.name(), channel.topic()});
    client.sendNumeric(Numeric::RPL_TOPICWHOTIME,
                       {channel.name(), channel.topicSetBy(), QByteArray::number(channel.topicSetAtSecs())});
}

void channelMode(ClientSession &client, const Message &message)
{
    Channel *channel = client.server().registry().findChannel(message.params.at(0));
    if (!channel) {
        client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {message.params.at(0), "No such channel"});
        return;
    }
    if (message.params.size() == 1) {
        client.sendNumeric(Numeric::RPL_CHANNELMODEIS, {channel->name(), "+n"});
        client.sendNumeric(Numeric::RPL_CREATIONTIME, {channel->name(), QByteArray::number(channel->createdAtSecs())});
        return;
    }
    // List queries ("MODE #chan b", sent by clients on join) have empty answers: there are no lists.
    QByteArray modes = message.params.at(1);
    if (modes.startsWith('+'))
        modes.remove(0, 1);
    if (message.params.size() == 2 && modes == "b") {
        client.sendNumeric(Numeric::RPL_ENDOFBANLIST, {channel->name(), "End of channel ban list"});
    } else if (message.params.size() == 2 && modes == "e") {
        client.sendNumeric(Numeric::RPL_ENDOFEXCEPTLIST, {channel->name(), "End of channel exception list"});
    } else if (message.params.size() == 2 && modes == "I") {
        client.sendNumeric(Numeric::RPL_ENDOFINVITELIST, {channel->name(), "End of channel invite list"});
    } else {
        client.sendNumeric(Numeric::ERR_CHANOPRIVSNEEDED,
                           {channel->name(), "Channel modes are fixed on this server (+n)"});
    }
}

void userMode(ClientSession &client, const Message &message)
{
    ClientSession *target = client.server().registry().findUser(message.params.at(0));
    if (!target) {
        client.sendNumeric(Numeric::ERR_NOSUCHNICK, {message.params.at(0), "No such nick/channel"});
        return;
    }
    if (target != &client) {
        client.sendNumeric(Numeric::ERR_USERSDONTMATCH, {"Can't change mode for other users"});
        return;
    }
    if (message.params.size() == 1) {
        client.sendNumeric(Numeric::RPL_UMODEIS, {client.isInvisible() ? "+i" : "+"});
        return;
    }
    bool adding = true;
    bool unknown = false;
    const bool wasInvisible = client.isInvisible();
    for (char c : message.params.at(1)) {
        if (c == '+' || c == '-')
            adding = c == '+';
        else if (c == 'i')
            client.setInvisible(adding);
        else
            unknown = true;
    }
    if (unknown)
        client.sendNumeric(Numeric::ERR_UMODEUNKNOWNFLAG, {"Unknown MODE flag"});
    if (client.isInvisible() != wasInvisible)
        client.send(Message("MODE", {client.nick(), client.isInvisible() ? "+i" : "-i"}, client.prefix()));
}

/// Whether @p client may join @p name (creating it unless it @p exists) within its limits; if
/// not, tells it which limit stopped it (ServerConfig: maxChannelsPerUser, maxChannels, joins
/// and channel creations per client).
bool mayJoin(ClientSession &client, const QByteArray &name, bool exists)
{
    const ServerConfig &config = client.server().config();
    auto refuse = [&client, &name](const QByteArray &why) {
        client.sendNumeric(Numeric::ERR_TOOMANYCHANNELS, {name, why});
        return false;
    };
    if (client.channels().size() >= config.maxChannelsPerUser)
        return refuse("You have joined too many channels");
    if (!exists && client.server().registry().channels().size() >= config.maxChannels)
        return refuse("The server has too many channels; join an existing one");
    qint64 waitSecs = 0;
    const qint64 now = client.server().nowMs();
    if (!client.limits().spend(SessionLimits::Budget::Join, now, &waitSecs))
        return refuse("You are joining channels too fast; try again in " + QByteArray::number(waitSecs) + " seconds");
    if (!exists && !client.limits().spend(SessionLimits::Budget::ChannelCreation, now, &waitSecs))
        return refuse("You are creating channels too fast; try again in " + QByteArray::number(waitSecs) + " seconds");
    return true;
}

} // namespace

void joinChannel(ClientSession &client, const QByteArray &name)
{
    Channel *channel = client.server().registry().findOrCreateChannel(name, nowSecs());
    channel->addMember(&client);
    client.addChannel(channel);
    Outgoing joinMessage(Message("JOIN", {channel->name()}, client.prefix()));
    // IRCv3 extended-join: members that asked for it also learn the account and real name.
    const QByteArray account = client.account().isEmpty() ? QByteArrayLiteral("*") : client.account();
    Outgoing extendedJoin(Message("JOIN", {channel->name(), account, client.realName()}, client.prefix()));
    for (ClientSession *member : channel->members())
        member->deliver(member->hasCapability(Capability::ExtendedJoin) ? extendedJoin : joinMessage);
    if (!channel->topic().isEmpty())
        sendTopic(client, *channel);
    sendNames(client, *channel);
}

void sendNames(ClientSession &client, const Channel &channel)
{
    sendNameLines(client, "=", channel.name(), channel.members());
    client.sendNumeric(Numeric::RPL_ENDOFNAMES, {channel.name(), "End of /NAMES list."});
}

// JOIN <channel>{,<channel>} [<key>{,<key>}] | JOIN 0
void join(ClientSession &client, const Message &message)
{
    if (message.params.at(0) == "0") {
        const QList<Channel *> joined = client.channels();
        for (Channel *channel : joined)
            leaveChannel(client, channel, "Left all channels");
        return;
    }
    for (const QByteArray &name : message.params.at(0).split(',')) {
        if (name.isEmpty())
            continue;
        if (!protocol::isValidChannelName(name)) {
            client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {name, "Invalid channel name"});
            continue;
        }
        Channel *existing = client.server().registry().findChannel(name);
        if (existing && client.isIn(existing))
            continue;
        if (!mayJoin(client, name, existing != nullptr))
            continue;
        joinChannel(client, name);
    }
}

// PART <channel>{,<channel>} [:<reason>]
void part(ClientSession &client, const Message &message)
{
    const QByteArray reason = protocol::truncateUtf8(message.param(1), protocol::kMaxKickBytes);
    for (const QByteArray &name : message.params.at(0).split(',')) {
        if (name.isEmpty())
            continue;
        Channel *channel = client.server().registry().findChannel(name);
        if (!channel)
            client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {name, "No such channel"});
        else if (!client.isIn(channel))
            client.sendNumeric(Numeric::ERR_NOTONCHANNEL, {name, "You're not on that channel"});
        else
            leaveChannel(client, channel, reason);
    }
}

// TOPIC <channel> [:<topic>]
void topic(ClientSession &client, const Message &message)
{
    Channel *channel = client.server().registry().findChannel(message.params.at(0));
    if (!channel) {
        client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {message.params.at(0), "No such channel"});
        return;
    }
    if (message.params.size() < 2) {
        sendTopic(client, *channel);
        return;
    }
    if (!client.isIn(channel)) {
        client.sendNumeric(Numeric::ERR_NOTONCHANNEL, {channel->name(), "You're not on that channel"});
        return;
    }
    const QByteArray text = protocol::truncateUtf8(message.params.at(1), protocol::kMaxTopicBytes);
    channel->setTopic(text, client.nick(), nowSecs());
    Outgoing change(Message("TOPIC", {channel->name(), text}, client.prefix()));
    channel->broadcast(change);
}

// NAMES [<channel>{,<channel>}]
void names(ClientSession &client, const Message &message)
{
    Registry &registry = client.server().registry();
    if (message.param(0).isEmpty()) {
        // RFC 2812 3.2.5: every visible channel, then the users on no channel under "*".
        for (const Channel *channel : registry.channels())
            sendNameLines(client, "=", channel->name(), channel->members());
        QList<ClientSession *> loners;
        for (ClientSession *other : registry.clientsByNick()) {
            if (other->isRegistered() && other->channels().isEmpty() && (!other->isInvisible() || other == &client))
                loners << other;
        }
        sendNameLines(client, "*", "*", loners);
        client.sendNumeric(Numeric::RPL_ENDOFNAMES, {"*", "End of /NAMES list."});
        return;
    }
    for (const QByteArray &name : message.params.at(0).split(',')) {
        const Channel *channel = registry.findChannel(name);
        if (channel)
            sendNames(client, *channel);
        else
            client.sendNumeric(Numeric::RPL_ENDOFNAMES, {name, "End of /NAMES list."});
    }
}

// LIST [<channel>{,<channel>}]
void list(ClientSession &client, const Message &message)
{
    Registry &registry = client.server().registry();
    client.sendNumeric(Numeric::RPL_LISTSTART, {"Channel", "Users  Name"});
    auto listOne = [&client](const Channel *channel) {
        client.sendNumeric(Numeric::RPL_LIST,
                           {channel->name(), QByteArray::number(channel->members().size()), channel->topic()});
    };
    if (message.param(0).isEmpty()) {
        for (const Channel *channel : registry.channels())
            listOne(channel);
    } else {
        for (const QByteArray &name : message.params.at(0).split(',')) {
            if (const Channel *channel = registry.findChannel(name))
                listOne(channel);
        }
    }
    client.sendNumeric(Numeric::RPL_LISTEND, {"End of /LIST"});
}

// MODE <channel> [<modes> [<args>]] | MODE <nick> [<modes>]
void mode(ClientSession &client, const Message &message)
{
    if (protocol::isChannelName(message.params.at(0)))
        channelMode(client, message);
    else
        userMode(client, message);
}

// KICK <channel> <nick>{,<nick>} [:<comment>]
void kick(ClientSession &client, const Message &message)
{
    // Only channel operators may kick, and this server has none: members learn that, as on other
    // servers, rather than that the command does not exist.
    Channel *channel = client.server().registry().findChannel(message.params.at(0));
    if (!channel)
        client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {message.params.at(0), "No such channel"});
    else if (!client.isIn(channel))
        client.sendNumeric(Numeric::ERR_NOTONCHANNEL, {channel->name(), "You're not on that channel"});
    else
        client.sendNumeric(Numeric::ERR_CHANOPRIVSNEEDED,
                           {channel->name(), "There are no channel operators on this server"});
}

// INVITE <nick> <channel>
void invite(ClientSession &client, const Message &message)
{
    // RFC 2812 3.2.7: any member may invite to a channel that is not invite-only (none here are).
    Registry &registry = client.server().registry();
    ClientSession *target = registry.findUser(message.params.at(0));
    Channel *channel = registry.findChannel(message.params.at(1));
    if (!target) {
        client.sendNumeric(Numeric::ERR_NOSUCHNICK, {message.params.at(0), "No such nick/channel"});
    } else if (!channel) {
        client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {message.params.at(1), "No such channel"});
    } else if (!client.isIn(channel)) {
        client.sendNumeric(Numeric::ERR_NOTONCHANNEL, {channel->name(), "You're not on that channel"});
    } else if (target->isIn(channel)) {
        client.sendNumeric(Numeric::ERR_USERONCHANNEL, {target->nick(), channel->name(), "is already on channel"});
    } else {
        client.sendNumeric(Numeric::RPL_INVITING, {target->nick(), channel->name()});
        if (!target->awayMessage().isEmpty())
            client.sendNumeric(Numeric::RPL_AWAY, {target->nick(), target->awayMessage()});
        Outgoing invitation(Message("INVITE", {target->nick(), channel->name()}, client.prefix()));
        target->deliver(invitation);
    }
}

} // namespace tktalk::server::commands
