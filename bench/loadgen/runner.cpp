#include "runner.h"

#include "clock.h"
#include "procstats.h"
#include "setup.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tktalk::bench {

namespace {

/// Busy (not waiting for events) above this share of the time, the load generator, not the server,
/// may be what limits the figures.
constexpr double kSaturatedCpuShare = 0.9;
constexpr int kPollSliceMs = 5;
/// --accounts: clients creating their account at once (tktalk's maxPendingHashes).
constexpr int kMaxRegistering = 16;

uint64_t secsToNs(double secs)
{
    return uint64_t(secs * 1e9);
}

std::string field(const char *key, double value)
{
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, " %s=%.6g", key, value);
    return buffer;
}

std::string field(const char *key, const std::string &value)
{
    return std::string(" ") + key + "=" + value;
}

} // namespace

Runner::Runner(Options options)
    : m_options(std::move(options))
    , m_context(newBenchClientContext())
{
}

Runner::~Runner()
{
    m_traffic.reset();
    m_fleet.reset();
    SSL_CTX_free(m_context);
}

Fleet &Runner::makeFleet(const std::string &channel)
{
    FleetConfig config;
    config.server.sin_family = AF_INET;
    config.server.sin_port = htons(uint16_t(m_options.port));
    if (::inet_pton(AF_INET, m_options.host.c_str(), &config.server.sin_addr) != 1) {
        std::fprintf(stderr, "tktalk-loadgen: --host must be an IPv4 address\n");
        std::exit(2);
    }
    config.sources = consecutiveAddresses(m_options.firstSource, m_options.sourceAddresses);
    if (config.sources.empty()) {
        std::fprintf(stderr, "tktalk-loadgen: --first-source must be an IPv4 address\n");
        std::exit(2);
    }
    config.maxConnecting = m_options.maxConnecting;
    // tktalk hashes at most 16 passwords at once and answers more REGISTERs "busy"; a client
    // holds its place in the connection budget until it is registered, so this bounds them.
    if (m_options.accounts)
        config.maxConnecting = std::min(config.maxConnecting, kMaxRegistering);
    m_rssBeforeKib = m_options.serverPid ? residentKib(m_options.serverPid) : 0;
    config.channel = channel;
    config.accounts = m_options.accounts;
    m_fleet = std::make_unique<Fleet>(m_context, std::move(config), *this);
    return *m_fleet;
}

int Runner::run()
{
    const std::string &s = m_options.scenario;
    if (s == "fanout")
        return fanout(false);
    if (s == "churn")
        return fanout(true);
    if (s == "direct")
        return direct();
    if (s == "idle")
        return idle();
    if (s == "connect")
        return connectRate();
    std::fprintf(stderr, "tktalk-loadgen: unknown scenario %s\n", s.c_str());
    return 2;
}

void Runner::onPrivmsg(TlsClient &client, const protocol::Message &message)
{
    if (m_traffic)
        m_traffic->onPrivmsg(client, message, nowNs());
}

void Runner::onReady(TlsClient &client)
{
    if (m_churning && m_churnFirst >= 0 && client.id() >= m_churnFirst)
        m_fleet->part(client.id());
}

void Runner::onParted(TlsClient &client)
{
    ++m_churnCycles;
    m_fleet->quit(client.id());
    ++client.generation;
    if (m_churning)
        m_fleet->connect(client.id());
}

bool Runner::connectAll(int target, uint64_t *elapsedNs)
{
    const uint64_t start = nowNs();
    const uint64_t deadline = start + secsToNs(m_options.connectTimeoutSecs);
    while (m_fleet->readyCount() + m_fleet->failedCount() < target && nowNs() < deadline)
        m_fleet->poll(kPollSliceMs);
    if (elapsedNs)
        *elapsedNs = nowNs() - start;
    if (m_fleet->readyCount() < target) {
        std::fprintf(stderr, "tktalk-loadgen: only %d of %d clients got ready (%d failed)\n",
                     m_fleet->readyCount(), target, m_fleet->failedCount());
        for (const auto &[why, count] : m_fleet->closeReasons())
            std::fprintf(stderr, "  %d x %s\n", count, why.c_str());
        return false;
    }
    // Scripts that start something once the clients are in (bench/hostile) wait for this line.
    std::fprintf(stderr, "tktalk-loadgen: READY %d clients\n", target);
    return true;
}

void Runner::pump(uint64_t untilNs, bool stopWhenDrained)
{
    for (uint64_t now = nowNs(); now < untilNs; now = nowNs()) {
        if (stopWhenDrained && m_traffic->drained())
            return;
        m_traffic->tick(now);
        const int wait = m_traffic->msUntilNextSend(now);
        m_fleet->poll(wait < 0 ? kPollSliceMs : std::min(wait, kPollSliceMs));
    }
}

