#pragma once

#include "serverconfig.h"
#include "settings/configfile.h"

namespace tktalk::app {

/// Runs `tktalk --server` until SIGINT or SIGTERM; returns the process exit status. @p flags are
/// the settings given on the command line: a reload re-reads config.configFile and applies them
/// over it again.
int runServer(int &argc, char **argv, server::ServerConfig config, const QList<settings::Assignment> &flags);

} // namespace tktalk::app
