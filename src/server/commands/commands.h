#pragma once

#include "clientsession.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace tktalk::protocol {
struct Message;
}

namespace tktalk::server {

struct AuthOutcome;
class Channel;
class ClientSession;

/// Every command handler has this shape. Handlers write replies through the session and never
/// touch sockets; the table has already checked registration and the minimum parameter count.
using CommandHandler = void (*)(ClientSession &client, const protocol::Message &message);

namespace commands {

// connection.cpp
void cap(ClientSession &client, const protocol::Message &message);
/// The capabilities CAP LS offers now (draft/account-registration only while registration is on).
Capabilities offeredCapabilities(const Server &server);
/// After a reload: tells the clients that have cap-notify what the change of configuration added to
/// (CAP NEW) or removed from (CAP DEL) what @p before offered, and drops the removed ones.
void announceOfferChange(Server &server, const QList<ClientSession *> &clients, Capabilities before);
void pass(ClientSession &client, const protocol::Message &message);
void nick(ClientSession &client, const protocol::Message &message);
void user(ClientSession &client, const protocol::Message &message);
void ping(ClientSession &client, const protocol::Message &message);
void pong(ClientSession &client, const protocol::Message &message);
void quit(ClientSession &client, const protocol::Message &message);

// accounts.cpp
void authenticate(ClientSession &client, const protocol::Message &message);
void registerAccount(ClientSession &client, const protocol::Message &message);
/// Logs @p client in to @p account: 900, its nick, account-notify, +o for an operator account.
void logIn(ClientSession &client, const QByteArray &account);
/// Why a login failed, for the user (wrong password, throttled, busy, database down).
QByteArray loginFailureText(const AuthOutcome &outcome);
/// @brief Why a new password is refused: the IRCv3 FAIL code and a sentence for the user.
struct PasswordProblem
{
    QByteArray code; ///< WEAK_PASSWORD or UNACCEPTABLE_PASSWORD
    QByteArray text;
};
/// The password policy for new accounts and new passwords (REGISTER, NickServ REGISTER and SET
/// PASSWORD): nullopt when @p password is acceptable. @p minimumLength is the configured
/// min-password-length.
std::optional<PasswordProblem> passwordProblem(const QByteArray &password, int minimumLength);
/// "INVALID_EMAIL" when @p email is neither "*" (none) nor an address; empty when acceptable.
QByteArray emailProblem(const QByteArray &email);

// nickserv.cpp: the NickServ pseudo-user.
/// True if @p target names NickServ (any case).
bool isNickServ(const QByteArray &target);
/// Runs a command sent to NickServ with PRIVMSG: REGISTER, IDENTIFY, SET, INFO, GHOST, HELP.
void messageNickServ(ClientSession &client, const QByteArray &text);

// chanserv.cpp: the ChanServ pseudo-user and registered channels.
bool isChanServ(const QByteArray &target);
/// Runs a command sent to ChanServ with PRIVMSG: REGISTER, ACCESS, OP, DEOP, INFO, SET, DROP, HELP.
void messageChanServ(ClientSession &client, const QByteArray &text);
/// Gives @p client (a member of @p channel) the status a registered channel's access list gives
/// its account, announcing it with a MODE from ChanServ; nothing for other channels.
void applyRegisteredStatus(ClientSession &client, Channel &channel);

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

// mode.cpp
void mode(ClientSession &client, const protocol::Message &message);
/// Who is changing a channel's modes: one of its operators, or a server operator (SAMODE).
enum class ModeAuthority { ChannelOperator, ServerOperator };
/// MODE <channel> [<modestring> [<arguments>...]] on @p channel, which the caller found as
/// @p authority may see it, with the authority of @p authority.
void channelMode(ClientSession &client, Channel &channel, const protocol::Message &message, ModeAuthority authority);

// operators.cpp
void oper(ClientSession &client, const protocol::Message &message);
void kill(ClientSession &client, const protocol::Message &message);
void kline(ClientSession &client, const protocol::Message &message);
void unkline(ClientSession &client, const protocol::Message &message);
void purgeHistory(ClientSession &client, const protocol::Message &message);
void stats(ClientSession &client, const protocol::Message &message);
void wallops(ClientSession &client, const protocol::Message &message);
void rehash(ClientSession &client, const protocol::Message &message);
void samode(ClientSession &client, const protocol::Message &message);
/// Grants user mode +o to a client logged in (SASL) to an operator account.
void grantOperatorIfOperAccount(ClientSession &client);
/// If a server ban matches @p client, sends 465 and closes the connection; returns true then.
bool refuseIfServerBanned(ClientSession &client);

// moderation.cpp
void kick(ClientSession &client, const protocol::Message &message);
void invite(ClientSession &client, const protocol::Message &message);

// monitor.cpp
void monitor(ClientSession &client, const protocol::Message &message);

// readmarker.cpp: IRCv3 draft/read-marker.
void markread(ClientSession &client, const protocol::Message &message);
/// After @p client joined @p channel: its read marker there, if it negotiated draft/read-marker.
void sendJoinReadMarker(ClientSession &client, const QByteArray &channel);
// chathistory.cpp
/// The most entries one CHATHISTORY returns (ISUPPORT CHATHISTORY); a larger limit is clamped to it.
constexpr int kChatHistoryMaxLimit = 100;
void chathistory(ClientSession &client, const protocol::Message &message);

// messaging.cpp
void privmsg(ClientSession &client, const protocol::Message &message);
void notice(ClientSession &client, const protocol::Message &message);
void tagmsg(ClientSession &client, const protocol::Message &message);

// redaction.cpp
void redact(ClientSession &client, const protocol::Message &message);

// users.cpp
void who(ClientSession &client, const protocol::Message &message);
void whois(ClientSession &client, const protocol::Message &message);
void userhost(ClientSession &client, const protocol::Message &message);
void ison(ClientSession &client, const protocol::Message &message);
void away(ClientSession &client, const protocol::Message &message);
void setname(ClientSession &client, const protocol::Message &message);
void whowas(ClientSession &client, const protocol::Message &message);
/// Sends @p message from @p client to the peers that share a channel with it (each once) and,
/// with @p includingSelf, to the client itself: to those of them that negotiated @p capability.
/// Account-tag clients see the client's account on it (AWAY, SETNAME, ACCOUNT).
void tellPeersWith(ClientSession &client, Capability capability, const protocol::Message &message,
                   bool includingSelf);

// Shared pieces of the replies above.
void sendWelcome(ClientSession &client);
void sendMotd(ClientSession &client);
void sendLusers(ClientSession &client);
void sendIsupport(ClientSession &client);
void sendNames(ClientSession &client, const Channel &channel);
/// Finishes connection registration once NICK, USER, CAP END and any login in progress are done.
void completeRegistrationIfReady(ClientSession &client);
/// True unless the server has a password and the client has not sent it with PASS.
bool serverPasswordSatisfied(const ClientSession &client);

// nickreservation.cpp: registered nicknames belong to their accounts.
/// True if @p nick is a registered account that @p client is not logged in to.
bool isReservedAgainst(ClientSession &client, const QByteArray &nick);
/// Before @p client takes @p nick: if the client owns it, anyone squatting on it becomes a guest.
/// Returns false (with 433 sent) if the nick is reserved for someone else and may not be taken.
bool prepareNickClaim(ClientSession &client, const QByteArray &nick);
/// After a registered client's nick changed (or registration completed): warns a client using a
/// reserved nick and renames it to a guest name when the grace period ends without a login.
void guardNick(ClientSession &client);
/// Renames @p client to a free "GuestNNNNN" nick, telling it why with a NOTICE.
void renameToGuest(ClientSession &client, const QByteArray &why);

/// Joins @p client to the channel named @p name (valid, not yet joined) with @p key, announcing it,
/// unless the channel's modes refuse it (471, 473, 474, 475). The first to join becomes its operator.
/// Returns the channel joined, or nullptr when refused.
const Channel *joinChannel(ClientSession &client, const QByteArray &name, const QByteArray &key = {});
/// Shows @p session, just attached to @p user, the channels the user is in, as if it had joined
/// them: JOIN, topic, NAMES.
void showChannelsToAttached(ClientSession &session, ClientSession &user);

// sessions.cpp: several devices, one account.
/// The user @p client, registering, is to attach to: the online user of the account it logged in
/// to, when the server lets accounts have several sessions; nullptr otherwise.
ClientSession *userToAttachTo(ClientSession &client);
/// Attaches @p client, registering, to @p user (welcome, then the user's channels), or refuses it
/// (FAIL TOO_MANY_SESSIONS, closed) when the user has max-sessions-per-account already.
void attachSession(ClientSession &client, ClientSession &user);

} // namespace commands
} // namespace tktalk::server
