// Accounts: SASL login (AUTHENTICATE, mechanisms PLAIN and EXTERNAL) and account creation
// (REGISTER, IRCv3 draft/account-registration). Password checks run off the event loop in the
// Authenticator; these handlers only parse, answer and update the session.

#include "commands.h"

#include "accounts/authenticator.h"
#include "clientsession.h"
#include "logging.h"
#include "protocol/names.h"
#include "server.h"

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

/// IRCv3 SASL: a client sends the base64 payload in lines of at most this many bytes.
constexpr qsizetype kSaslChunkBytes = 400;
/// Whole PLAIN payloads beyond this are refused: three short strings never need more.
constexpr qsizetype kMaxSaslPayloadBytes = 4096;
constexpr qsizetype kMaxPasswordBytes = 256;
constexpr qsizetype kMaxEmailBytes = 254;

QByteArray secondsText(qint64 ms)
{
    return QByteArray::number((ms + 999) / 1000);
}

} // namespace

QByteArray loginFailureText(const AuthOutcome &outcome)
{
    switch (outcome.result) {
    case AuthOutcome::Result::Throttled:
        return "Too many failed attempts; try again in " + secondsText(outcome.retryAfterMs) + " seconds";
    case AuthOutcome::Result::Busy:
        return "The server is busy checking other logins; try again in a moment";
    case AuthOutcome::Result::Failed:
        return "The account database is unavailable; try again later";
    default:
        return "SASL authentication failed: wrong account name or password";
    }
}

/// Marks @p client as logged in to @p account and gives it the account's nickname if it has
/// none that registration accepted yet.
void logIn(ClientSession &client, const QByteArray &account)
{
    client.setAccount(account);
    qCInfo(lcAccounts).noquote() << "Logged in" << client.host() << "as" << account;
    client.sendNumeric(Numeric::RPL_LOGGEDIN, {client.nick().isEmpty() ? QByteArrayLiteral("*") : client.prefix(),
                                               account, "You are now logged in as " + account});
    // The owner's nick is theirs: whoever squats on it is renamed, and a client still registering
    // takes it (its own NICK may have been refused as in use a moment ago).
    if (protocol::foldCase(client.nick()) != protocol::foldCase(account) && prepareNickClaim(client, account)
        && !client.isRegistered() && client.server().registry().claimNick(&client, client.nick(), account)) {
        client.setNick(account);
    }
    ++client.auth().nickGuardGeneration; // cancels a pending rename
    // IRCv3 account-notify: those who share a channel (and the client itself) hear of the login.
    // Before registration nobody shares a channel yet; extended-join carries the account then.
    if (client.isRegistered()) {
        tellPeersWith(client, Capability::AccountNotify, Message("ACCOUNT", {account}, client.prefix()), true);
        grantOperatorIfOperAccount(client); // before registration, the welcome does it
        client.server().history().deliverWaiting(client); // before registration, registering does it
    }
}

namespace {

void finishSasl(ClientSession &client, const AuthOutcome &outcome)
{
    if (outcome.result == AuthOutcome::Result::Success) {
        logIn(client, outcome.account);
        client.sendNumeric(Numeric::RPL_SASLSUCCESS, {"SASL authentication successful"});
    } else {
        qCInfo(lcAccounts).noquote() << "Failed SASL login from" << client.host();
        client.sendNumeric(Numeric::ERR_SASLFAIL, {loginFailureText(outcome)});
    }
    completeRegistrationIfReady(client);
}

void saslFail(ClientSession &client, const QByteArray &text)
{
    client.auth().resetSasl();
    client.sendNumeric(Numeric::ERR_SASLFAIL, {text});
}

void finishPlain(ClientSession &client, const QByteArray &payload)
{
    // authzid NUL authcid NUL password (RFC 4616)
    const QByteArrayList parts = payload.split('\0');
    if (parts.size() != 3 || parts.at(1).isEmpty()) {
        saslFail(client, "SASL authentication failed: malformed PLAIN message");
        return;
    }
    const QByteArray &authzid = parts.at(0);
    const QByteArray &authcid = parts.at(1);
    if (!authzid.isEmpty() && protocol::foldCase(authzid) != protocol::foldCase(authcid)) {
        saslFail(client, "SASL authentication failed: you may only log in as yourself");
        return;
    }
    client.auth().checkInFlight = true;
    client.server().authenticator().checkPassword(
        &client, authcid, parts.at(2), client.peerAddress(), [&client](const AuthOutcome &outcome) {
            client.auth().checkInFlight = false;
            if (client.state() == ClientSession::State::Closing)
                return; // it left while the hash ran: it must not claim a nick now
            finishSasl(client, outcome);
        });
}

void finishExternal(ClientSession &client, const QByteArray &authzid)
{
    AuthOutcome outcome =
        client.server().authenticator().checkCertificate(client.certificateFingerprint(), client.peerAddress());
    if (outcome.result == AuthOutcome::Result::Success && !authzid.isEmpty()
        && protocol::foldCase(authzid) != protocol::foldCase(outcome.account)) {
        outcome.result = AuthOutcome::Result::BadCredentials;
    }
    if (outcome.result == AuthOutcome::Result::BadCredentials) {
        saslFail(client, "SASL authentication failed: your client certificate is not bound to that account");
        completeRegistrationIfReady(client);
        return;
    }
    finishSasl(client, outcome);
}

} // namespace

