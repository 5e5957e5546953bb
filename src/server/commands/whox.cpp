// WHOX: the fields of WHO a client chooses (ircv3.net/specs/extensions/whox, ircu's WHO).

#include "whox.h"

#include "channel.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "server.h"

#include <algorithm>
#include <string_view>

namespace tktalk::server::commands {

using protocol::Numeric;

namespace {

/// The fields tktalk answers, in the order RPL_WHOSPCRPL lists them whatever order they were asked
/// in: token, channel, user, ip, host, server, nick, flags, distance (hops), idle, account, op
/// level, real name.
constexpr char kFieldOrder[] = "tcuihsnfdlaor";
constexpr qsizetype kMaxTokenDigits = 3;

/// A channel of @p user that @p viewer may see it in, for a WHO by nick; "*" if none.
QByteArray visibleChannel(const ClientSession &viewer, const ClientSession &user)
{
    for (const Channel *channel : user.channels()) {
        if (access::canSee(*channel, viewer) && access::isListedTo(*channel, user, viewer))
            return channel->name();
    }
    return QByteArrayLiteral("*");
}

} // namespace

std::optional<WhoxQuery> parseWhox(const QByteArray &options)
{
    const qsizetype percent = options.indexOf('%');
    if (percent < 0)
        return std::nullopt;
    const QByteArray request = options.mid(percent + 1);
    const qsizetype comma = request.indexOf(',');
    if (comma < 0)
        return WhoxQuery{request, {}};
    return WhoxQuery{request.left(comma), request.mid(comma + 1)};
}

bool hasValidToken(const WhoxQuery &query)
{
    if (!query.fields.contains('t'))
        return true;
    const QByteArray &token = query.token;
    return !token.isEmpty() && token.size() <= kMaxTokenDigits
           && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

QByteArray whoFlags(const ClientSession &viewer, const ClientSession &user, const Channel *channel)
{
    QByteArray flags = user.awayMessage().isEmpty() ? "H" : "G";
    if (user.isOperator())
        flags += '*'; // RFC 2812 3.6.1 / 4.1: a server operator
    if (channel)
        flags += channel->prefixOf(&user, viewer.hasCapability(Capability::MultiPrefix));
    return flags;
}

void sendWhoxReply(ClientSession &client, const WhoxQuery &query, const ClientSession &user, const Channel *channel)
{
    QByteArrayList params;
    for (const char field : std::string_view(kFieldOrder)) {
        if (!query.fields.contains(field))
            continue;
        switch (field) {
        case 't': params << query.token; break;
        case 'c': params << (channel ? channel->name() : visibleChannel(client, user)); break;
        case 'u': params << user.user(); break;
        // The host is the address already: tktalk does not resolve or hide it.
        case 'i': params << user.host(); break;
        case 'h': params << user.host(); break;
        case 's': params << client.server().name(); break;
        case 'n': params << user.nick(); break;
        case 'f': params << whoFlags(client, user, channel); break;
        case 'd': params << "0"; break; // one server: no hops
        case 'l': params << QByteArray::number(user.idleSecs()); break;
        case 'a': params << (user.account().isEmpty() ? QByteArrayLiteral("0") : user.account()); break;
        case 'o': params << "n/a"; break; // channel op levels are ircu's; tktalk has none
        case 'r': params << user.realName(); break;
        }
    }
    // The real name, when asked for, is the last parameter and may hold spaces; nothing else may.
    client.sendNumeric(Numeric::RPL_WHOSPCRPL, params);
}

} // namespace tktalk::server::commands
