#pragma once

#include "commandline.h"

namespace tktalk::app {

/// Runs the Qt Quick client until its window closes; returns the process exit status.
int runClient(int &argc, char **argv, const ClientOptions &options);

} // namespace tktalk::app
