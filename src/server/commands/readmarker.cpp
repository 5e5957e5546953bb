// Read markers (IRCv3 draft/read-marker): MARKREAD, and the marker that follows a JOIN.
// A marker belongs to an account and is kept in the account database; a guest has none.

#include "commands.h"

#include "accounts/accountstore.h"
#include "accounts/readmarkers.h"
#include "clientsession.h"
#include "logging.h"
#include "protocol/names.h"
#include "protocol/servertime.h"
#include "replies.h"
#include "server.h"

#include <QDateTime>

#include <algorithm>

namespace tktalk::server::commands {

using protocol::Message;

namespace {

constexpr QByteArrayView kTimestampKey = "timestamp=";

/// "timestamp=2019-01-04T14:33:26.123Z", as server-time writes times.
QByteArray timestampParam(qint64 ms)
{
    return kTimestampKey.toByteArray() + protocol::formatServerTime(ms);
}

/// The marker as MARKREAD shows it: its timestamp, or "*" when none is known.
QByteArray markerParam(std::optional<qint64> ms)
{
    return ms ? timestampParam(*ms) : QByteArrayLiteral("*");
}

/// Milliseconds since the epoch of a "timestamp=YYYY-MM-DDThh:mm:ss.sssZ" parameter; nullopt for
/// anything else ("*", another form of date, a day that does not exist).
std::optional<qint64> parseTimestamp(const QByteArray &param)
{
    if (!param.startsWith(kTimestampKey))
        return std::nullopt;
    return protocol::parseServerTime(QByteArrayView(param).sliced(kTimestampKey.size()));
}

void sendMarker(ClientSession &client, const QByteArray &target, std::optional<qint64> ms)
{
    client.send(Message("MARKREAD", {target, markerParam(ms)}, client.server().name()));
}

void internalError(ClientSession &client, const QByteArray &target, const char *what)
{
    qCWarning(lcAccounts).noquote() << "Cannot" << what << "a read marker of" << client.account() << "for"
                                    << target + ':' << client.server().accountStore().readMarkers().lastError();
    client.sendFail("MARKREAD", "INTERNAL_ERROR", {target, QByteArray("The read timestamp could not be ") + what});
}

} // namespace

// MARKREAD <target> [timestamp=YYYY-MM-DDThh:mm:ss.sssZ]
void markread(ClientSession &client, const Message &message)
{
    if (message.params.isEmpty() || message.params.at(0).isEmpty()) {
        client.sendFail("MARKREAD", "NEED_MORE_PARAMS", {"Missing parameters: MARKREAD <target> [timestamp=...]"});
        return;
    }
    const QByteArray &target = message.params.at(0);
    if (message.params.size() > 2) {
        client.sendFail("MARKREAD", "INVALID_PARAMS",
                        {replies::middleParam(message.params.at(2)), "MARKREAD takes a target and one timestamp"});
        return;
    }
    if (!protocol::isValidChannelName(target) && !protocol::isValidNick(target)) {
        client.sendFail("MARKREAD", "INVALID_PARAMS",
                        {replies::middleParam(target), "The target must be a channel or a nickname"});
        return;
    }
    std::optional<qint64> given;
    if (message.params.size() == 2) {
        given = parseTimestamp(message.params.at(1));
        if (!given) {
            client.sendFail("MARKREAD", "INVALID_PARAMS",
                            {replies::middleParam(message.params.at(1)),
                             "The timestamp must have the form timestamp=YYYY-MM-DDThh:mm:ss.sssZ"});
            return;
        }
    }
    // A guest has nowhere to keep a marker: it has none to tell, and cannot set one.
    if (client.account().isEmpty()) {
        if (given)
            client.sendFail("MARKREAD", "ACCOUNT_REQUIRED", {target, "Log in to an account to keep read markers"});
        else
            sendMarker(client, target, std::nullopt);
        return;
    }
    ReadMarkers &markers = client.server().accountStore().readMarkers();
    const ReadMarkers::Lookup stored = markers.find(client.account(), target);
    if (!stored.ok) {
        internalError(client, target, given ? "set" : "read");
        return;
    }
    if (!given) {
        sendMarker(client, target, stored.atMs);
        return;
    }
    // A marker never moves back, nor past now: a clock far ahead would freeze it for good.
    const qint64 atMs = std::min(*given, QDateTime::currentMSecsSinceEpoch());
    if (stored.atMs && *stored.atMs >= atMs) {
        sendMarker(client, target, stored.atMs); // the newer one stays, and nobody else hears of it
        return;
    }
    if (!markers.advance(client.account(), target, atMs)) {
        internalError(client, target, "set");
        return;
    }
    // The sender hears of it whatever it negotiated (it asked); its other connections, if they
    // asked for read markers. A marker is the account's own: no other account ever sees it.
    // With several devices sharing one user, the lead runs the command for the one that sent it
    // (client is the lead, the asker that device): each other connection is told on its own.
    sendMarker(client, target, atMs);
    const ClientSession *asker = client.askingSession();
    for (ClientSession *session : client.server().sessionsOf(client.account())) {
        if (session == asker || !session->capabilities().testFlag(Capability::ReadMarker))
            continue;
        const ClientSession::Acting itself(*session, *session);
        sendMarker(*session, target, atMs);
    }
}

void sendJoinReadMarker(ClientSession &client, const QByteArray &channel)
{
    if (!client.hasCapability(Capability::ReadMarker))
        return;
    if (client.account().isEmpty()) {
        sendMarker(client, channel, std::nullopt);
        return;
    }
    const ReadMarkers::Lookup stored = client.server().accountStore().readMarkers().find(client.account(), channel);
    if (!stored.ok) {
        internalError(client, channel, "read");
        return;
    }
    sendMarker(client, channel, stored.atMs);
}

} // namespace tktalk::server::commands
