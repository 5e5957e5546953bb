#include "loginrequest.h"

#include "protocol/limits.h"
#include "protocol/names.h"

#include <QCoreApplication>

namespace tktalk::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LoginRequest", text);
}

bool hasLineBreak(const QString &text)
{
    return text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')) || text.contains(QChar(0));
}

} // namespace

QString LoginRequest::problem(int minPasswordLength) const
{
    if (!account.isEmpty()) {
        // Account names follow the nickname rules on tktalk (and on most IRC servers).
        if (!protocol::isValidNick(account.toUtf8()))
            return tr("The account name \"%1\" is not valid: use letters, digits and _-[]{}|^`\\, no spaces, "
                      "at most %2, not starting with a digit or '-'.")
                .arg(account)
                .arg(protocol::kMaxNickBytes);
        if (password.isEmpty())
            return tr("To log in to the account %1, enter its password.").arg(account);
    }
    if (createAccount && password.size() < minPasswordLength)
        return tr("To create an account, choose a password of at least %1 characters.").arg(minPasswordLength);
    if (hasLineBreak(password))
        return tr("The password cannot contain line breaks.");
    if (hasLineBreak(serverPassword))
        return tr("The server password cannot contain line breaks.");
    return {};
}

} // namespace tktalk::client
