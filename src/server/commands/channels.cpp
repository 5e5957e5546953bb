// Channels: JOIN, PART, TOPIC, NAMES, LIST. MODE is in mode.cpp, KICK and INVITE in moderation.cpp.

#include "commands.h"

#include "channel.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "history/playback.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "replies.h"
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
    Outgoing partMessage(Message("PART", params, client.prefix()), client.account());
    channel->broadcast(partMessage);
    client.server().history().recordInChannel(*channel, partMessage, client);
    channel->removeMember(&client);
    client.removeChannel(channel);
    client.server().registry().removeChannelIfEmpty(channel);
}

/// A member as @p viewer's NAMES shows it: its prefix ("@", or "@+" with multi-prefix), then its
/// nick, or nick!user@host with userhost-in-names.
QByteArray nameEntry(const Channel &channel, const ClientSession &member, const ClientSession &viewer)
{
    const QByteArray prefix = channel.prefixOf(&member, viewer.hasCapability(Capability::MultiPrefix));
    return prefix + (viewer.hasCapability(Capability::UserhostInNames) ? member.prefix() : member.nick());
}

/// Sends 353 lines of @p names, as many per line as fit the line limit.
void sendNameLines(ClientSession &client, const QByteArray &symbol, const QByteArray &channelName,
                   const QByteArrayList &names)
{
    // ":server 353 nick = #chan :" plus CR LF is the fixed part of each line.
    const qsizetype budget = protocol::kMaxLineBodyBytes - client.server().name().size() - client.replyTarget().size()
                             - channelName.size() - 16;
    QByteArray line;
    for (const QByteArray &name : names) {
        if (!line.isEmpty() && line.size() + 1 + name.size() > budget) {
            client.sendNumeric(Numeric::RPL_NAMREPLY, {symbol, channelName, line});
            line.clear();
        }
        if (!line.isEmpty())
            line += ' ';
        line += name;
    }
    if (!line.isEmpty())
        client.sendNumeric(Numeric::RPL_NAMREPLY, {symbol, channelName, line});
}

