#pragma once

#include <QByteArray>

namespace tktalk::protocol {
struct Message;
}

namespace tktalk::server {

class Channel;
class ClientSession;

/// Every command handler has this shape. Handlers write replies through the session and never
/// touch sockets; the table has already checked registration and the minimum parameter count.
using CommandHandler = void (*)(ClientSession &client, const protocol::Message &message);

namespace commands {

// connection.cpp
void cap(ClientSession &client, const protocol::Message &message);
void pass(ClientSession &client, const protocol::Message &message);
void nick(ClientSession &client, const protocol::Message &message);
void user(ClientSession &client, const protocol::Message &message);
void ping(ClientSession &client, const protocol::Message &message);
void pong(ClientSession &client, const protocol::Message &message);
void quit(ClientSession &client, const protocol::Message &message);

// serverinfo.cpp
void motd(ClientSession &client, const protocol::Message &message);
void lusers(ClientSession &client, const protocol::Message &message);
void version(ClientSession &client, const protocol::Message &message);
void time(ClientSession &client, const protocol::Message &message);
void admin(ClientSession &client, const protocol::Message &message);

// channels.cpp
void join(ClientSession &client, const protocol::Message &message);
void part(ClientSession &client, const protocol::Message &message);
void topic(ClientSession &client, const protocol::Message &message);
void names(ClientSession &client, const protocol::Message &message);
void list(ClientSession &client, const protocol::Message &message);
void mode(ClientSession &client, const protocol::Message &message);
void kick(ClientSession &client, const protocol::Message &message);
void invite(ClientSession &client, const protocol::Message &message);

// messaging.cpp
void privmsg(ClientSession &client, const protocol::Message &message);
void notice(ClientSession &client, const protocol::Message &message);

// users.cpp
void who(ClientSession &client, const protocol::Message &message);
void whois(ClientSession &client, const protocol::Message &message);
void userhost(ClientSession &client, const protocol::Message &message);
void ison(ClientSession &client, const protocol::Message &message);
void away(ClientSession &client, const protocol::Message &message);
void whowas(ClientSession &client, const protocol::Message &message);
void kill(ClientSession &client, const protocol::Message &message);

// Shared pieces of the replies above.
void sendWelcome(ClientSession &client);
void sendMotd(ClientSession &client);
void sendLusers(ClientSession &client);
void sendIsupport(ClientSession &client);
void sendNames(ClientSession &client, const Channel &channel);
/// Joins @p client to the channel named @p name (valid, not yet joined), announcing it.
void joinChannel(ClientSession &client, const QByteArray &name);

} // namespace commands
} // namespace tktalk::server
