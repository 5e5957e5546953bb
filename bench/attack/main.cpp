// tktalk-attack: attackers of one kind (or all kinds) against an IRC server over TLS, for
// bench/hostile, which runs them beside legitimate users (tktalk-loadgen). See docs/RELIABILITY.md.

#include "attack.h"
#include "loadgen/setup.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void usage(int code)
{
    std::fprintf(code == 0 ? stdout : stderr,
                 "Usage: tktalk-attack --port PORT [options]\n"
                 "  --mode M            handshake, slow-handshake, slow-register, prereg-flood, joinpart, nick,\n"
                 "                      chancreate, amplify, badlines, accounts, or all (default handshake);\n"
                 "                      moderate: a channel operator at work, for bench/soak\n"
                 "  --host ADDR         server (default 127.0.0.1)\n"
                 "  --connections N     attacking connections at once (default 200)\n"
                 "  --first-source ADDR --sources K   source addresses (default 127.3.0.1, 100 of them)\n"
                 "  --duration SECS     (default 20)\n"
                 "  --rate LINES        lines per second per connection (default 20)\n"
                 "  --channel NAME      the channel the legitimate users are in (default #bench)\n"
                 "Prints one 'RESULT attack=M key=count ...' line: what the server answered.\n");
    std::exit(code);
}

} // namespace

int main(int argc, char **argv)
{
    using tktalk::bench::AttackOptions;
    AttackOptions options;
    std::string host = "127.0.0.1", firstSource = "127.3.0.1";
    int port = 0, sources = 100;
    for (int i = 1; i < argc; ++i) {
        const char *name = argv[i];
        if (!std::strcmp(name, "--help") || !std::strcmp(name, "-h"))
            usage(0);
        if (i + 1 >= argc)
            usage(2);
        const char *value = argv[++i];
        if (!std::strcmp(name, "--mode")) options.mode = value;
        else if (!std::strcmp(name, "--host")) host = value;
        else if (!std::strcmp(name, "--port")) port = std::atoi(value);
        else if (!std::strcmp(name, "--connections")) options.connections = std::atoi(value);
        else if (!std::strcmp(name, "--first-source")) firstSource = value;
        else if (!std::strcmp(name, "--sources")) sources = std::atoi(value);
        else if (!std::strcmp(name, "--duration")) options.durationSecs = std::atof(value);
        else if (!std::strcmp(name, "--rate")) options.linesPerSecond = std::atof(value);
        else if (!std::strcmp(name, "--channel")) options.channel = value;
        else usage(2);
    }
    options.server.sin_family = AF_INET;
    options.server.sin_port = htons(uint16_t(port));
    options.sources = tktalk::bench::consecutiveAddresses(firstSource, sources);
    if (port <= 0 || ::inet_pton(AF_INET, host.c_str(), &options.server.sin_addr) != 1 || options.sources.empty()
        || options.connections < 1 || sources < 1)
        usage(2);
    tktalk::bench::prepareForManySockets();
    SSL_CTX *context = tktalk::bench::newBenchClientContext();
    int status = 0;
    {
        tktalk::bench::Attack attack(context, options);
        status = attack.run();
    }
    SSL_CTX_free(context);
    return status;
}
