#pragma once

#include "serverconfig.h"

#include <QList>
#include <QString>

namespace tktalk::app::settings {

/// Who reads a setting: the role that accepts its flag, and whether the configuration file may set it.
enum class Scope {
    Command, ///< picks what tktalk does (--server, --config, --check-config); flag only
    Client,  ///< the chat client's; flag only
    Server,  ///< the server's; flag and configuration file
    Shared   ///< the server's and `tktalk account`'s (data directory, hashing, password policy)
};

/// When a changed setting takes effect in a running server.
enum class Applies {
    OnReload, ///< REHASH or SIGHUP applies it
    OnRestart ///< a reload reports the change as needing a restart
};

/**
 * @brief The one description of a setting, from which the command-line flag, the configuration
 * file key, `--help`, the manual page and the commented example file are produced.
 *
 * A switch (valueName empty) is a flag without a value; in the file it is `NAME = yes|no`, and
 * its flag turns it away from its default (`registration`, default yes, has the flag
 * --no-registration).
 */
struct Setting
{
    const char *name;         ///< file key, and flag unless flagName is set
    const char *valueName;    ///< "FILE", "N"; empty for a switch
    const char *defaultValue; ///< as written in the file; empty when there is none to write
    const char *help;         ///< sentences, plain text; the defaults are said apart
    Scope scope = Scope::Server;
    Applies applies = Applies::OnRestart;
    const char *flagName = nullptr; ///< the flag when it differs from name (switches)
    const char *defaultText = nullptr; ///< how to describe the default when it cannot be written
    /// Reads @p value (file syntax) into @p config; on a bad value returns false with what was
    /// expected in @p why ("a whole number from 0 to 10").
    bool (*parse)(const QString &value, server::ServerConfig &config, QString *why) = nullptr;
    /// The value in @p config, as written in the file (for reports of what changed).
    QString (*show)(const server::ServerConfig &config) = nullptr;
    /// Copies this setting from @p from to @p to.
    void (*copy)(const server::ServerConfig &from, server::ServerConfig &to) = nullptr;

    QString flag() const { return QLatin1String(flagName ? flagName : name); }
    bool isSwitch() const { return !*valueName; }
    bool isPath() const;
    /// What the flag of a switch stands for in the file: "yes", or "no" for --no-... .
    QString switchFlagValue() const;
    bool inFile() const { return scope == Scope::Server || scope == Scope::Shared; }
};

/// Every setting, in the order --help, the manual page and the example list them.
const QList<Setting> &allSettings();
/// The setting whose file key is @p name, or nullptr.
const Setting *findSetting(const QString &name);

/// The checks that span settings (a certificate needs its key) and what follows from them; on a
/// conflict returns the names of the settings at fault and sets @p error.
QStringList finishServerConfig(server::ServerConfig &config, QString *error);

} // namespace tktalk::app::settings
