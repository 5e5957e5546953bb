#pragma once

#include <QString>

namespace tktalk::client {

/**
 * @brief Who to log in as and with what: the nick, an account (when it differs from the nick), the
 * account's password, the server's password (PASS) and whether to create the account first.
 *
 * The passwords live in memory only, for the reconnects: never logged, shown or saved.
 */
struct LoginRequest
{
    QString nick;
    /// The account to log in to; empty means the one named like the nick.
    QString account;
    /// The account's password; empty means a guest.
    QString password;
    /// The server's own password (PASS), which some servers require of everybody; empty for none.
    QString serverPassword;
    bool createAccount = false;

    /// The account logged in to (or created): account, or the nick when that is empty.
    QString accountName() const { return account.isEmpty() ? nick : account; }
    bool isGuest() const { return password.isEmpty(); }

    /// What is wrong with the account and password parts in a sentence, or empty when they are
    /// fine. The nick is checked by the caller. @p minPasswordLength is what a new account needs.
    QString problem(int minPasswordLength) const;
};

} // namespace tktalk::client
