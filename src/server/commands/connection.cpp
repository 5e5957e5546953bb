// Connection registration and keep-alive: CAP, PASS, NICK, USER, PING, PONG, QUIT.

#include "commands.h"

#include "channel.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "logging.h"
#include "history/history.h"
#include "history/playback.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "server.h"

#include <QCryptographicHash>

#include <openssl/crypto.h>

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

struct CapabilityName
{
    const char *name;
    Capability flag;
    const char *value; ///< shown after "=" to CAP LS 302 clients; nullptr: none
};
constexpr CapabilityName kCapabilities[] = {
    {"account-notify", Capability::AccountNotify, nullptr},
    {"account-tag", Capability::AccountTag, nullptr},
    {"away-notify", Capability::AwayNotify, nullptr},
    {"batch", Capability::Batch, nullptr},
    {"cap-notify", Capability::CapNotify, nullptr},
    {"draft/account-registration", Capability::AccountRegistration, "before-connect,custom-account-name"},
    {"draft/read-marker", Capability::ReadMarker, nullptr},
    {"draft/chathistory", Capability::ChatHistory, nullptr},
    {"draft/event-playback", Capability::EventPlayback, nullptr},
    {"draft/message-redaction", Capability::MessageRedaction, nullptr},
    {"echo-message", Capability::EchoMessage, nullptr},
    {"extended-join", Capability::ExtendedJoin, nullptr},
    {"invite-notify", Capability::InviteNotify, nullptr},
    {"labeled-response", Capability::LabeledResponse, nullptr},
    {"message-tags", Capability::MessageTags, nullptr},
    {"multi-prefix", Capability::MultiPrefix, nullptr},
    {"sasl", Capability::Sasl, "PLAIN,EXTERNAL"},
    {"server-time", Capability::ServerTime, nullptr},
    {"setname", Capability::SetName, nullptr},
    {"standard-replies", Capability::StandardReplies, nullptr},
    {"userhost-in-names", Capability::UserhostInNames, nullptr},
};

QByteArray capabilityList(Capabilities caps, bool withValues = false)
{
    QByteArrayList names;
    for (const CapabilityName &cap : kCapabilities) {
        if (caps.testFlag(cap.flag))
            names << (withValues && cap.value ? cap.name + QByteArray("=") + cap.value : QByteArray(cap.name));
    }
    return names.join(' ');
}

/// What this server offers: account registration only when the administrator allows it; what
/// needs the history (reading it, redacting from it) only while it is on.
Capabilities offeredNow(const Server &server)
{
    Capabilities all;
    for (const CapabilityName &cap : kCapabilities)
        all |= cap.flag;
    all.setFlag(Capability::AccountRegistration, server.config().accountRegistration);
    all.setFlag(Capability::ChatHistory, server.history().isOn());
    all.setFlag(Capability::EventPlayback, server.history().isOn());
    all.setFlag(Capability::MessageRedaction, server.history().isOn());
    return all;
}

bool passwordMatches(const QByteArray &given, const QByteArray &expected)
{
    // Compare digests in constant time, so neither the content nor the length leaks through timing.
    const QByteArray a = QCryptographicHash::hash(given, QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(expected, QCryptographicHash::Sha256);
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

/// USER's user name becomes "~name": only safe characters, at most USERLEN, '~' marking that no
/// ident server vouched for it.
QByteArray sanitizeUserName(const QByteArray &requested)
{
    QByteArray user;
    for (char c : requested) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                          || c == '-' || c == '.';
        if (safe)
            user += c;
        if (user.size() == protocol::kMaxUserBytes - 1)
            break;
    }
    return '~' + (user.isEmpty() ? QByteArrayLiteral("user") : user);
}

} // namespace

bool serverPasswordSatisfied(const ClientSession &client)
{
    const QByteArray &expected = client.server().password();
    return expected.isEmpty() || passwordMatches(client.password(), expected);
}

