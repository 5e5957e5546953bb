// The server's command handling end to end: a real Server (account database, registry, command
// table, every handler) with up to four clients on in-memory connections (MemoryConnection), so
// that registration, CAP, SASL, REGISTER, MODE and every other command meet random parameters,
// in any order, from several sessions at once.
//
// Input: one byte of server settings, then a script of lines. Each line's first byte picks the
// client (bits 0-1) and what happens (bits 2-3); the rest of the line is the payload:
//   0: the payload and CR LF are sent, then the event loop runs until the server is idle:
//      password hashes finish, closes complete ("0NICK alice" is client 0, "1JOIN #a" client 1)
//   1: the payload is sent without CR LF ('4'..'7'): partial lines, raw framing
//   2: a control action                  ('8'..';'): payload 's' stalls or resumes the client's
//      reading, anything else hangs up (the next line for that client opens a new connection)
//   3: as 0 without waiting              ('<'..'?'): lines arrive while hashes are still running
// Settings bits: 0 server password "pw", 1 --require-account, 2 --no-registration,
// 3 --nick-grace 0, 4 a send queue of 4 KiB, 5 no default channel.
//
// The history is on, in the data directory like the accounts: settle() also waits for its store's
// thread, so that CHATHISTORY, REDACT, playback on JOIN and offline messages answer within the
// input that asked, and a finding is the input's own.
//
// Properties checked: no crash, leak or sanitizer report; every line the server sends parses and
// fits the IRC limits; and once every client has gone, the server holds no session, nick or
// channel (except the permanent default channel).

#include "fuzzsupport.h"

#include "protocol/limits.h"
#include "protocol/message.h"
#include "registry.h"
#include "server.h"
#include "tlsidentity.h"
#include "transport/memory/memoryconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>

#include <array>
#include <cstdio>
#include <memory>

using namespace tktalk;
using server::transport::MemoryConnection;

namespace {

constexpr int kClients = 4;
/// Event-loop turns run to let queued work finish: longer than any chain of queued calls (a
/// finished hash, its reply, a close, the deletion; a history query, the removal it leads to
/// (REDACT), the reply).
constexpr int kSettleRounds = 4;
/// How long the history store may take to answer before the input counts as a hang: far beyond
/// what a fresh database in memory needs, short of libFuzzer's own timeout.
constexpr int kHistoryWaitMs = 10'000;

/// Where the server's data directories go: in memory where there is a tmpfs, as a disk's fsync
/// after every registration would otherwise take most of the time.
QString temporaryBase()
{
    const QString shm = QStringLiteral("/dev/shm");
    return QFileInfo(shm).isDir() && QFileInfo(shm).isWritable() ? shm + QStringLiteral("/fuzz_server-XXXXXX")
                                                                  : QDir::tempPath() + QStringLiteral("/fuzz_server-XXXXXX");
}

struct Harness
{
    QTemporaryDir baseDir{temporaryBase()};
    server::TlsIdentity identity;
    QString passwordFile;
};

Harness *harness = nullptr;

void logHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    std::fprintf(stderr, "%s: %s\n", context.category ? context.category : "?", qPrintable(message));
    // A reply the server could not serialise, or an account the store could not write: both are
    // bugs here, where the database is fresh and healthy.
    if (type >= QtWarningMsg && context.category && QByteArray(context.category).startsWith("tktalk."))
        std::abort();
}

server::ServerConfig configFor(quint8 settings, const QString &dataDir)
{
    server::ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.tlsEngine = server::TlsEngine::OpenSsl;
    config.dataDir = dataDir;
    config.serverName = "irc.fuzz";
    config.floodLinesPerSecond = 0; // no timers to wait for: every line is handled at once
    config.maxClientsPerAddress = 0;
    config.passwordHashOps = 1;
    config.passwordHashMemoryBytes = 8192; // libsodium's minimum: hashing costs microseconds
    config.registrationsPerAddress = 3;
    config.maxPendingHashes = 2;
    if (settings & 1)
        config.passwordFile = harness->passwordFile;
    config.requireAccount = settings & 2;
    config.accountRegistration = !(settings & 4);
    config.nickGraceMs = (settings & 8) ? 0 : 30'000;
    if (settings & 16)
        config.sendQueueBytes = 4096;
    if (settings & 32)
        config.defaultChannel.clear();
    return config;
}

