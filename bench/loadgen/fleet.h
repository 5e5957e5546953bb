#pragma once

#include "poller.h"
#include "tlsclient.h"

#include "protocol/message.h"

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tktalk::bench {

/// @brief What the scenario hears from the fleet.
class FleetListener
{
public:
    virtual ~FleetListener() = default;
    /// A PRIVMSG or NOTICE reached @p client.
    virtual void onPrivmsg(TlsClient &client, const protocol::Message &message) = 0;
    /// @p client finished registering (and joining, when the fleet joins).
    virtual void onReady(TlsClient &client) { (void)client; }
    /// @p client saw its own PART: it has left the channel.
    virtual void onParted(TlsClient &client) { (void)client; }
    virtual void onClosed(TlsClient &client) { (void)client; }
    /// The server answered a PING from @p client.
    virtual void onPong(TlsClient &client) { (void)client; }
};

/// @brief Where and how the fleet connects.
struct FleetConfig
{
    sockaddr_in server{};
    std::vector<sockaddr_in> sources; ///< source addresses, used in turn
    int maxConnecting = 200;          ///< handshakes + registrations in flight at once
    std::string channel = "#bench";   ///< joined after registration unless empty
    bool accounts = false;            ///< create an account (REGISTER) and log in before registering
};

/**
 * @brief N IRC-over-TLS clients on one epoll loop: connects them (a bounded number at a time),
 * registers them, joins them to the channel, answers PINGs, and hands messages to the scenario.
 */
class Fleet : public TlsClientObserver
{
public:
    enum Phase { Unstarted, Connecting, Registering, Joining, Ready, Leaving, Gone };

    Fleet(SSL_CTX *context, FleetConfig config, FleetListener &listener);
    ~Fleet() override;

    /// Adds @p count clients whose nicks start with @p nickPrefix; returns the first new id.
    int addClients(int count, char nickPrefix);
    /// Queues client @p id to be (re)connected as soon as the connection budget allows.
    void connect(int id);
    /// One turn of the event loop: wait up to @p timeoutMs, dispatch, flush output, start connections.
    void poll(int timeoutMs);

    TlsClient &client(int id) { return *m_clients[size_t(id)]; }
    int size() const { return int(m_clients.size()); }
    std::string nickOf(const TlsClient &client) const;
    int readyCount() const { return m_ready; }
    uint64_t idleNs() const { return m_poller.idleNs(); }
    int failedCount() const { return m_failed; }
    bool settled() const { return m_pending.empty() && m_inFlight == 0; }
    const std::map<std::string, int> &closeReasons() const { return m_closeReasons; }
    /// Sends PART for @p id; onParted() follows.
    void part(int id);
    /// Sends QUIT; the client counts as gone at once.
    void quit(int id);

    // TlsClientObserver
    void onSecured(TlsClient &client) override;
    void onLine(TlsClient &client, const QByteArray &line) override;
    void onClosed(TlsClient &client, const char *why) override;
    void onOutputPending(TlsClient &client) override;

private:
    void startPending();
    void becomeReady(TlsClient &client);
    void leavePhase(TlsClient &client);

    SSL_CTX *m_context;
    FleetConfig m_config;
    FleetListener &m_listener;
    Poller m_poller;
    std::vector<std::unique_ptr<TlsClient>> m_clients;
    std::vector<char> m_nickPrefix;
    std::deque<int> m_pending;
    std::vector<TlsClient *> m_dirty;
    int m_inFlight = 0;
    int m_ready = 0;
    int m_failed = 0;
    size_t m_nextSource = 0;
    std::map<std::string, int> m_closeReasons;
};

} // namespace tktalk::bench
