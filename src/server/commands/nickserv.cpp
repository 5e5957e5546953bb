// NickServ, a built-in pseudo-user (as Ergo has) through which any IRC client, including one
// without SASL, uses its account: PRIVMSG NickServ :IDENTIFY <account> <password>. Its replies are
// NOTICEs from NickServ. It uses the same account store, password hashing, password policy and
// lockout as SASL and REGISTER; every change it makes is written to the audit log.

#include "commands.h"

#include "accounts/accountstore.h"
#include "accounts/authenticator.h"
#include "auditlog.h"
#include "clientsession.h"
#include "logging.h"
#include "protocol/names.h"
#include "server.h"

#include <QDateTime>

namespace tktalk::server::commands {

using protocol::Message;

namespace {

constexpr const char *kNickServ = "NickServ";

void reply(ClientSession &client, const QByteArray &text)
{
    client.send(Message("NOTICE", {client.nick(), text}, QByteArray(kNickServ) + "!NickServ@" + client.server().name()));
}

void help(ClientSession &client)
{
    for (const char *line : {"NickServ lets you use your account from any IRC client:",
                             "REGISTER <password> [<email>]    register your nick as an account, and log in",
                             "IDENTIFY [<account>] <password>  log in (the account defaults to your nick)",
                             "SET PASSWORD <new password>      change your account's password (log in first)",
                             "INFO [<account>]                 when an account was registered",
                             "GHOST <nick>                     disconnect a connection using your account's nick",
                             "HELP                             this list"})
        reply(client, line);
}

void audit(ClientSession &client, const QByteArray &action, const QByteArray &detail)
{
    client.server().auditLog().recordService(client.nick(), client.account(), "NickServ " + action, detail);
}

/// True (with the reason told) if @p password breaks the password policy REGISTER applies.
bool refusePassword(ClientSession &client, const QByteArray &password)
{
    const std::optional<PasswordProblem> problem = passwordProblem(password, client.server().config().minPasswordLength);
    if (problem)
        reply(client, problem->text);
    return problem.has_value();
}

// REGISTER <password> [<email>]
void registerNick(ClientSession &client, const QByteArrayList &words)
{
    Server &server = client.server();
    if (words.size() < 2 || words.size() > 3) {
        reply(client, "Syntax: REGISTER <password> [<email>]");
        return;
    }
    const QByteArray account = client.nick();
    const QByteArray email = words.value(2, "*");
    if (!server.config().accountRegistration) {
        reply(client, "This server does not let users create accounts; ask its administrator");
    } else if (!client.account().isEmpty()) {
        reply(client, "You are already logged in as " + client.account());
    } else if (client.auth().checkInFlight) {
        reply(client, "A login or registration is already being processed; wait for its result");
    } else if (!emailProblem(email).isEmpty()) {
        reply(client, "That is not an email address");
    } else if (!refusePassword(client, words.at(1))) {
        client.auth().checkInFlight = true;
        server.authenticator().registerAccount(
            &client, account, email == "*" ? QByteArray() : email, words.at(1), client.certificateFingerprint(),
            client.peerAddress(), [&client, account](const AuthOutcome &outcome) {
                client.auth().checkInFlight = false;
                if (client.state() == ClientSession::State::Closing)
                    return;
                switch (outcome.result) {
                case AuthOutcome::Result::Success:
                    logIn(client, outcome.account);
                    audit(client, "REGISTER", outcome.account);
                    reply(client, "The account " + outcome.account + " is registered, and you are logged in to it");
                    break;
                case AuthOutcome::Result::Exists:
                    reply(client, account + " is already registered; IDENTIFY if it is yours");
                    break;
                case AuthOutcome::Result::Throttled:
                    reply(client, "Too many accounts created from your address; try again in "
                                      + QByteArray::number((outcome.retryAfterMs + 999) / 1000) + " seconds");
                    break;
                default:
                    reply(client, loginFailureText(outcome));
                    break;
                }
            });
    }
}

// SET PASSWORD <new password>
void set(ClientSession &client, const QByteArrayList &words)
{
    if (words.size() != 3 || words.at(1).toUpper() != "PASSWORD") {
        reply(client, "Syntax: SET PASSWORD <new password>");
        return;
    }
    if (client.account().isEmpty()) {
        reply(client, "Log in first (IDENTIFY)");
        return;
    }
    if (client.auth().checkInFlight) {
        reply(client, "A login or registration is already being processed; wait for its result");
        return;
    }
    if (refusePassword(client, words.at(2)))
        return;
    client.auth().checkInFlight = true;
    client.server().authenticator().changePassword(
        &client, client.account(), words.at(2), [&client, asking = client.askingSession()](const AuthOutcome &outcome) {
            client.auth().checkInFlight = false;
            if (client.state() == ClientSession::State::Closing)
                return;
            ClientSession::Acting acting(client, client.stillAsking(asking)); // answer the device that asked
            if (outcome.result != AuthOutcome::Result::Success) {
                reply(client, outcome.result == AuthOutcome::Result::Busy
                                  ? loginFailureText(outcome)
                                  : QByteArrayLiteral("The new password could not be stored; try again later"));
                return;
            }
            audit(client, "SET PASSWORD", outcome.account);
            reply(client, "The password of " + outcome.account + " is changed");
        });
}

// IDENTIFY [<account>] <password>
void identify(ClientSession &client, const QByteArrayList &words)
{
    if (words.size() < 2 || words.size() > 3) {
        reply(client, "Syntax: IDENTIFY [<account>] <password>");
        return;
    }
    if (!client.account().isEmpty()) {
        reply(client, "You are already logged in as " + client.account());
        return;
    }
    const QByteArray account = words.size() == 3 ? words.at(1) : client.nick();
    client.server().authenticator().checkPassword(
        &client, account, words.last(), client.peerAddress(), [&client](const AuthOutcome &outcome) {
            if (client.state() == ClientSession::State::Closing)
                return;
            if (outcome.result != AuthOutcome::Result::Success) {
                qCInfo(lcAccounts).noquote() << "Failed NickServ IDENTIFY from" << client.host();
                reply(client, outcome.result == AuthOutcome::Result::BadCredentials
                                  ? QByteArrayLiteral("Wrong account name or password")
                                  : loginFailureText(outcome));
                return;
            }
            if (!client.account().isEmpty()) // two IDENTIFYs raced
                return;
            logIn(client, outcome.account);
            reply(client, "You are now logged in as " + outcome.account);
        });
}

// INFO [<account>]
void info(ClientSession &client, const QByteArrayList &words)
{
    const QByteArray name = words.value(1, client.account().isEmpty() ? client.nick() : client.account());
    const std::optional<Account> account = client.server().accountStore().find(name);
    if (!account) {
        reply(client, name + " is not a registered account");
        return;
    }
    const QByteArray registered =
        QDateTime::fromSecsSinceEpoch(account->createdAtSecs, Qt::UTC).toString(Qt::ISODate).toLatin1();
    reply(client, "Account " + account->name + ", registered " + registered
                      + (account->isOperator ? QByteArray(", a server operator") : QByteArray()));
}

// GHOST <nick>
void ghost(ClientSession &client, const QByteArrayList &words)
{
    if (words.size() != 2) {
        reply(client, "Syntax: GHOST <nick>");
        return;
    }
    if (client.account().isEmpty()) {
        reply(client, "Log in first (IDENTIFY)");
        return;
    }
    ClientSession *ghost = client.server().registry().findClient(words.at(1));
    const bool owned = ghost && ghost != &client
                       && (protocol::equalsFolded(ghost->account(), client.account())
                           || protocol::equalsFolded(ghost->nick(), client.account()));
    if (!owned) {
        reply(client, "No other connection of yours uses the nick " + words.at(1));
        return;
    }
    const QByteArray nick = ghost->nick();
    ghost->closeUser("GHOST command used by " + client.nick());
    audit(client, "GHOST", nick);
    reply(client, nick + " has been disconnected");
}

} // namespace

bool isNickServ(const QByteArray &target)
{
    return protocol::equalsFolded(target, kNickServ);
}

void messageNickServ(ClientSession &client, const QByteArray &text)
{
    const QByteArrayList words = text.simplified().split(' ');
    const QByteArray command = words.first().toUpper();
    if (command == "IDENTIFY")
        identify(client, words);
    else if (command == "REGISTER")
        registerNick(client, words);
    else if (command == "SET")
        set(client, words);
    else if (command == "INFO")
        info(client, words);
    else if (command == "GHOST")
        ghost(client, words);
    else if (command == "HELP" || command.isEmpty())
        help(client);
    else
        reply(client, "Unknown command " + words.first().left(32) + "; try HELP");
}

} // namespace tktalk::server::commands
