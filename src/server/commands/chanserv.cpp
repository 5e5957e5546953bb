// ChanServ, a built-in pseudo-user for registered channels: a registered channel keeps its founder
// and its access list (operators and voices, by account) across restarts, exists while empty, and
// gives those on its list their status when they join. Replies are NOTICEs from ChanServ.

#include "commands.h"

#include "accounts/accountstore.h"
#include "channel.h"
#include "clientsession.h"
#include "logging.h"
#include "outgoing.h"
#include "protocol/names.h"
#include "registeredchannels.h"
#include "server.h"

#include <QDateTime>

namespace tktalk::server::commands {

using protocol::Message;

namespace {

constexpr const char *kChanServ = "ChanServ";

QByteArray chanServPrefix(const Server &server)
{
    return QByteArray(kChanServ) + "!ChanServ@" + server.name();
}

void reply(ClientSession &client, const QByteArray &text)
{
    client.send(Message("NOTICE", {client.nick(), text}, chanServPrefix(client.server())));
}

void help(ClientSession &client)
{
    for (const char *line : {"ChanServ keeps registered channels: their founder, and who gets @ or + on joining:",
                             "REGISTER <#channel>                        register a channel you run (log in first)",
                             "ACCESS <#channel> ADD <account> op|voice   founder only",
                             "ACCESS <#channel> DEL <account>            founder only",
                             "ACCESS <#channel> LIST                     who is on the access list",
                             "OP <#channel>                              get @ if the access list gives it to you",
                             "INFO <#channel>                            founder and registration time",
                             "DROP <#channel>                            founder only: unregister it"})
        reply(client, line);
}

/// The registration named by @p words[1], or nullptr with the reason told.
const RegisteredChannel *registration(ClientSession &client, const QByteArrayList &words)
{
    if (words.size() < 2 || !protocol::isChannelName(words.at(1))) {
        reply(client, "Name a channel; try HELP");
        return nullptr;
    }
    const RegisteredChannel *channel = client.server().registeredChannels().find(words.at(1));
    if (!channel)
        reply(client, words.at(1) + " is not registered");
    return channel;
}

bool isFounder(const ClientSession &client, const RegisteredChannel &channel)
{
    return !client.account().isEmpty() && protocol::equalsFolded(client.account(), channel.founder);
}

// REGISTER <#channel>
void registerChannel(ClientSession &client, const QByteArrayList &words)
{
    if (words.size() != 2 || !protocol::isChannelName(words.at(1))) {
        reply(client, "Syntax: REGISTER <#channel>");
        return;
    }
    Server &server = client.server();
    Channel *channel = server.registry().findChannel(words.at(1));
    if (client.account().isEmpty()) {
        reply(client, "Log in first (IDENTIFY with NickServ, or SASL)");
    } else if (!channel || !client.isIn(channel) || !channel->isOperator(&client)) {
        reply(client, "You must be an operator (@) of " + words.at(1) + " to register it");
    } else if (server.registeredChannels().find(channel->name())) {
        reply(client, channel->name() + " is already registered");
    } else if (!server.registeredChannels().add(channel->name(), client.account(), QDateTime::currentSecsSinceEpoch())) {
        reply(client, "The registration could not be stored; try again later");
    } else {
        if (!channel->topic().isEmpty())
            server.registeredChannels().setTopic(channel->name(), channel->topic(), channel->topicSetBy(),
                                                 channel->topicSetAtSecs());
        qCInfo(lcAccounts).noquote() << "Channel" << channel->name() << "registered by" << client.account();
        reply(client, channel->name() + " is registered to " + client.account());
    }
}

// ACCESS <#channel> ADD <account> op|voice | DEL <account> | LIST
void accessList(ClientSession &client, const QByteArrayList &words)
{
    const RegisteredChannel *channel = registration(client, words);
    if (!channel)
        return;
    const QByteArray action = words.value(2).toUpper();
    if (action == "LIST" && words.size() == 3) {
        reply(client, channel->founder + " founder");
        for (const auto &[account, level] : channel->access)
            reply(client, account + (level == AccessLevel::Operator ? " op" : " voice"));
        reply(client, "End of the access list of " + channel->name);
        return;
    }
    const bool add = action == "ADD" && words.size() == 5;
    if (!add && !(action == "DEL" && words.size() == 4)) {
        reply(client, "Syntax: ACCESS <#channel> ADD <account> op|voice, DEL <account>, or LIST");
        return;
    }
    if (!isFounder(client, *channel)) {
        reply(client, "Only the founder of " + channel->name + " may change its access list");
        return;
    }
    const std::optional<Account> account = client.server().accountStore().find(words.at(3));
    AccessLevel level = AccessLevel::None;
    if (add) {
        const QByteArray levelName = words.at(4).toLower();
        if (levelName != "op" && levelName != "voice") {
            reply(client, "The level is op or voice");
            return;
        }
        level = levelName == "op" ? AccessLevel::Operator : AccessLevel::Voice;
        if (!account) {
            reply(client, words.at(3) + " is not a registered account");
            return;
        }
    }
    const QByteArray name = account ? account->name : words.at(3);
    if (!client.server().registeredChannels().setAccess(channel->name, name, level)) {
        reply(client, "The access list could not be changed");
        return;
    }
    reply(client, add ? name + " is now " + words.at(4).toLower() + " on " + channel->name
                      : name + " is no longer on the access list of " + channel->name);
}

// OP <#channel>
void op(ClientSession &client, const QByteArrayList &words)
{
    const RegisteredChannel *registered = registration(client, words);
    if (!registered)
        return;
    Channel *channel = client.server().registry().findChannel(registered->name);
    if (!channel || !client.isIn(channel)) {
        reply(client, "Join " + registered->name + " first");
        return;
    }
    if (client.server().registeredChannels().levelFor(registered->name, client.account()) != AccessLevel::Operator) {
        reply(client, "The access list of " + registered->name + " does not make you an operator");
        return;
    }
    applyRegisteredStatus(client, *channel);
}

// INFO <#channel>
void info(ClientSession &client, const QByteArrayList &words)
{
    const RegisteredChannel *channel = registration(client, words);
    if (!channel)
        return;
    reply(client, channel->name + " is registered to " + channel->founder + " since "
                      + QDateTime::fromSecsSinceEpoch(channel->registeredAtSecs, Qt::UTC).toString(Qt::ISODate).toLatin1());
}

// DROP <#channel>
void drop(ClientSession &client, const QByteArrayList &words)
{
    const RegisteredChannel *registered = registration(client, words);
    if (!registered)
        return;
    if (!isFounder(client, *registered)) {
        reply(client, "Only the founder of " + registered->name + " may drop it");
        return;
    }
    const QByteArray name = registered->name;
    if (!client.server().registeredChannels().drop(name)) {
        reply(client, "The registration could not be removed; try again later");
        return;
    }
    Registry &registry = client.server().registry();
    if (Channel *channel = registry.findChannel(name))
        registry.removeChannelIfEmpty(channel);
    reply(client, name + " is no longer registered");
}

} // namespace

bool isChanServ(const QByteArray &target)
{
    return protocol::equalsFolded(target, kChanServ);
}

void applyRegisteredStatus(ClientSession &client, Channel &channel)
{
    Server &server = client.server();
    const AccessLevel level = server.registeredChannels().levelFor(channel.name(), client.account());
    if (level == AccessLevel::None)
        return;
    const bool op = level == AccessLevel::Operator;
    if (!channel.setStatus(&client, op ? Channel::Status::Operator : Channel::Status::Voice, true))
        return;
    Outgoing mode(Message("MODE", {channel.name(), op ? "+o" : "+v", client.nick()}, chanServPrefix(server)));
    channel.broadcast(mode);
}

void messageChanServ(ClientSession &client, const QByteArray &text)
{
    const QByteArrayList words = text.simplified().split(' ');
    const QByteArray command = words.first().toUpper();
    if (command == "REGISTER")
        registerChannel(client, words);
    else if (command == "ACCESS")
        accessList(client, words);
    else if (command == "OP")
        op(client, words);
    else if (command == "INFO")
        info(client, words);
    else if (command == "DROP")
        drop(client, words);
    else if (command == "HELP" || command.isEmpty())
        help(client);
    else
        reply(client, "Unknown command " + words.first().left(32) + "; try HELP");
}

} // namespace tktalk::server::commands