QByteArray emailProblem(const QByteArray &email)
{
    if (email == "*")
        return {};
    const qsizetype at = email.indexOf('@');
    if (email.size() > kMaxEmailBytes || at <= 0 || at == email.size() - 1 || email.count('@') != 1)
        return "INVALID_EMAIL";
    return {};
}

std::optional<PasswordProblem> passwordProblem(const QByteArray &password, int minimumLength)
{
    if (password.size() < minimumLength)
        return PasswordProblem{"WEAK_PASSWORD", "Passwords need at least " + QByteArray::number(minimumLength) + " characters"};
    if (password.size() > kMaxPasswordBytes)
        return PasswordProblem{"UNACCEPTABLE_PASSWORD",
                               "Passwords may have at most " + QByteArray::number(kMaxPasswordBytes) + " bytes"};
    return std::nullopt;
}

// AUTHENTICATE <mechanism> | AUTHENTICATE <base64 chunk> | AUTHENTICATE + | AUTHENTICATE *
void authenticate(ClientSession &client, const Message &message)
{
    SessionAuth &auth = client.auth();
    const QByteArray &argument = message.params.at(0);
    if (!client.account().isEmpty()) {
        client.sendNumeric(Numeric::ERR_SASLALREADY, {"You have already authenticated using SASL"});
        return;
    }
    if (auth.checkInFlight) {
        client.sendNumeric(Numeric::ERR_SASLFAIL, {"A login is already being checked; wait for its result"});
        return;
    }
    if (!serverPasswordSatisfied(client)) {
        client.sendNumeric(Numeric::ERR_SASLFAIL, {"Send the server password with PASS before logging in"});
        return;
    }
    if (argument == "*") {
        auth.resetSasl();
        client.sendNumeric(Numeric::ERR_SASLABORTED, {"SASL authentication aborted"});
        return;
    }
    if (auth.saslMechanism.isEmpty()) {
        const QByteArray mechanism = argument.toUpper();
        if (mechanism != "PLAIN" && mechanism != "EXTERNAL") {
            client.sendNumeric(Numeric::RPL_SASLMECHS, {"PLAIN,EXTERNAL", "are the available SASL mechanisms"});
            client.sendNumeric(Numeric::ERR_SASLFAIL, {"SASL authentication failed: unknown mechanism"});
            return;
        }
        if (mechanism == "EXTERNAL" && client.certificateFingerprint().isEmpty()) {
            client.sendNumeric(Numeric::ERR_SASLFAIL,
                               {"SASL EXTERNAL needs a client certificate, and you connected without one"});
            return;
        }
        auth.saslMechanism = mechanism;
        client.send(Message("AUTHENTICATE", {"+"}));
        return;
    }
    if (argument.size() > kSaslChunkBytes) {
        auth.resetSasl();
        client.sendNumeric(Numeric::ERR_SASLTOOLONG, {"SASL message too long"});
        return;
    }
    if (argument != "+")
        auth.saslBuffer += argument;
    if (auth.saslBuffer.size() > kMaxSaslPayloadBytes) {
        auth.resetSasl();
        client.sendNumeric(Numeric::ERR_SASLTOOLONG, {"SASL message too long"});
        return;
    }
    if (argument.size() == kSaslChunkBytes)
        return; // a full chunk: more follows (ended by a shorter chunk or "+")
    const auto decoded = QByteArray::fromBase64Encoding(auth.saslBuffer, QByteArray::AbortOnBase64DecodingErrors);
    const QByteArray mechanism = auth.saslMechanism;
    auth.resetSasl();
    if (!decoded) {
        client.sendNumeric(Numeric::ERR_SASLFAIL, {"SASL authentication failed: invalid base64"});
        return;
    }
    if (mechanism == "PLAIN")
        finishPlain(client, decoded.decoded);
    else
        finishExternal(client, decoded.decoded);
}