void completeRegistrationIfReady(ClientSession &client)
{
    if (client.isRegistered() || client.user().isEmpty() || client.isCapNegotiating() || client.auth().checkInFlight
        || client.state() == ClientSession::State::Closing)
        return;
    // A device of a user already online needs no nick of its own: its NICK may have been refused
    // as the user's own, in use.
    ClientSession *user = userToAttachTo(client);
    if (client.nick().isEmpty() && !user)
        return;
    Server &server = client.server();
    if (!serverPasswordSatisfied(client)) {
        client.sendNumeric(Numeric::ERR_PASSWDMISMATCH, {"Password incorrect"});
        client.close("Bad password");
        return;
    }
    if (server.config().requireAccount && client.account().isEmpty()) {
        client.sendFail("*", "ACCOUNT_REQUIRED", {"This server admits only users logged in to an account (SASL)"});
        client.close("Account required");
        return;
    }
    if (refuseIfServerBanned(client))
        return;
    if (user) {
        attachSession(client, *user);
        return;
    }
    client.setRegistered();
    qCInfo(lcConnection).noquote() << "Registered" << client.nick() << "from" << client.host()
                                   << (client.account().isEmpty() ? QByteArray() : "as account " + client.account());
    sendWelcome(client);
    server.registry().monitors().announceOnline(client);
    grantOperatorIfOperAccount(client);
    const QByteArray &channel = server.config().defaultChannel;
    // Whoever arrives sees what was said in the room before, as on any JOIN.
    if (const Channel *joined = channel.isEmpty() ? nullptr : joinChannel(client, channel))
        playback::onJoin(client, {joined->name()});
    guardNick(client);
    server.history().deliverWaiting(client);
}

// CAP LS [version] | CAP LIST | CAP REQ :<caps> | CAP END
void cap(ClientSession &client, const Message &message)
{
    const QByteArray subcommand = message.params.at(0).toUpper();
    const QByteArray target = client.replyTarget();
    const QByteArray &server = client.server().name();
    if (subcommand == "LS") {
        if (!client.isRegistered())
            client.setCapNegotiating(true);
        const bool withValues = message.param(1).toInt() >= 302;
        if (withValues) {
            // CAP LS 302 implies cap-notify for the rest of the connection.
            client.setCapVersion(302);
            client.setCapabilities(client.capabilities() | Capability::CapNotify);
        }
        client.send(Message("CAP", {target, "LS", capabilityList(offeredNow(client.server()), withValues)},
                            server));
    } else if (subcommand == "LIST") {
        client.send(Message("CAP", {target, "LIST", capabilityList(client.capabilities())}, server));
    } else if (subcommand == "REQ") {
        if (!client.isRegistered())
            client.setCapNegotiating(true);
        const QByteArray requested = message.param(1);
        Capabilities caps = client.capabilities();
        bool allKnown = !requested.trimmed().isEmpty();
        for (QByteArray name : requested.split(' ')) {
            if (name.isEmpty())
                continue;
            const bool disable = name.startsWith('-');
            if (disable)
                name.remove(0, 1);
            const auto known = std::find_if(std::begin(kCapabilities), std::end(kCapabilities),
                                            [&name](const CapabilityName &cap) { return name == cap.name; });
            // cap-notify cannot be turned off for a client that sent CAP LS 302.
            const bool locked = disable && known != std::end(kCapabilities) && known->flag == Capability::CapNotify
                                && client.capVersion() >= 302;
            if (known == std::end(kCapabilities) || !offeredNow(client.server()).testFlag(known->flag)
                || locked) {
                allKnown = false;
                break;
            }
            caps.setFlag(known->flag, !disable);
        }
        // A request is granted whole or not at all.
        if (allKnown)
            client.setCapabilities(caps);
        client.send(Message("CAP", {target, allKnown ? "ACK" : "NAK", requested}, server));
    } else if (subcommand == "END") {
        if (!client.isRegistered()) {
            client.setCapNegotiating(false);
            completeRegistrationIfReady(client);
        }
    } else {
        client.sendNumeric(Numeric::ERR_INVALIDCAPCMD, {message.params.at(0), "Invalid CAP command"});
    }
}

// PASS <password>
void pass(ClientSession &client, const Message &message)
{
    if (client.isRegistered()) {
        client.sendNumeric(Numeric::ERR_ALREADYREGISTERED, {"You may not reregister"});
        return;
    }
    client.setPassword(message.params.at(0));
}

