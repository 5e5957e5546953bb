#pragma once

#include "ircconnection.h"
#include "loginrequest.h"
#include "messagemodel.h"
#include "networkstate.h"

#include <QObject>

namespace tktalk::client {

/**
 * @brief Logs in on a connection that was just made: capability negotiation (CAP LS 302, REQ, END),
 * PASS with the server's password when it has one, NICK and USER with another nick when the wanted
 * one is taken, SASL PLAIN with a password (as the account, which may be named otherwise than the
 * nick), or REGISTER to create the account first (IRCv3 draft/account-registration), as
 * docs/SECURITY.md describes them.
 *
 * With a password it logs in or fails with the reason; it never goes on as a guest behind the
 * user's back. It reads the lines that are about logging in (handle() says which) and leaves the
 * rest of the chat to others.
 */
class Registration : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxNickAttempts = 5;

    Registration(IrcConnection &connection, NetworkState &network, QObject *parent = nullptr);

    /// Who to log in as: kept for the reconnects. An empty password means a guest; with
    /// createAccount the account is created first.
    void setLogin(const LoginRequest &login);
    QString wantedNick() const { return m_login.nick; }
    bool hasPassword() const { return !m_login.password.isEmpty(); }
    /// The account's password changed (NickServ SET PASSWORD): the reconnects use the new one.
    void setPassword(const QString &password) { m_login.password = password; }
    /// The connection is up: CAP LS, NICK, USER.
    void begin();
    bool isRegistered() const { return m_registered; }

    /// Takes @p message when it is about logging in (CAP, SASL, account numerics, REGISTER, 001,
    /// nick refusals before login, ERROR before login); returns whether it did.
    bool handle(const protocol::Message &message);

Q_SIGNALS:
    /// 001: logged in, with an account when a password was given.
    void registered();
    /// The login cannot succeed: @p why says so in a sentence; the connection is to be dropped.
    void failed(const QString &why);
    /// Something the user should know about the login that does not end it (shown as the error).
    void problem(const QString &why);
    /// After login: a line for the user about their nick or account.
    void report(const QString &text, tktalk::client::MessageModel::Kind kind);

private:
    void onCap(const protocol::Message &message);
    void onAccountNumeric(const protocol::Message &message);
    void onRegisterReply(const protocol::Message &message);
    void onNickInUse(const protocol::Message &message);
    void onWelcome(const protocol::Message &message);
    /// The server refused its password (PASS): missing or wrong, in a sentence.
    QString serverPasswordProblem() const;
    /// CAP END: registration goes on (unless it is done already).
    void endNegotiation();

    IrcConnection &m_connection;
    NetworkState &m_network;
    LoginRequest m_login; ///< its passwords in memory only: never logged, shown or saved
    bool m_registered = false;
    int m_nickAttempts = 0;
};

} // namespace tktalk::client