// REGISTER <account> {<email> | "*"} <password>
void registerAccount(ClientSession &client, const Message &message)
{
    Server &server = client.server();
    const QByteArray requested = message.params.at(0);
    const QByteArray account = requested == "*" ? client.nick() : requested;
    const QByteArray shown = account.isEmpty() ? QByteArrayLiteral("*") : account;
    const QByteArray &email = message.params.at(1);
    const QByteArray &password = message.params.at(2);
    auto fail = [&](const QByteArray &code, const QByteArray &text) { client.sendFail("REGISTER", code, {shown, text}); };

    if (!server.config().accountRegistration) {
        fail("TEMPORARILY_UNAVAILABLE", "This server does not let clients create accounts; ask its administrator");
        return;
    }
    if (!serverPasswordSatisfied(client)) {
        fail("TEMPORARILY_UNAVAILABLE", "Send the server password with PASS before registering");
        return;
    }
    if (!client.account().isEmpty()) {
        fail("ALREADY_AUTHENTICATED", "You are already logged in to an account");
        return;
    }
    if (account.isEmpty()) {
        fail("NEED_NICK", "Choose a nickname first, or name the account");
        return;
    }
    if (!protocol::isValidNick(account)) {
        fail("BAD_ACCOUNT_NAME", "Account names follow the nickname rules: letters, digits and []\\`_^{|}-, at "
                                 "most 30, not starting with a digit or '-'");
        return;
    }
    const ClientSession *holder = server.registry().findClient(account);
    if (holder && holder != &client) {
        fail("BAD_ACCOUNT_NAME", "Someone else is using that nickname right now");
        return;
    }
    if (const QByteArray code = emailProblem(email); !code.isEmpty()) {
        fail(code, "That is not an email address; send * for none");
        return;
    }
    if (const std::optional<PasswordProblem> problem = passwordProblem(password, server.config().minPasswordLength)) {
        fail(problem->code, problem->text);
        return;
    }
    if (client.auth().checkInFlight) {
        fail("TEMPORARILY_UNAVAILABLE", "A login or registration is already being processed; wait for its result");
        return;
    }
    client.auth().checkInFlight = true;
    server.authenticator().registerAccount(
        &client, account, email == "*" ? QByteArray() : email, password, client.certificateFingerprint(),
        client.peerAddress(), [&client, shown](const AuthOutcome &outcome) {
            client.auth().checkInFlight = false;
            if (client.state() == ClientSession::State::Closing)
                return; // the account exists; the client that asked for it is gone
            switch (outcome.result) {
            case AuthOutcome::Result::Success:
                client.send(Message("REGISTER", {"SUCCESS", outcome.account, "Account created"}, client.server().name()));
                logIn(client, outcome.account);
                break;
            case AuthOutcome::Result::Exists:
                client.sendFail("REGISTER", "ACCOUNT_EXISTS", {shown, "That account already exists"});
                break;
            case AuthOutcome::Result::Throttled:
                client.sendFail("REGISTER", "TEMPORARILY_UNAVAILABLE",
                                {shown, "Too many accounts created from your address; try again in "
                                            + secondsText(outcome.retryAfterMs) + " seconds"});
                break;
            default:
                client.sendFail("REGISTER", "TEMPORARILY_UNAVAILABLE", {shown, loginFailureText(outcome)});
                break;
            }
            completeRegistrationIfReady(client);
        });
}

} // namespace tktalk::server::commands
