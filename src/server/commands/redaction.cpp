// Redaction (IRCv3 draft/message-redaction): REDACT removes a message from the history and tells
// those who negotiated the capability.

#include "commands.h"

#include "channel.h"
#include "clientsession.h"
#include "outgoing.h"
#include "protocol/names.h"
#include "server.h"

#include <QPointer>

namespace tktalk::server::commands {

using protocol::Message;

namespace {

/// Whether @p client may redact @p entry in @p channel (nullptr: a private conversation): its
/// sender (the same account; for a guest's message, the same nick), a channel operator of the
/// channel, or a server operator.
bool mayRedact(const ClientSession &client, const HistoryEntry &entry, const Channel *channel)
{
    if (client.isOperator() || (channel && channel->isOperator(&client)))
        return true;
    if (!entry.senderAccount.isEmpty())
        return protocol::foldCase(entry.senderAccount) == protocol::foldCase(client.account());
    return client.account().isEmpty() && protocol::foldCase(entry.senderNick) == protocol::foldCase(client.nick());
}

/// The REDACT from @p client to those of @p channel's members (or, in private, of @p client and
/// @p peer) that negotiated draft/message-redaction, relayed as a PRIVMSG is: a msgid of its own,
/// server-time and the sender's account, each for whoever negotiated it; the sender's own copy
/// carries its label.
void relayRedaction(ClientSession &client, const QByteArrayList &params, const QByteArray &channelName,
                    const QByteArray &peerNick)
{
    Outgoing redaction(Message("REDACT", params, client.prefix()), client.account());
    Registry &registry = client.server().registry();
    QList<ClientSession *> readers;
    if (const Channel *channel = channelName.isEmpty() ? nullptr : registry.findChannel(channelName))
        readers = channel->members();
    else if (channelName.isEmpty())
        readers = {&client, registry.findUser(peerNick)};
    for (ClientSession *reader : readers) {
        if (reader)
            reader->deliverIfCapable(Capability::MessageRedaction, redaction);
    }
}

} // namespace

// REDACT <target> <msgid> [:<reason>]
void redact(ClientSession &client, const Message &message)
{
    const QByteArray &target = message.params.at(0);
    const QByteArray &msgid = message.params.at(1);
    Server &server = client.server();
    auto fail = [&client](const QByteArray &code, QByteArrayList context, const QByteArray &text) {
        client.sendFail("REDACT", code, context << text);
    };
    // The conversation: a channel the client is in, or a private one between two accounts.
    QByteArray key;
    QByteArray channelName;
    QByteArray peerNick;
    if (protocol::isChannelName(target)) {
        const Channel *channel = server.registry().findChannel(target);
        if (!channel || !client.isIn(channel))
            return fail("INVALID_TARGET", {target}, "You are not in that channel");
        key = channelName = channel->name();
    } else {
        const ClientSession *peer = server.registry().findUser(target);
        if (!peer || peer->account().isEmpty() || client.account().isEmpty())
            return fail("INVALID_TARGET", {target},
                        "Only private messages between two logged-in users online can be redacted");
        key = privateConversationKey(client.account(), peer->account());
        peerNick = peer->nick();
    }
    if (msgid.isEmpty() || !server.history().isOn())
        return fail("UNKNOWN_MSGID", {target, msgid}, "No such message in the history");

    HistoryQuery find;
    find.target = key;
    find.selection = HistoryQuery::Selection::Around;
    find.from = HistoryReference::message(msgid);
    find.limit = 1;
    const QByteArrayList relayed = message.params.mid(0, 3);
    client.holdForReply();
    server.history().store().query(find, &client, [&client, key, channelName, peerNick, relayed](const HistoryResult &found) {
        const QByteArray &target = relayed.at(0);
        const QByteArray &msgid = relayed.at(1);
        auto refuse = [&client, &target, &msgid](const QByteArray &code, const QByteArray &text) {
            client.releaseWithReply([&] { client.sendFail("REDACT", code, {target, msgid, text}); });
        };
        if (found.entries.isEmpty() || found.entries.first().msgid != msgid)
            return refuse("UNKNOWN_MSGID", "No such message in the history");
        const Channel *channel = channelName.isEmpty() ? nullptr : client.server().registry().findChannel(channelName);
        if (!mayRedact(client, found.entries.first(), channel))
            return refuse("REDACT_FORBIDDEN", "You may redact only your own messages, or as a channel operator");
        client.server().history().store().remove(key, msgid, &client, [&client, channelName, peerNick, relayed](bool removed) {
            client.releaseWithReply([&] {
                if (!removed)
                    client.sendFail("REDACT", "UNKNOWN_MSGID", {relayed.at(0), relayed.at(1), "No such message in the history"});
                else
                    relayRedaction(client, relayed, channelName, peerNick);
            });
        });
    });
}

} // namespace tktalk::server::commands
