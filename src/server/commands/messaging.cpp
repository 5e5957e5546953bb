// Talking: PRIVMSG, NOTICE and TAGMSG, to channels and to nicks.

#include "commands.h"

#include "channel.h"
#include "channelaccess.h"
#include "accounts/accountstore.h"
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

constexpr qsizetype kMaxTargets = 4;

/// TAGMSG (IRCv3 message-tags) is a PRIVMSG without text: its client-only tags are the message.
enum class Kind { Privmsg, Notice, Tagmsg };

/// RFC 2812 3.3.2: a NOTICE never causes an automatic reply, errors included, so that two
/// automatons can never loop. Errors are reported for PRIVMSG and TAGMSG.
void reportError(ClientSession &client, Kind kind, Numeric numeric, QByteArrayList params)
{
    if (kind != Kind::Notice)
        client.sendNumeric(numeric, std::move(params));
}

/// The comma-separated targets in @p list, without empty ones. The usual single target shares the
/// parameter's bytes instead of copying them, as split() would.
QByteArrayList splitTargets(const QByteArray &list)
{
    if (!list.contains(','))
        return {list};
    QByteArrayList targets = list.split(',');
    targets.removeAll(QByteArray());
    return targets;
}

/// The message to relay to @p target, with the sender's client-only tags (message-tags).
Outgoing relayed(ClientSession &client, const Message &message, Kind kind, const QByteArray &target)
{
    Outgoing outgoing(kind == Kind::Tagmsg ? Message(message.command, {target}, client.prefix())
                                           : Message(message.command, {target, message.params.at(1)}, client.prefix()),
                      client.account());
    if (!message.tags.isEmpty())
        outgoing.setClientTags(message);
    if (kind == Kind::Tagmsg)
        outgoing.setForMessageTagsOnly();
    return outgoing;
}

/**
 * A PRIVMSG from a logged-in @p client to @p nick, the name of an account nobody is logged in to:
 * kept in history for the account's next login, and the sender told so. False when it cannot be
 * kept (not an account, a guest sender, history off or failing) or need not be (the account's
 * owner is online under another nick: an account's name is not an address, as on Ergo): then it
 * is 401 as before.
 */
bool keepForOfflineAccount(ClientSession &client, const Message &message, const QByteArray &nick)
{
    Server &server = client.server();
    History &history = server.history();
    if (client.account().isEmpty() || !history.isOn() || !history.store().problem().isEmpty())
        return false;
    const std::optional<Account> account = server.accountStore().find(nick);
    if (!account || !server.sessionsOf(account->name).isEmpty())
        return false;
    Outgoing outgoing = relayed(client, message, Kind::Privmsg, account->name);
    history.recordForOfflineAccount(client, account->name, outgoing);
    client.echo(outgoing);
    client.send(Message("NOTICE",
                        {client.nick(), account->name + " is not online: your message is kept and delivered when "
                                            + account->name + " next logs in"},
                        server.name()));
    return true;
}

/// Relays to channels and nicks. A line that fit the 512-byte input limit is relayed whole, even
/// though the sender's nick!user@host makes the relayed line longer (as Ergo does): refusing it
/// would reject lines that fit, and cutting it would change what was said. Clients read lines
/// past 512 bytes (protocol::kMaxReceivedLineBodyBytes).
void relay(ClientSession &client, const Message &message, Kind kind)
{
    const QByteArray &command = message.command;
    if (message.param(0).isEmpty()) {
        reportError(client, kind, Numeric::ERR_NORECIPIENT, {"No recipient given (" + command + ")"});
        return;
    }
    if (kind != Kind::Tagmsg && message.param(1).isEmpty()) {
        reportError(client, kind, Numeric::ERR_NOTEXTTOSEND, {"No text to send"});
        return;
    }
    const QByteArrayList targets = splitTargets(message.params.at(0));
    if (targets.size() > kMaxTargets) {
        reportError(client, kind, Numeric::ERR_TOOMANYTARGETS,
                    {message.params.at(0), "Too many recipients (at most 4)"});
        return;
    }
    Registry &registry = client.server().registry();
    if (kind != Kind::Tagmsg)
        client.markActive(); // a typing notification is not activity

    for (const QByteArray &target : std::as_const(targets)) {
        if (protocol::isChannelName(target)) {
            Channel *channel = registry.findChannel(target);
            if (!channel) {
                reportError(client, kind, Numeric::ERR_NOSUCHCHANNEL, {target, "No such channel"});
                continue;
            }
            if (const std::optional<QByteArray> why = access::speakRefusal(*channel, client)) {
                if (kind != Kind::Notice)
                    replies::cannotSendToChannel(client, channel->name(), *why);
                continue;
            }
            Outgoing outgoing = relayed(client, message, kind, channel->name());
            channel->broadcast(outgoing, &client);
            client.echo(outgoing);
            if (kind != Kind::Tagmsg)
                client.server().history().recordInChannel(*channel, outgoing, client);
            continue;
        }
        if (isNickServ(target) || isChanServ(target)) {
            // A NOTICE is never answered, and a TAGMSG has no text: the services ignore them.
            if (kind == Kind::Privmsg)
                (isNickServ(target) ? messageNickServ : messageChanServ)(client, message.params.at(1));
            continue;
        }
        ClientSession *recipient = registry.findUser(target);
        if (!recipient && kind == Kind::Privmsg && keepForOfflineAccount(client, message, target))
            continue;
        if (!recipient) {
            reportError(client, kind, Numeric::ERR_NOSUCHNICK, {target, "No such nick/channel"});
            continue;
        }
        Outgoing outgoing = relayed(client, message, kind, recipient->nick());
        recipient->deliver(outgoing);
        if (recipient != &client)
            client.echo(outgoing);
        if (kind != Kind::Tagmsg)
            client.server().history().recordPrivate(client, *recipient, outgoing);
        if (kind == Kind::Privmsg && !recipient->awayMessage().isEmpty())
            client.sendNumeric(Numeric::RPL_AWAY, {recipient->nick(), recipient->awayMessage()});
    }
}

} // namespace

// PRIVMSG <target>{,<target>} :<text>
void privmsg(ClientSession &client, const Message &message)
{
    relay(client, message, Kind::Privmsg);
}

// NOTICE <target>{,<target>} :<text>
void notice(ClientSession &client, const Message &message)
{
    relay(client, message, Kind::Notice);
}

// TAGMSG <target>{,<target>}
void tagmsg(ClientSession &client, const Message &message)
{
    relay(client, message, Kind::Tagmsg);
}

} // namespace tktalk::server::commands
