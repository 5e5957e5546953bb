#pragma once

#include "banmask.h"
#include "protocol/numeric.h"

#include <QByteArray>

#include <optional>

namespace tktalk::server {

class Channel;
class ClientSession;
class Registry;

/**
 * Who may join, speak in, see and stay named in a channel, given its modes: the rules in one place,
 * so that JOIN, PRIVMSG, NOTICE, NICK, NAMES, LIST, WHO and WHOIS apply them alike.
 */
namespace access {

/// @brief Why a client may not join: the numeric (471, 473, 474, 475) and its text.
struct Refusal
{
    protocol::Numeric numeric;
    QByteArray text;
};

/// What ban masks are matched against for @p client: its nick!user@host and its account.
BanSubject banSubject(const ClientSession &client);

/// True when @p client matches the channel's bans (+b) and none of its exceptions (+e).
bool isBanned(const Channel &channel, const ClientSession &client);

/**
 * Whether @p client may join @p channel (which has members) with @p key. Checked in this order:
 * a ban (474) unless an exception (+e) matches; invite-only (473) unless invited or matched by
 * +I; the key (475) and the limit (471) unless invited. An invitation never overrides a ban.
 */
std::optional<Refusal> joinRefusal(const Channel &channel, const ClientSession &client, const QByteArray &key);

/**
 * Why @p client may not send PRIVMSG or NOTICE to @p channel (for 404), or nullopt if it may:
 * +n keeps out non-members, +m everyone without +v or +o, and a ban everyone without +v or +o.
 */
std::optional<QByteArray> speakRefusal(const Channel &channel, const ClientSession &client);

/// The first of @p client's channels where it is banned without +v or +o: there it may not change
/// its nick (435), or a ban on its nick would be dodged. nullptr when there is none.
const Channel *nickChangeBlocker(const ClientSession &client);

/// False for a secret (+s) channel @p viewer is not in: LIST, NAMES, WHO and WHOIS keep it hidden.
bool canSee(const Channel &channel, const ClientSession &viewer);

/// The channel named @p name as @p viewer may know it: nullptr when there is none, or when it is a
/// secret channel @p viewer is not in (TOPIC, MODE, KICK, INVITE and PART then answer 403, as
/// InspIRCd does, rather than tell an outsider that it exists).
Channel *findVisible(const Registry &registry, QByteArrayView name, const ClientSession &viewer);

/// False for a member that is invisible (+i) to @p viewer outside the channel: NAMES and WHO
/// list +i users only to those who share the channel with them.
bool isListedTo(const Channel &channel, const ClientSession &member, const ClientSession &viewer);

} // namespace access
} // namespace tktalk::server