/// 353 lines for one channel @p client may see, without the 366 that ends them.
void sendChannelNameLines(ClientSession &client, const Channel &channel)
{
    QByteArrayList names;
    for (const ClientSession *member : channel.members()) {
        if (access::isListedTo(channel, *member, client))
            names << nameEntry(channel, *member, client);
    }
    // RFC 2812 3.2.5: '@' marks a secret channel, '=' a public one.
    const QByteArray symbol = channel.modes().has(ChannelModes::Flag::Secret) ? "@" : "=";
    sendNameLines(client, symbol, channel.name(), names);
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

/// True when @p user is visible to @p viewer in no channel at all: NAMES lists it under "*".
bool inNoVisibleChannel(const ClientSession &user, const ClientSession &viewer)
{
    return std::none_of(user.channels().begin(), user.channels().end(), [&](const Channel *channel) {
        return access::canSee(*channel, viewer) && access::isListedTo(*channel, user, viewer);
    });
}

/// What a member of @p channel is shown of it on joining: its topic, if any, and NAMES.
void sendChannelState(ClientSession &client, const Channel &channel)
{
    if (!channel.topic().isEmpty())
        sendTopic(client, channel);
    sendJoinReadMarker(client, channel.name()); // draft/read-marker: before RPL_ENDOFNAMES
    sendNames(client, channel);
}

/// @p client's JOIN of @p channel, plain and with extended-join's account and real name: one
/// event, one msgid.
std::pair<Outgoing, Outgoing> joinMessages(ClientSession &client, const Channel &channel)
{
    Outgoing joinMessage(Message("JOIN", {channel.name()}, client.prefix()), client.account());
    const QByteArray account = client.account().isEmpty() ? QByteArrayLiteral("*") : client.account();
    Outgoing extendedJoin(Message("JOIN", {channel.name(), account, client.realName()}, client.prefix()),
                          client.account());
    extendedJoin.setMsgid(joinMessage.msgid(client.server().messageIds()));
    return {std::move(joinMessage), std::move(extendedJoin)};
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

const Channel *joinChannel(ClientSession &client, const QByteArray &name, const QByteArray &key)
{
    Registry &registry = client.server().registry();
    const RegisteredChannels &registrations = client.server().registeredChannels();
    const bool registered = registrations.find(name) != nullptr;
    // A registered channel's modes hold while it is empty too. Those its access list makes
    // operators pass them: otherwise an empty +i (or +k, or banning) channel could lock out the
    // very people who run it, with nobody inside to invite them.
    const bool operatorByAccess = registered && registrations.levelFor(name, client.account()) == AccessLevel::Operator;
    if (Channel *existing = registry.findChannel(name);
        existing && (!existing->isEmpty() || registered) && !operatorByAccess) {
        if (const auto refusal = access::joinRefusal(*existing, client, key)) {
            client.sendNumeric(refusal->numeric, {existing->name(), refusal->text});
            return nullptr;
        }
    }
    Channel *channel = registry.findOrCreateChannel(name, nowSecs());
    // Whoever founds a channel (or finds the permanent one empty) runs it; a registered channel is
    // run by those its access list names, whoever comes first.
    const bool founder = channel->isEmpty() && !registered;
    channel->addMember(&client);
    if (founder)
        channel->setStatus(&client, Channel::Status::Operator, true);
    client.addChannel(channel);
    client.removeInvitation(channel->id());
    // IRCv3 extended-join: members that asked for it also learn the account and real name.
    auto [joinMessage, extendedJoin] = joinMessages(client, *channel);
    for (ClientSession *member : channel->members())
        member->deliverByCapability(Capability::ExtendedJoin, extendedJoin, joinMessage);
    client.server().history().recordInChannel(*channel, joinMessage, client);
    // away-notify: members that asked for it learn that the newcomer is away.
    if (!client.awayMessage().isEmpty()) {
        Outgoing away(Message("AWAY", {client.awayMessage()}, client.prefix()));
        for (ClientSession *member : channel->members()) {
            if (member != &client)
                member->deliverIfCapable(Capability::AwayNotify, away);
        }
    }
    if (registered)
        applyRegisteredStatus(client, *channel);
    // Each of the user's sessions (its devices) gets the topic and NAMES, as the one that joined.
    client.forEachSession([&client, channel](ClientSession &session) {
        ClientSession::Acting acting(client, session);
        sendChannelState(client, *channel);
    });
    return channel;
}

void showChannelsToAttached(ClientSession &session, ClientSession &user)
{
    for (Channel *channel : user.channels()) {
        auto [joinMessage, extendedJoin] = joinMessages(user, *channel);
        session.deliverByCapability(Capability::ExtendedJoin, extendedJoin, joinMessage);
        ClientSession::Acting acting(user, session);
        sendChannelState(user, *channel);
    }
}

void sendNames(ClientSession &client, const Channel &channel)
{
    // A secret channel's members stay hidden from outsiders, who get only the end of the list.
    if (access::canSee(channel, client))
        sendChannelNameLines(client, channel);
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
    const QByteArrayList names = message.params.at(0).split(',');
    const QByteArrayList keys = message.param(1).split(',');
    QByteArrayList joined;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QByteArray &name = names.at(i);
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
        if (const Channel *channel = joinChannel(client, name, keys.value(i)))
            joined << channel->name();
    }
    playback::onJoin(client, joined);
}

// PART <channel>{,<channel>} [:<reason>]
void part(ClientSession &client, const Message &message)
{
    const QByteArray reason = protocol::truncateUtf8(message.param(1), protocol::kMaxKickBytes);
    for (const QByteArray &name : message.params.at(0).split(',')) {
        if (name.isEmpty())
            continue;
        Channel *channel = access::findVisible(client.server().registry(), name, client);
        if (!channel)
            replies::noSuchChannel(client, name);
        else if (!client.isIn(channel))
            replies::notOnChannel(client, channel->name());
        else
            leaveChannel(client, channel, reason);
    }
}

// TOPIC <channel> [:<topic>]
void topic(ClientSession &client, const Message &message)
{
    Channel *channel = access::findVisible(client.server().registry(), message.params.at(0), client);
    if (!channel) {
        replies::noSuchChannel(client, message.params.at(0));
        return;
    }
    if (message.params.size() < 2) {
        sendTopic(client, *channel);
        return;
    }
    if (!client.isIn(channel)) {
        replies::notOnChannel(client, channel->name());
        return;
    }
    if (channel->modes().has(ChannelModes::Flag::TopicLock) && !channel->isOperator(&client)) {
        replies::chanOpPrivsNeeded(client, channel->name());
        return;
    }
    const QByteArray text = protocol::truncateUtf8(message.params.at(1), protocol::kMaxTopicBytes);
    channel->setTopic(text, client.nick(), nowSecs());
    // A registered channel keeps its topic across restarts (nothing for other channels).
    client.server().registeredChannels().setTopic(channel->name(), text, client.nick(), nowSecs());
    Outgoing change(Message("TOPIC", {channel->name(), text}, client.prefix()), client.account());
    channel->broadcast(change);
    client.server().history().recordInChannel(*channel, change, client);
}

// NAMES [<channel>{,<channel>}]
void names(ClientSession &client, const Message &message)
{
    Registry &registry = client.server().registry();
    if (message.param(0).isEmpty()) {
        // RFC 2812 3.2.5: every visible channel, then the visible users on no visible channel under "*".
        for (const Channel *channel : registry.channels()) {
            if (access::canSee(*channel, client))
                sendChannelNameLines(client, *channel);
        }
        QByteArrayList loners;
        for (ClientSession *other : registry.clientsByNick()) {
            if (other->isRegistered() && (!other->isInvisible() || other == &client) && inNoVisibleChannel(*other, client))
                loners << other->nick();
        }
        std::sort(loners.begin(), loners.end()); // the same answer every time, whatever the hash order
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
        if (!access::canSee(*channel, client))
            return;
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

} // namespace tktalk::server::commands
