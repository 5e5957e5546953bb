#pragma once

#include "serverconfig.h"

namespace tktalk::app {

/// Runs `tktalk --server` until SIGINT or SIGTERM; returns the process exit status.
int runServer(int &argc, char **argv, server::ServerConfig config);

} // namespace tktalk::app
