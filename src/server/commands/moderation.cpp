// Running a channel: KICK, and INVITE (with the IRCv3 invite-notify capability).

#include "commands.h"

#include "channel.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "replies.h"
#include "server.h"

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

/// Nicks one KICK may name (ISUPPORT TARGMAX KICK:4); the rest are ignored, as modern IRC allows.
constexpr qsizetype kMaxKickTargets = 4;

void listInvitations(ClientSession &client)
{
    Registry &registry = client.server().registry();
    for (const ClientSession::Invitation &invitation : client.invitations()) {
        // Only invitations to channels that still exist: a new channel of the same name is another.
        const Channel *channel = registry.findChannel(invitation.channelName);
        if (channel && channel->id() == invitation.channelId)
            client.sendNumeric(Numeric::RPL_INVITELIST, {channel->name()});
    }
    client.sendNumeric(Numeric::RPL_ENDOFINVITELIST, {"End of /INVITE list"});
}

} // namespace

// KICK <channel> <nick>{,<nick>} [:<comment>]
void kick(ClientSession &client, const Message &message)
{
    Registry &registry = client.server().registry();
    Channel *channel = access::findVisible(registry, message.params.at(0), client);
    if (!channel) {
        replies::noSuchChannel(client, message.params.at(0));
        return;
    }
    if (!client.isIn(channel)) {
        replies::notOnChannel(client, channel->name());
        return;
    }
    if (!channel->isOperator(&client)) {
        replies::chanOpPrivsNeeded(client, channel->name());
        return;
    }
    QByteArray reason = protocol::truncateUtf8(message.param(2), protocol::kMaxKickBytes);
    if (reason.isEmpty())
        reason = client.nick();
    QByteArrayList targets = message.params.at(1).split(',');
    targets.removeAll(QByteArray());
    for (const QByteArray &nick : targets.mid(0, kMaxKickTargets)) {
        ClientSession *target = registry.findUser(nick);
        if (!target) {
            replies::noSuchNick(client, nick);
            continue;
        }
        if (!target->isIn(channel)) {
            replies::userNotInChannel(client, target->nick(), channel->name());
            continue;
        }
        // Everyone in the channel sees it, the kicked member included, before it is removed.
        Outgoing kickMessage(Message("KICK", {channel->name(), target->nick(), reason}, client.prefix()), client.account());
        channel->broadcast(kickMessage);
        client.server().history().recordInChannel(*channel, kickMessage, client);
        channel->removeMember(target);
        target->removeChannel(channel);
        if (target == &client)
            break; // an operator who kicked itself has no more say here
    }
    registry.removeChannelIfEmpty(channel);
}

// INVITE <nick> <channel> | INVITE (lists the channels you are invited to)
void invite(ClientSession &client, const Message &message)
{
    if (message.params.isEmpty()) {
        listInvitations(client);
        return;
    }
    if (message.params.size() < 2) {
        replies::needMoreParams(client, message.command);
        return;
    }
    Registry &registry = client.server().registry();
    ClientSession *target = registry.findUser(message.params.at(0));
    Channel *channel = access::findVisible(registry, message.params.at(1), client);
    if (!target) {
        replies::noSuchNick(client, message.params.at(0));
        return;
    }
    if (!channel) {
        replies::noSuchChannel(client, message.params.at(1));
        return;
    }
    if (!client.isIn(channel)) {
        replies::notOnChannel(client, channel->name());
        return;
    }
    // RFC 2812 3.2.7: any member may invite to an open channel; only operators to a +i one.
    const bool inviteOnly = channel->modes().has(ChannelModes::Flag::InviteOnly);
    if (inviteOnly && !channel->isOperator(&client)) {
        replies::chanOpPrivsNeeded(client, channel->name());
        return;
    }
    if (target->isIn(channel)) {
        replies::userOnChannel(client, target->nick(), channel->name());
        return;
    }
    target->addInvitation(channel->id(), channel->name());
    client.sendNumeric(Numeric::RPL_INVITING, {target->nick(), channel->name()});
    if (!target->awayMessage().isEmpty())
        client.sendNumeric(Numeric::RPL_AWAY, {target->nick(), target->awayMessage()});
    Outgoing invitation(Message("INVITE", {target->nick(), channel->name()}, client.prefix()), client.account());
    target->deliver(invitation);
    // IRCv3 invite-notify: members who could have invited the user themselves learn of it too.
    for (ClientSession *member : channel->members()) {
        if (member != &client && (!inviteOnly || channel->isOperator(member)))
            member->deliverIfCapable(Capability::InviteNotify, invitation);
    }
}

} // namespace tktalk::server::commands