// NICK <nickname>
void nick(ClientSession &client, const Message &message)
{
    const QByteArray wanted = message.param(0);
    if (wanted.isEmpty()) {
        client.sendNumeric(Numeric::ERR_NONICKNAMEGIVEN, {"No nickname given"});
        return;
    }
    if (!protocol::isValidNick(wanted)) {
        client.sendNumeric(Numeric::ERR_ERRONEUSNICKNAME, {wanted, "Erroneous nickname"});
        return;
    }
    if (isNickServ(wanted) || isChanServ(wanted)) {
        client.sendNumeric(Numeric::ERR_ERRONEUSNICKNAME, {wanted, "Reserved for services"});
        return;
    }
    if (wanted == client.nick())
        return;
    // A nick banned in a channel must not escape the ban by changing (as hybrid and Solanum refuse).
    if (const Channel *bannedIn = client.isRegistered() ? access::nickChangeBlocker(client) : nullptr) {
        client.sendNumeric(Numeric::ERR_BANNICKCHANGE,
                           {wanted, bannedIn->name(), "Cannot change nickname while banned on channel"});
        return;
    }
    // Every peer sees each change: a registered client's changes are budgeted.
    qint64 waitSecs = 0;
    if (client.isRegistered()
        && !client.limits().spend(SessionLimits::Budget::NickChange, client.server().nowMs(), &waitSecs)) {
        client.sendNumeric(Numeric::ERR_NICKTOOFAST,
                           {wanted, "Nick change too fast; try again in " + QByteArray::number(waitSecs) + " seconds"});
        return;
    }
    Registry &registry = client.server().registry();
    if (!prepareNickClaim(client, wanted))
        return;
    if (!registry.claimNick(&client, client.nick(), wanted)) {
        client.sendNumeric(Numeric::ERR_NICKNAMEINUSE, {wanted, "Nickname is already in use"});
        return;
    }
    if (!client.isRegistered()) {
        client.setNick(wanted);
        completeRegistrationIfReady(client);
        return;
    }
    Outgoing change(Message("NICK", {wanted}, client.prefix()), client.account());
    client.deliver(change);
    registry.forEachPeer(client, [&change](ClientSession &peer) { peer.deliver(change); });
    client.server().history().recordInChannelsOf(client, change);
    qCInfo(lcConnection).noquote() << "Nick change" << client.nick() << "->" << wanted;
    const QByteArray oldNick = client.nick();
    client.setNick(wanted);
    registry.monitors().announceNickChange(client, oldNick);
    guardNick(client);
}

// USER <user> <mode> <unused> :<realname>
void user(ClientSession &client, const Message &message)
{
    if (client.isRegistered() || !client.user().isEmpty()) {
        client.sendNumeric(Numeric::ERR_ALREADYREGISTERED, {"You may not reregister"});
        return;
    }
    // Modern IRC: an empty real name is a missing parameter, as InspIRCd and Ergo answer. (Only the
    // last parameter can be empty: the user name, a middle one, never is.)
    if (message.params.at(3).isEmpty()) {
        client.sendNumeric(Numeric::ERR_NEEDMOREPARAMS, {message.command, "Not enough parameters"});
        return;
    }
    client.setUser(sanitizeUserName(message.params.at(0)),
                   protocol::truncateUtf8(message.params.at(3), protocol::kMaxRealNameBytes));
    completeRegistrationIfReady(client);
}

// PING <token>
void ping(ClientSession &client, const Message &message)
{
    if (message.param(0).isEmpty()) {
        client.sendNumeric(Numeric::ERR_NOORIGIN, {"No origin specified"});
        return;
    }
    const QByteArray &server = client.server().name();
    client.send(Message("PONG", {server, message.params.at(0)}, server));
}

// PONG <token>: liveness is already recorded when any line arrives.
void pong(ClientSession &, const Message &)
{
}

// QUIT [:<reason>]
void quit(ClientSession &client, const Message &message)
{
    // Modern IRC: "Quit: " before the reason, even an empty one, so that others can tell a QUIT the
    // user chose from a reason the server gives (a timeout, a kill).
    client.close("Quit: " + protocol::truncateUtf8(message.param(0), protocol::kMaxKickBytes));
}

Capabilities offeredCapabilities(const Server &server)
{
    return offeredNow(server);
}

// CAP <nick> NEW :<caps> | CAP <nick> DEL :<caps>, to every client with cap-notify
void announceOfferChange(Server &server, const QList<ClientSession *> &clients, Capabilities before)
{
    const Capabilities after = offeredNow(server);
    const Capabilities added = after & ~before;
    const Capabilities removed = before & ~after;
    if (!added && !removed)
        return;
    for (ClientSession *client : clients) {
        if (!client->hasCapability(Capability::CapNotify))
            continue;
        if (added)
            client->send(Message("CAP", {client->replyTarget(), "NEW", capabilityList(added, client->capVersion() >= 302)},
                                 server.name()));
        if (removed) {
            client->send(Message("CAP", {client->replyTarget(), "DEL", capabilityList(removed)}, server.name()));
            client->setCapabilities(client->capabilities() & ~removed);
        }
    }
}

} // namespace tktalk::server::commands
