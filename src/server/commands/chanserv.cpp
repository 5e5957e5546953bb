// ChanServ, a built-in pseudo-user for registered channels: a registered channel keeps its founder,
// its access list (operators and voices, by account), topic, modes and bans across restarts, exists
// while empty, and gives those on its list their status when they join. Replies are NOTICEs from
// ChanServ; every change made through it is written to the audit log.

#include "commands.h"

#include "accounts/accountstore.h"
#include "auditlog.h"
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
/// The longest SET DESCRIPTION: a line of text, like a topic.
constexpr qsizetype kMaxDescriptionBytes = 300;

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
                             "OP <#channel> [<nick>]                     give @ (to yourself: if the access list does)",
                             "DEOP <#channel> [<nick>]                   take @ (from another: if the access list lets you op)",
                             "INFO <#channel>                            founder, registration time, description",
                             "SET <#channel> FOUNDER <account>           founder only: hand the channel over",
                             "SET <#channel> DESCRIPTION [<text>]        founder only: shown by INFO (none clears it)",
                             "DROP <#channel>                            founder only: unregister it"})
        reply(client, line);
}

void audit(ClientSession &client, const QByteArray &action, const QByteArray &detail)
{
    client.server().auditLog().recordService(client.nick(), client.account(), "ChanServ " + action, detail);
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
        // What the channel is now is what it keeps: topic, modes and bans.
        const bool kept = (channel->topic().isEmpty()
                           || server.registeredChannels().setTopic(channel->name(), channel->topic(),
                                                                   channel->topicSetBy(), channel->topicSetAtSecs()))
                          && server.registeredChannels().setModes(channel->name(), channel->modes());
        audit(client, "REGISTER", channel->name());
        reply(client, channel->name() + " is registered to " + client.account());
        if (!kept)
            reply(client, "Its topic or modes could not be stored; set them again later");
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
    audit(client, "ACCESS", channel->name + (add ? " ADD " + name + ' ' + words.at(4).toLower() : " DEL " + name));
    reply(client, add ? name + " is now " + words.at(4).toLower() + " on " + channel->name
                      : name + " is no longer on the access list of " + channel->name);
}

// OP <#channel> [<nick>] | DEOP <#channel> [<nick>]
void setOperator(ClientSession &client, const QByteArrayList &words, bool on)
{
    const QByteArray command = on ? "OP" : "DEOP";
    if (words.size() > 3) {
        reply(client, "Syntax: " + command + " <#channel> [<nick>]");
        return;
    }
    const RegisteredChannel *registered = registration(client, words);
    if (!registered)
        return;
    Server &server = client.server();
    Channel *channel = server.registry().findChannel(registered->name);
    ClientSession *target = words.size() == 3 ? server.registry().findUser(words.at(2)) : &client;
    const bool self = target == &client;
    const bool mayOp = server.registeredChannels().levelFor(registered->name, client.account()) == AccessLevel::Operator;
    if (self && !client.isIn(channel)) {
        reply(client, "Join " + registered->name + " first");
    } else if (!self && !mayOp) {
        reply(client, "The access list of " + registered->name + " does not make you an operator");
    } else if (on && self && !mayOp) {
        reply(client, "The access list of " + registered->name + " does not make you an operator");
    } else if (!target || !target->isIn(channel)) {
        reply(client, words.at(2) + " is not in " + registered->name);
    } else if (channel->isOperator(target) == on) {
        reply(client, target->nick() + (on ? " is already an operator of " : " is not an operator of ")
                          + registered->name);
    } else {
        channel->setStatus(target, Channel::Status::Operator, on);
        Outgoing mode(Message("MODE", {channel->name(), on ? "+o" : "-o", target->nick()}, chanServPrefix(server)));
        channel->broadcast(mode);
        audit(client, command, channel->name() + ' ' + target->nick());
    }
}

// INFO <#channel>
void info(ClientSession &client, const QByteArrayList &words)
{
    const RegisteredChannel *channel = registration(client, words);
    if (!channel)
        return;
    reply(client, channel->name + " is registered to " + channel->founder + " since "
                      + QDateTime::fromSecsSinceEpoch(channel->registeredAtSecs, Qt::UTC).toString(Qt::ISODate).toLatin1());
    if (!channel->description.isEmpty())
        reply(client, "Description: " + channel->description);
}

// SET <#channel> FOUNDER <account> | SET <#channel> DESCRIPTION [<text>]
void set(ClientSession &client, const QByteArrayList &words)
{
    const RegisteredChannel *registered = registration(client, words);
    if (!registered)
        return;
    const QByteArray option = words.value(2).toUpper();
    const bool founder = option == "FOUNDER" && words.size() == 4;
    if (!founder && option != "DESCRIPTION") {
        reply(client, "Syntax: SET <#channel> FOUNDER <account>, or SET <#channel> DESCRIPTION [<text>]");
        return;
    }
    if (!isFounder(client, *registered)) {
        reply(client, "Only the founder of " + registered->name + " may change its settings");
        return;
    }
    RegisteredChannels &registrations = client.server().registeredChannels();
    const QByteArray name = registered->name;
    if (founder) {
        const std::optional<Account> account = client.server().accountStore().find(words.at(3));
        if (!account) {
            reply(client, words.at(3) + " is not a registered account");
        } else if (!registrations.setFounder(name, account->name)) {
            reply(client, "The new founder could not be stored; try again later");
        } else {
            audit(client, "SET", name + " FOUNDER " + account->name);
            reply(client, "The founder of " + name + " is now " + account->name);
        }
        return;
    }
    const QByteArray description = protocol::truncateUtf8(words.mid(3).join(' '), kMaxDescriptionBytes);
    if (!registrations.setDescription(name, description)) {
        reply(client, "The description could not be stored; try again later");
        return;
    }
    audit(client, "SET", name + " DESCRIPTION " + description);
    reply(client, description.isEmpty() ? "The description of " + name + " is cleared"
                                        : "The description of " + name + " is now: " + description);
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
    audit(client, "DROP", name);
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
    else if (command == "OP" || command == "DEOP")
        setOperator(client, words, command == "OP");
    else if (command == "SET")
        set(client, words);
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
