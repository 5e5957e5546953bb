#pragma once

#include <QLoggingCategory>

namespace tktalk::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)     ///< tktalk.server: start, stop, configuration
Q_DECLARE_LOGGING_CATEGORY(lcConnection) ///< tktalk.connection: connect, register, disconnect
Q_DECLARE_LOGGING_CATEGORY(lcTls)        ///< tktalk.tls: certificates and failed handshakes
Q_DECLARE_LOGGING_CATEGORY(lcAccounts)   ///< tktalk.accounts: registrations, logins (never passwords or hashes)
Q_DECLARE_LOGGING_CATEGORY(lcOperators)  ///< tktalk.operators: OPER and every server-operator action (the audit log)

} // namespace tktalk::server
