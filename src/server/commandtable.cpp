#include "commandtable.h"

#include "clientsession.h"
#include "commands/commands.h"
#include "protocol/message.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace tktalk::server {

using protocol::Numeric;

namespace {

struct Command
{
    const char *name;
    CommandHandler handler;
    bool usableBeforeRegistration;
    int minParams;
};

// Sorted by name: looked up by binary search.
constexpr Command kCommands[] = {
    {"ADMIN", commands::admin, false, 0},
    {"AUTHENTICATE", commands::authenticate, true, 1},
    {"AWAY", commands::away, false, 0},
    {"CAP", commands::cap, true, 1},
    {"CHATHISTORY", commands::chathistory, false, 0},
    {"INVITE", commands::invite, false, 0},
    {"ISON", commands::ison, false, 1},
    {"JOIN", commands::join, false, 1},
    {"KICK", commands::kick, false, 2},
    {"KILL", commands::kill, false, 2},
    {"KLINE", commands::kline, false, 1},
    {"LIST", commands::list, false, 0},
    {"LUSERS", commands::lusers, false, 0},
    // No minimum: a missing target is a FAIL (draft/read-marker), not 461.
    {"MARKREAD", commands::markread, false, 0},
    {"MODE", commands::mode, false, 1},
    {"MONITOR", commands::monitor, false, 1},
    {"MOTD", commands::motd, false, 0},
    {"NAMES", commands::names, false, 0},
    {"NICK", commands::nick, true, 0},
    {"NOTICE", commands::notice, false, 0},
    {"OPER", commands::oper, false, 2},
    {"PART", commands::part, false, 1},
    {"PASS", commands::pass, true, 1},
    {"PING", commands::ping, true, 0},
    {"PONG", commands::pong, true, 0},
    {"PRIVMSG", commands::privmsg, false, 0},
    {"PURGEHISTORY", commands::purgeHistory, false, 1},
    {"QUIT", commands::quit, true, 0},
    {"REDACT", commands::redact, false, 2},
    {"REGISTER", commands::registerAccount, true, 3},
    {"REHASH", commands::rehash, false, 0},
    {"SAMODE", commands::samode, false, 2},
    {"SETNAME", commands::setname, false, 1},
    {"STATS", commands::stats, false, 1},
    {"TAGMSG", commands::tagmsg, false, 0},
    {"TIME", commands::time, false, 0},
    {"TOPIC", commands::topic, false, 1},
    {"UNKLINE", commands::unkline, false, 1},
    {"USER", commands::user, true, 4},
    {"USERHOST", commands::userhost, false, 1},
    {"VERSION", commands::version, false, 0},
    {"WALLOPS", commands::wallops, false, 1},
    {"WHO", commands::who, false, 0},
    {"WHOIS", commands::whois, false, 1},
    {"WHOWAS", commands::whowas, false, 1},
};

constexpr bool isSortedByName()
{
    for (std::size_t i = 1; i < std::size(kCommands); ++i) {
        if (!(std::string_view(kCommands[i - 1].name) < std::string_view(kCommands[i].name)))
            return false;
    }
    return true;
}
static_assert(isSortedByName(), "kCommands must stay sorted by name: it is searched by binary search");

const Command *findCommand(const QByteArray &name)
{
    const auto end = std::end(kCommands);
    const auto it = std::lower_bound(std::begin(kCommands), end, name,
                                     [](const Command &c, const QByteArray &n) { return n > c.name; });
    return it != end && name == it->name ? it : nullptr;
}

} // namespace

void dispatchCommand(ClientSession &client, const protocol::Message &message)
{
    const Command *command = findCommand(message.command);
    if (!command) {
        // Numerics are replies between servers; a client has no business sending them.
        client.sendNumeric(Numeric::ERR_UNKNOWNCOMMAND, {message.command, "Unknown command"});
        return;
    }
    if (!command->usableBeforeRegistration && !client.isRegistered()) {
        client.sendNumeric(Numeric::ERR_NOTREGISTERED, {"You have not registered"});
        return;
    }
    if (message.params.size() < command->minParams) {
        client.sendNumeric(Numeric::ERR_NEEDMOREPARAMS, {message.command, "Not enough parameters"});
        return;
    }
    command->handler(client, message);
}

} // namespace tktalk::server