std::string Runner::connectionFields(uint64_t connectNs) const
{
    const double secs = double(connectNs) / 1e9;
    const int ready = m_fleet->readyCount();
    std::string fields = field("ready", ready) + field("failed", m_fleet->failedCount()) + field("connect_s", secs)
                         + field("connects_per_s", secs > 0 ? ready / secs : 0);
    if (m_options.serverPid) {
        // Measured with every client connected (and joined) and before any traffic.
        const uint64_t rss = residentKib(m_options.serverPid);
        fields += field("server_rss_before_kib", double(m_rssBeforeKib)) + field("server_rss_kib", double(rss))
                  + field("rss_per_client_kib", ready > 0 ? (double(rss) - double(m_rssBeforeKib)) / ready : 0);
    }
    return fields;
}

int Runner::measureTraffic(Traffic::Config config, std::string &fields)
{
    config.messagesPerSender = uint64_t(std::max(0, m_options.messages));
    m_traffic = std::make_unique<Traffic>(*m_fleet, std::move(config));
    if (m_options.messages == 0)
        pump(nowNs() + secsToNs(m_options.warmupSecs));

    const uint64_t cpu0 = processCpuNs();
    const uint64_t serverCpu0 = m_options.serverPid ? processCpuNsOf(m_options.serverPid) : 0;
    const uint64_t cycles0 = m_churnCycles;
    const uint64_t idle0 = m_fleet->idleNs();
    const uint64_t t0 = nowNs();
    m_traffic->setMeasuring(true);
    if (m_options.messages > 0) {
        // A fixed amount of work: until everything is sent and delivered, or the time is up.
        const uint64_t deadline = t0 + secsToNs(m_options.durationSecs + m_options.drainSecs);
        while (!(m_traffic->allSent() && m_traffic->drained()) && nowNs() < deadline)
            pump(std::min(deadline, nowNs() + secsToNs(0.05)));
    } else {
        pump(t0 + secsToNs(m_options.durationSecs));
    }
    m_traffic->setMeasuring(false);
    const double secs = double(nowNs() - t0) / 1e9;
    const double cpuShare = double(processCpuNs() - cpu0) / 1e9 / secs;
    // Busy: not waiting in epoll. Unlike the CPU share, this stays near 1 for a saturated load
    // generator even when other processes take part of its core.
    const double busyShare = 1.0 - double(m_fleet->idleNs() - idle0) / 1e9 / secs;
    const double serverShare =
        m_options.serverPid ? double(processCpuNsOf(m_options.serverPid) - serverCpu0) / 1e9 / secs : 0;
    const uint64_t cycles = m_churnCycles - cycles0;

    m_traffic->stopSending();
    m_churning = false;
    pump(nowNs() + secsToNs(m_options.drainSecs), true);
    Traffic::Result r = m_traffic->result();
    for (const auto &[why, count] : m_fleet->closeReasons())
        std::fprintf(stderr, "tktalk-loadgen: %d connections ended: %s\n", count, why.c_str());

    fields += field("deliveries", double(r.deliveries)) + field("deliveries_per_s", double(r.deliveries) / secs) + field("sent_per_s", double(r.sent) / secs)
              + field("p50_us", double(r.latency.percentile(0.50))) + field("p99_us", double(r.latency.percentile(0.99)))
              + field("p999_us", double(r.latency.percentile(0.999))) + field("max_us", double(r.latency.max()))
              + field("lost", double(r.lost)) + field("duplicates", double(r.duplicates))
              + field("reordered", double(r.reordered)) + field("foreign", double(r.foreign))
              + field("loadgen_cpu", cpuShare) + field("loadgen_busy", busyShare)
              + field("saturated", busyShare >= kSaturatedCpuShare ? "yes" : "no") + field("server_cpu", serverShare) + field("disconnected", m_fleet->failedCount());
    if (m_churnFirst >= 0)
        fields += field("churn_cycles_per_s", double(cycles) / secs);
    const bool clean = r.lost == 0 && r.duplicates == 0 && r.reordered == 0 && m_fleet->failedCount() == 0
                       && r.deliveries > 0;
    return clean ? 0 : 1;
}

