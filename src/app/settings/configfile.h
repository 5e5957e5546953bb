#pragma once

#include "setting.h"

#include <optional>

namespace tktalk::app::settings {

/// @brief A setting given a value, on the command line or in the configuration file.
struct Assignment
{
    const Setting *setting = nullptr;
    QString value;
    int line = 0; ///< in the file; 0 for a flag
};

/// @brief What a configuration file says: settings in the order written, and the [opers] section.
struct ConfigFile
{
    QString path;
    QList<Assignment> assignments;
    server::OperList opers;
};

/**
 * Reads the configuration file at @p path: `key = value` lines (the keys are the long flags'
 * names), a `[server]` section for them (optional) and an `[opers]` section of
 * `ACCOUNT = PRIVILEGES` lines; `#` or `;` starts a comment line. Checks the syntax, the keys and
 * the values; on the first problem returns nullopt and sets @p error to "FILE:LINE: what is wrong".
 * A relative path in a value is taken relative to the file's folder.
 */
std::optional<ConfigFile> readConfigFile(const QString &path, QString *error);

/**
 * The server's settings: the defaults, then what the file at @p configFile says (none when
 * empty), then @p flags; nullopt with @p error on a problem ("FILE:LINE: ..." for the file's,
 * "... for --flag" for a flag's).
 */
std::optional<server::ServerConfig> loadServerConfig(const QString &configFile, const QList<Assignment> &flags,
                                                     QString *error);

/**
 * A reload: copies into @p current what changed in @p fresh and may change while the server
 * runs, and returns one line per difference ("motd changed: /a -> /b"; a setting that needs a
 * restart says so and keeps its value).
 */
QStringList applyReloadable(const server::ServerConfig &fresh, server::ServerConfig &current);

/// "invalid value 'x' for LABEL (expected ...)", or "LABEL: what" for a fact about the value.
QString valueError(const QString &label, const QString &value, const QString &why);

} // namespace tktalk::app::settings
