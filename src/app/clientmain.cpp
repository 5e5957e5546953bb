#include "clientmain.h"

#include <cstdio>

namespace tktalk::app {

int runClient(int &, char **, const ClientOptions &)
{
    std::fputs("tktalk: the client is not available in this build yet; use --server\n", stderr);
    return 2;
}

} // namespace tktalk::app
