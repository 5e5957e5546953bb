// The command line (`tktalk --server ...`, `tktalk account ...`, the client's flags). Properties
// checked: no crash, leak or sanitizer report; a refusal is one line that says what is wrong; and
// an accepted server configuration is one the server can run with.
//
// Input: the arguments after the program name, separated by NUL bytes or newlines.

#include "fuzzsupport.h"

#include "commandline.h"

#include <cmath>

using namespace tktalk;

namespace {

void checkServerConfig(const server::ServerConfig &config, QByteArrayView input)
{
    FUZZ_CHECK(std::isfinite(config.floodLinesPerSecond) && config.floodLinesPerSecond >= 0, input);
    FUZZ_CHECK(config.floodBurstLines >= 0 && config.maxClients >= 1 && config.maxClientsPerAddress >= 0, input);
    FUZZ_CHECK(config.sendQueueBytes >= 4096, input);
    for (const int ms : {config.pingIntervalMs, config.pingTimeoutMs, config.registrationTimeoutMs,
                         config.handshakeTimeoutMs, config.housekeepingIntervalMs})
        FUZZ_CHECK(ms > 0, input);
    FUZZ_CHECK(config.nickGraceMs >= 0 && config.registrationsPerAddress >= 0, input);
    FUZZ_CHECK(config.passwordHashOps >= 1 && config.passwordHashMemoryBytes >= 1024 * 1024, input);
    FUZZ_CHECK(config.certFile.isEmpty() == config.keyFile.isEmpty(), input);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tktalk::fuzz::ensureApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = tktalk::fuzz::bytesOf(data, size);
    QStringList arguments{QStringLiteral("tktalk")};
    QByteArray word;
    for (const char c : input) {
        if (c == '\0' || c == '\n') {
            arguments << QString::fromLocal8Bit(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.isEmpty())
        arguments << QString::fromLocal8Bit(word);

    QString error;
    const std::optional<app::CommandLine> commandLine = app::parseCommandLine(arguments, &error);
    if (!commandLine) {
        FUZZ_CHECK(!error.isEmpty(), input);
        FUZZ_CHECK(!error.contains(QLatin1Char('\n')), input); // main() prints it as one line
        return 0;
    }
    FUZZ_CHECK(error.isEmpty(), input);
    if (commandLine->role == app::CommandLine::Role::Server)
        checkServerConfig(commandLine->server, input);
    if (commandLine->role == app::CommandLine::Role::Client)
        FUZZ_CHECK(commandLine->client.port != 0 || commandLine->client.host.isEmpty(), input);
    return 0;
}
