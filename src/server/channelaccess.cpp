#include "channelaccess.h"

#include "channel.h"
#include "clientsession.h"
#include "registry.h"

namespace tktalk::server::access {

using protocol::Numeric;
using Flag = ChannelModes::Flag;

BanSubject banSubject(const ClientSession &client)
{
    return BanSubject{client.prefix(), client.account()};
}

bool isBanned(const Channel &channel, const ClientSession &client)
{
    const ChannelModes &modes = channel.modes();
    if (modes.bans().isEmpty())
        return false;
    const BanSubject subject = banSubject(client);
    return modes.bans().matches(subject) && !modes.exceptions().matches(subject);
}

std::optional<Refusal> joinRefusal(const Channel &channel, const ClientSession &client, const QByteArray &key)
{
    const ChannelModes &modes = channel.modes();
    if (isBanned(channel, client))
        return Refusal{Numeric::ERR_BANNEDFROMCHAN, "Cannot join channel (+b)"};
    const bool invited = client.isInvitedTo(channel.id());
    if (modes.has(Flag::InviteOnly) && !invited && !modes.inviteExceptions().matches(banSubject(client)))
        return Refusal{Numeric::ERR_INVITEONLYCHAN, "Cannot join channel (+i)"};
    if (!modes.key().isEmpty() && key != modes.key() && !invited)
        return Refusal{Numeric::ERR_BADCHANNELKEY, "Cannot join channel (+k)"};
    if (modes.limit() > 0 && channel.members().size() >= modes.limit() && !invited)
        return Refusal{Numeric::ERR_CHANNELISFULL, "Cannot join channel (+l)"};
    return std::nullopt;
}

std::optional<QByteArray> speakRefusal(const Channel &channel, const ClientSession &client)
{
    const ChannelModes &modes = channel.modes();
    const bool member = client.isIn(&channel);
    if (!member && modes.has(Flag::NoExternal))
        return QByteArrayLiteral("no external messages: join it first");
    const bool privileged = member && channel.hasVoiceOrMore(&client);
    if (privileged)
        return std::nullopt;
    if (modes.has(Flag::Moderated))
        return QByteArrayLiteral("+m: only voiced users and operators may speak");
    if (isBanned(channel, client))
        return QByteArrayLiteral("you are banned");
    return std::nullopt;
}

const Channel *nickChangeBlocker(const ClientSession &client)
{
    for (const Channel *channel : client.channels()) {
        if (!channel->hasVoiceOrMore(&client) && isBanned(*channel, client))
            return channel;
    }
    return nullptr;
}

bool canSee(const Channel &channel, const ClientSession &viewer)
{
    return !channel.modes().has(Flag::Secret) || viewer.isIn(&channel);
}

Channel *findVisible(const Registry &registry, QByteArrayView name, const ClientSession &viewer)
{
    Channel *channel = registry.findChannel(name);
    return channel && canSee(*channel, viewer) ? channel : nullptr;
}

bool isListedTo(const Channel &channel, const ClientSession &member, const ClientSession &viewer)
{
    return !member.isInvisible() || &member == &viewer || viewer.isIn(&channel);
}

} // namespace tktalk::server::access