/// Waits until @p server's history store has done everything asked of it so far and its answers
/// have been handled (they come back as queued calls, in order, before whenWritten's); aborts when
/// the store does not answer in time.
void waitForHistory(server::Server &server)
{
    if (!server.history().isOn())
        return;
    QEventLoop loop;
    bool answered = false;
    server.history().store().whenWritten(&loop, [&answered, &loop](bool) {
        answered = true;
        loop.quit();
    });
    if (!answered) {
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(kHistoryWaitMs);
        loop.exec();
    }
    if (!answered) {
        std::fprintf(stderr, "fuzz_server: the history store did not answer in %d ms\n", kHistoryWaitMs);
        std::abort();
    }
}

/// Runs the event loop until queued calls, finished hashes, closes and the work of @p server's
/// history store (its own thread) have all been handled.
void settle(server::Server *server = nullptr)
{
    for (int round = 0; round < kSettleRounds; ++round) {
        if (QThreadPool::globalInstance()->activeThreadCount() > 0)
            QThreadPool::globalInstance()->waitForDone();
        if (server)
            waitForHistory(*server);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

/// Every line the server sent: CR LF at the end, parseable, within the limits.
void checkOutput(const QByteArray &output, QByteArrayView input)
{
    qsizetype start = 0;
    while (start < output.size()) {
        const qsizetype lf = output.indexOf('\n', start);
        FUZZ_CHECK(lf > start && output.at(lf - 1) == '\r', input);
        const QByteArrayView line(output.constData() + start, lf - 1 - start);
        const qsizetype body = line.startsWith('@') ? line.indexOf(' ') + 1 : 0;
        FUZZ_CHECK(body >= 0 && body <= protocol::kMaxTagsBytes, input);
        // A line relayed from a client (its source is nick!user@host) is sent whole if it fitted
        // the input limit, so only what follows its source must fit; the server's own lines must
        // fit with their source.
        qsizetype limited = body;
        if (line.sliced(body).startsWith(':')) {
            const qsizetype space = line.indexOf(' ', body);
            if (space > body && line.sliced(body, space - body).contains('!'))
                limited = space + 1;
        }
        if (line.size() - limited > protocol::kMaxLineBodyBytes)
            tktalk::fuzz::fail(("the server sent a line over 512 bytes: " + line.toByteArray()).constData(), input);
        FUZZ_CHECK(protocol::Message::parse(line).has_value(), input);
        start = lf + 1;
    }
}

class Script
{
public:
    Script(server::Server &server, QByteArrayView input) : m_server(server), m_input(input) {}

    void run(QByteArrayView lines)
    {
        qsizetype pos = 0;
        while (pos < lines.size()) {
            qsizetype end = lines.indexOf('\n', pos);
            if (end < 0)
                end = lines.size();
            if (end > pos)
                step(quint8(lines[pos]), lines.sliced(pos + 1, end - pos - 1));
            pos = end + 1;
            collectOutput();
        }
        settle(&m_server);
        collectOutput();
    }

    void hangUpEveryone()
    {
        for (QPointer<MemoryConnection> &connection : m_connections) {
            if (connection)
                connection->hangUp();
        }
        settle(&m_server);
    }

private:
    void step(quint8 selector, QByteArrayView payload)
    {
        const int client = selector & 3;
        switch ((selector >> 2) & 3) {
        case 0:
            connection(client)->feed(payload.toByteArray() + "\r\n");
            settle(&m_server);
            break;
        case 1:
            connection(client)->feed(payload.toByteArray());
            break;
        case 2:
            if (payload.startsWith('s')) {
                MemoryConnection *stalling = connection(client);
                m_stalled[client] = !m_stalled[client];
                stalling->setStalled(m_stalled[client]);
            } else if (m_connections[client]) {
                m_connections[client]->hangUp();
            }
            break;
        case 3:
            connection(client)->feed(payload.toByteArray() + "\r\n");
            break;
        }
    }

    MemoryConnection *connection(int client)
    {
        QPointer<MemoryConnection> &slot = m_connections[client];
        if (!slot || slot->isClosed()) {
            // Clients 0 and 1 share an address; client 2 has a long IPv6 one (long prefixes make
            // long lines); client 3 presents a certificate (SASL EXTERNAL).
            static const QString kAddresses[kClients] = {
                QStringLiteral("127.0.0.1"), QStringLiteral("127.0.0.1"),
                QStringLiteral("2001:db8:85a3:8d3:1319:8a2e:370:7348"), QStringLiteral("127.0.0.4")};
            const QHostAddress address(kAddresses[client]);
            const QByteArray fingerprint = client == 3 ? QByteArray(64, 'a') : QByteArray();
            slot = new MemoryConnection(address, fingerprint);
            m_stalled[client] = false;
            m_server.acceptConnection(slot);
        }
        return slot;
    }

    void collectOutput()
    {
        static const bool show = qEnvironmentVariableIsSet("TKTALK_FUZZ_SHOW");
        for (int client = 0; client < kClients; ++client) {
            if (!m_connections[client])
                continue;
            const QByteArray output = m_connections[client]->takeOutput();
            if (show && !output.isEmpty())
                std::fprintf(stderr, "%d <- %s", client, output.constData());
            checkOutput(output, m_input);
        }
    }

    server::Server &m_server;
    QByteArrayView m_input;
    std::array<QPointer<MemoryConnection>, kClients> m_connections;
    std::array<bool, kClients> m_stalled{};
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tktalk::fuzz::ensureApplication(argc, argv);
    if (!qEnvironmentVariableIsSet("TKTALK_FUZZ_LOG"))
        QLoggingCategory::setFilterRules(QStringLiteral("*=false\ntktalk.*.warning=true\ntktalk.*.critical=true"));
    qInstallMessageHandler(logHandler);
    harness = new Harness;
    QString error;
    harness->identity = server::generateSelfSignedIdentity({QStringLiteral("localhost")}, 30, &error);
    harness->passwordFile = harness->baseDir.filePath(QStringLiteral("password"));
    QFile password(harness->passwordFile);
    if (harness->identity.chain.isEmpty() || !password.open(QIODevice::WriteOnly) || password.write("pw\n") != 3) {
        std::fprintf(stderr, "fuzz_server: cannot set up: %s\n", qPrintable(error));
        std::abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = tktalk::fuzz::bytesOf(data, size);
    if (input.isEmpty())
        return 0;
    // A fresh database and server for every input, so that one input never changes the next.
    const QString dataDir = harness->baseDir.filePath(QStringLiteral("data"));
    QDir(dataDir).removeRecursively();
    {
        server::Server server(configFor(quint8(input[0]), dataDir), harness->identity);
        QString error;
        if (!server.listen(&error)) {
            std::fprintf(stderr, "fuzz_server: the server does not start: %s\n", qPrintable(error));
            std::abort();
        }
        Script script(server, input);
        script.run(input.sliced(1));
        script.hangUpEveryone();

        FUZZ_CHECK(server.connectionCount() == 0, input);
        const server::Registry &registry = server.registry();
        FUZZ_CHECK(registry.clientsByNick().isEmpty(), input);
        FUZZ_CHECK(registry.userCount() == 0 && registry.unregisteredCount() == 0, input);
        FUZZ_CHECK(registry.channels().size() == (server.config().defaultChannel.isEmpty() ? 0 : 1), input);
    }
    settle();
    return 0;
}
