#pragma once

#include "serverconfig.h"
#include "settings/configfile.h"

#include <QString>
#include <optional>

namespace tktalk::app {

/// @brief Where `tktalk --connect` points the client, and how it should trust the server.
struct ClientOptions
{
    QString host;
    quint16 port = 6697;
    QString nick;
    QString caFile;
};

/// @brief `tktalk account ...`: administers the server's accounts in its data directory.
struct AccountCommand
{
    enum class Action { Add, Delete, List, Password, Certificate, Operator };
    Action action = Action::List;
    QByteArray name;        ///< the account (all but List)
    QByteArray fingerprint; ///< Certificate: lowercase hex SHA-256, colons removed
    bool makeOperator = false; ///< Operator: on (true) or off
};

/// @brief The parsed command line: which role to run, with its settings.
struct CommandLine
{
    enum class Role { Server, Client, Account, Help, Version, CheckConfig, PrintConfigExample };
    Role role = Role::Client;
    server::ServerConfig server; ///< also Account's data directory, hashing and password policy
    /// Server: the settings given as flags, which override the configuration file again when a
    /// reload re-reads it (server.configFile). CheckConfig: the file to check, in server.configFile.
    QList<settings::Assignment> serverFlags;
    ClientOptions client;
    AccountCommand account;
    QString helpText;
};

/// A "host:port" pair; IPv6 addresses go in brackets ("[::1]:6697").
struct HostPort
{
    QString host;
    quint16 port = 0;
};
std::optional<HostPort> parseHostPort(const QString &text);

/**
 * Parses @p arguments (argv, program name first). On a bad flag or value returns nullopt and sets
 * @p error to one line that says what is wrong; the caller prints it and exits with status 2.
 */
std::optional<CommandLine> parseCommandLine(const QStringList &arguments, QString *error);

} // namespace tktalk::app
