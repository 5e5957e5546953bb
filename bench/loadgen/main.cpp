// tktalk-loadgen: a TLS IRC load generator on one epoll loop. See docs/PERFORMANCE.md.

#include "options.h"
#include "runner.h"

#include <sys/resource.h>

#include <csignal>

int main(int argc, char **argv)
{
    const tktalk::bench::Options options = tktalk::bench::parseOptions(argc, argv);
    std::signal(SIGPIPE, SIG_IGN);
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    tktalk::bench::Runner runner(options);
    return runner.run();
}