int Runner::fanout(bool withChurn)
{
    const int n = m_options.clients;
    makeFleet(m_options.channel).addClients(n, m_options.nickPrefix);
    for (int id = 0; id < n; ++id)
        m_fleet->connect(id);
    uint64_t connectNs = 0;
    if (!connectAll(n, &connectNs))
        return 1;
    std::string fields = field("clients", n) + field("senders", m_options.senders) + field("window", m_options.window)
                         + field("rate", m_options.rate) + connectionFields(connectNs);
    if (withChurn) {
        m_churnFirst = m_fleet->addClients(std::max(1, m_options.churners), 'c');
        m_churning = true;
        for (int id = m_churnFirst; id < m_fleet->size(); ++id)
            m_fleet->connect(id);
        fields += field("churners", m_options.churners);
    }
    Traffic::Config config;
    config.channel = m_options.channel;
    for (int id = 0; id < m_options.senders; ++id)
        config.senders.push_back(id);
    config.trackedClients = n;
    config.window = m_options.window;
    config.ratePerSecond = m_options.rate;
    config.payloadBytes = m_options.payloadBytes;
    const int rc = measureTraffic(std::move(config), fields);
    report(fields);
    return rc;
}

int Runner::direct()
{
    const int n = m_options.clients & ~1;
    makeFleet(std::string()).addClients(n, m_options.nickPrefix);
    for (int id = 0; id < n; ++id)
        m_fleet->connect(id);
    uint64_t connectNs = 0;
    if (!connectAll(n, &connectNs))
        return 1;
    std::string fields = field("clients", n) + field("window", m_options.window) + field("rate", m_options.rate)
                         + connectionFields(connectNs);
    if (m_options.accounts)
        fields += field("accounts", "yes");
    Traffic::Config config;
    config.mode = Traffic::Mode::Pairs;
    for (int id = 0; id < n; ++id)
        config.senders.push_back(id);
    config.trackedClients = n;
    config.window = m_options.window;
    config.ratePerSecond = m_options.rate;
    config.payloadBytes = m_options.payloadBytes;
    const int rc = measureTraffic(std::move(config), fields);
    report(fields);
    return rc;
}

int Runner::idle()
{
    // Registered connections in no channel: what one connection costs the server, without the
    // N-squared JOIN announcements a shared channel adds.
    const int n = m_options.clients;
    makeFleet(std::string()).addClients(n, 'b');
    for (int id = 0; id < n; ++id)
        m_fleet->connect(id);
    uint64_t connectNs = 0;
    const bool allReady = connectAll(n, &connectNs);
    const uint64_t holdUntil = nowNs() + secsToNs(m_options.holdSecs);
    while (nowNs() < holdUntil)
        m_fleet->poll(kPollSliceMs);
    const std::string connection = connectionFields(connectNs);

    // Still served: every client's PING must be answered.
    const uint64_t start = nowNs();
    for (int id = 0; id < n; ++id) {
        if (m_fleet->client(id).phase == Fleet::Ready)
            m_fleet->client(id).queueLine("PING :served");
    }
    const uint64_t deadline = start + secsToNs(m_options.drainSecs);
    while (m_pongs < uint64_t(m_fleet->readyCount()) && nowNs() < deadline)
        m_fleet->poll(kPollSliceMs);
    const double answerSecs = double(nowNs() - start) / 1e9;

    const bool servedAll = allReady && m_pongs == uint64_t(n) && m_fleet->failedCount() == 0;
    report(field("clients", n) + connection + field("hold_s", m_options.holdSecs) + field("served", double(m_pongs))
           + field("served_all", servedAll ? "yes" : "no") + field("all_answered_s", answerSecs)
           + field("disconnected", m_fleet->failedCount()));
    return servedAll ? 0 : 1;
}

void Runner::onPong(TlsClient &client)
{
    (void)client;
    ++m_pongs;
}

int Runner::connectRate()
{
    const int n = m_options.clients;
    makeFleet(std::string()).addClients(n, 'b');
    const uint64_t cpu0 = processCpuNs();
    const uint64_t serverCpu0 = m_options.serverPid ? processCpuNsOf(m_options.serverPid) : 0;
    for (int id = 0; id < n; ++id)
        m_fleet->connect(id);
    uint64_t connectNs = 0;
    const bool ok = connectAll(n, &connectNs);
    const double cpuShare = double(processCpuNs() - cpu0) / double(std::max<uint64_t>(1, connectNs));
    const double serverShare = m_options.serverPid ? double(processCpuNsOf(m_options.serverPid) - serverCpu0)
                                                         / double(std::max<uint64_t>(1, connectNs))
                                                   : 0;
    report(field("clients", n) + field("max_connecting", m_options.maxConnecting) + connectionFields(connectNs)
         + field("loadgen_cpu", cpuShare) + field("saturated", cpuShare >= kSaturatedCpuShare ? "yes" : "no")
           + field("server_cpu", serverShare));
    return ok ? 0 : 1;
}

void Runner::report(const std::string &fields) const
{
    std::printf("RESULT scenario=%s%s\n", m_options.scenario.c_str(), fields.c_str());
    std::fflush(stdout);
}

} // namespace tktalk::bench
