#pragma once

#include "commandline.h"

namespace tktalk::app {

/// Runs `tktalk account ...` against the account database in @p config's data directory; returns
/// the exit status (0 done, 1 failed, 2 bad input).
int runAccountCommand(int &argc, char **argv, const AccountCommand &command, server::ServerConfig config);

} // namespace tktalk::app
