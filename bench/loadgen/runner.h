#pragma once

#include "fleet.h"
#include "options.h"
#include "traffic.h"

#include <memory>
#include <string>

namespace tktalk::bench {

/**
 * @brief Runs one scenario from the options and prints its figures: a human summary on stderr
 * and one machine-readable "RESULT key=value ..." line on stdout.
 */
class Runner : public FleetListener
{
public:
    explicit Runner(Options options);
    ~Runner() override;
    /// Returns 0 when the run was clean (everyone served, nothing lost, duplicated or reordered).
    int run();

    void onPrivmsg(TlsClient &client, const protocol::Message &message) override;
    void onReady(TlsClient &client) override;
    void onParted(TlsClient &client) override;
    void onPong(TlsClient &client) override;

private:
    int fanout(bool withChurn);
    int direct();
    int idle();
    int connectRate();

    Fleet &makeFleet(const std::string &channel);
    /// Polls until @p target clients are ready (or have failed) or the connect timeout passes.
    bool connectAll(int target, uint64_t *elapsedNs);
    /// Drives traffic until @p untilNs; with @p stopWhenDrained, also stops once all is delivered.
    void pump(uint64_t untilNs, bool stopWhenDrained = false);
    int measureTraffic(Traffic::Config config, std::string &fields);
    void report(const std::string &fields) const;
    std::string connectionFields(uint64_t connectNs) const;

    Options m_options;
    SSL_CTX *m_context;
    std::unique_ptr<Fleet> m_fleet;
    std::unique_ptr<Traffic> m_traffic;
    int m_churnFirst = -1;     ///< first churner id, or -1
    bool m_churning = false;
    uint64_t m_churnCycles = 0;
    uint64_t m_pongs = 0;
    uint64_t m_rssBeforeKib = 0; ///< the server's RSS before this run connected anyone
};

} // namespace tktalk::bench
