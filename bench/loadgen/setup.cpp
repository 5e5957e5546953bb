#include "setup.h"

#include <arpa/inet.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>

namespace tktalk::bench {

void prepareForManySockets()
{
    std::signal(SIGPIPE, SIG_IGN);
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

SSL_CTX *newBenchClientContext()
{
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_mode(context,
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    return context;
}

std::vector<sockaddr_in> consecutiveAddresses(const std::string &first, int count)
{
    in_addr start{};
    if (::inet_pton(AF_INET, first.c_str(), &start) != 1)
        return {};
    std::vector<sockaddr_in> addresses;
    for (int i = 0; i < std::max(1, count); ++i) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(ntohl(start.s_addr) + uint32_t(i));
        addresses.push_back(address);
    }
    return addresses;
}

} // namespace tktalk::bench
