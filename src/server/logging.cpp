#include "logging.h"

namespace tktalk::server {

Q_LOGGING_CATEGORY(lcServer, "tktalk.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConnection, "tktalk.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTls, "tktalk.tls", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccounts, "tktalk.accounts", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOperators, "tktalk.operators", QtInfoMsg)

} // namespace tktalk::server
