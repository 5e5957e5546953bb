#pragma once

#include <netinet/in.h>
#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace tktalk::bench {

/// Readies this process for thousands of sockets: SIGPIPE ignored, the open-file limit raised to
/// its hard limit. For tktalk-loadgen and tktalk-attack.
void prepareForManySockets();

/// A TLS client context for the benchmark tools: TLS 1.2 or later, partial writes, and no
/// certificate check (a benchmark of the servers, not of certificate checking: the peer is our own
/// loopback server). The caller frees it with SSL_CTX_free.
SSL_CTX *newBenchClientContext();

/// @p count IPv4 addresses (at least one) from @p first on: 127.0.0.1, 127.0.0.2, ... Empty when
/// @p first is not an IPv4 address.
std::vector<sockaddr_in> consecutiveAddresses(const std::string &first, int count);

} // namespace tktalk::bench
