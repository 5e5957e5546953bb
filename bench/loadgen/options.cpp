#include "options.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tktalk::bench {

namespace {

[[noreturn]] void usage(int code)
{
    std::fprintf(code == 0 ? stdout : stderr,
                 "Usage: tktalk-loadgen [options]\n"
                 "  --scenario fanout|direct|idle|connect|churn   (default fanout)\n"
                 "  --host ADDR --port PORT      server (default 127.0.0.1:6697), TLS\n"
                 "  --clients N --senders S --window W --rate MSGS_PER_S --size PAYLOAD_BYTES\n"
                 "  --messages M                 each sender sends exactly M messages (no warm-up; for callgrind)\n"
                 "  --warmup SECS --duration SECS --drain SECS --connect-timeout SECS --hold SECS\n"
                 "  --churners K --sources K (source addresses 127.0.0.1..K) --max-connecting C\n"
                 "  --first-source ADDR          the first source address (default 127.0.0.1)\n"
                 "  --nick-prefix C              first letter of every nick (default b)\n"
                 "  --server-pid PID             read the server's RSS and CPU time from /proc\n"
                 "  --channel NAME               (default #bench)\n"
                 "  --accounts yes|no            every client creates an account and logs in to it (REGISTER)\n"
                 "                               before it registers, at most 16 at once (default no)\n"
                 "Prints one 'RESULT key=value ...' line on stdout.\n");
    std::exit(code);
}

} // namespace

Options parseOptions(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const char *name = argv[i];
        if (!std::strcmp(name, "--help") || !std::strcmp(name, "-h"))
            usage(0);
        if (i + 1 >= argc) {
            std::fprintf(stderr, "tktalk-loadgen: %s needs a value\n", name);
            usage(2);
        }
        const char *value = argv[++i];
        auto number = [&] { return std::strtod(value, nullptr); };
        if (!std::strcmp(name, "--scenario")) o.scenario = value;
        else if (!std::strcmp(name, "--host")) o.host = value;
        else if (!std::strcmp(name, "--port")) o.port = int(number());
        else if (!std::strcmp(name, "--clients")) o.clients = int(number());
        else if (!std::strcmp(name, "--senders")) o.senders = int(number());
        else if (!std::strcmp(name, "--window")) o.window = int(number());
        else if (!std::strcmp(name, "--rate")) o.rate = number();
        else if (!std::strcmp(name, "--size")) o.payloadBytes = int(number());
        else if (!std::strcmp(name, "--messages")) o.messages = int(number());
        else if (!std::strcmp(name, "--warmup")) o.warmupSecs = number();
        else if (!std::strcmp(name, "--duration")) o.durationSecs = number();
        else if (!std::strcmp(name, "--drain")) o.drainSecs = number();
        else if (!std::strcmp(name, "--connect-timeout")) o.connectTimeoutSecs = number();
        else if (!std::strcmp(name, "--hold")) o.holdSecs = number();
        else if (!std::strcmp(name, "--churners")) o.churners = int(number());
        else if (!std::strcmp(name, "--sources")) o.sourceAddresses = int(number());
        else if (!std::strcmp(name, "--first-source")) o.firstSource = value;
        else if (!std::strcmp(name, "--nick-prefix")) o.nickPrefix = value[0];
        else if (!std::strcmp(name, "--max-connecting")) o.maxConnecting = int(number());
        else if (!std::strcmp(name, "--server-pid")) o.serverPid = int(number());
        else if (!std::strcmp(name, "--channel")) o.channel = value;
        else if (!std::strcmp(name, "--accounts")) o.accounts = !std::strcmp(value, "yes");
        else {
            std::fprintf(stderr, "tktalk-loadgen: unknown option %s\n", name);
            usage(2);
        }
    }
    if (o.clients < 2 || o.senders < 1 || o.senders > o.clients || o.port <= 0) {
        std::fprintf(stderr, "tktalk-loadgen: need --clients >= 2, 1 <= --senders <= --clients, and a --port\n");
        usage(2);
    }
    return o;
}

} // namespace tktalk::bench
