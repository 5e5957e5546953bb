// tktalk-loadgen: a TLS IRC load generator on one epoll loop. See docs/PERFORMANCE.md.

#include "options.h"
#include "runner.h"
#include "setup.h"

int main(int argc, char **argv)
{
    const tktalk::bench::Options options = tktalk::bench::parseOptions(argc, argv);
    tktalk::bench::prepareForManySockets();
    tktalk::bench::Runner runner(options);
    return runner.run();
}
