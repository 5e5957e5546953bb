#pragma once

#include "loadgen/poller.h"
#include "loadgen/tlsclient.h"

#include <netinet/in.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace tktalk::bench {

/// @brief What tktalk-attack is told to do.
struct AttackOptions
{
    std::string mode = "handshake";
    sockaddr_in server{};
    int connections = 200;        ///< attacking connections kept open at once
    std::vector<sockaddr_in> sources; ///< used in turn, so that per-address limits do not decide alone
    double durationSecs = 20;
    double linesPerSecond = 20;   ///< per connection, for the modes that send lines
    std::string channel = "#bench"; ///< the legitimate users' channel, for JOIN/PART and amplification
};

/**
 * @brief Attackers of one kind, or of every kind at once ("all"), against an IRC server over TLS,
 * on one epoll loop. Every connection that the server closes is opened again at once, so the
 * attack keeps its size; what the server answered (numerics, FAIL codes, the ERROR that cut a
 * connection off) is counted, to show which limit met it.
 *
 * Modes: handshake (TLS handshakes, then close), slow-handshake (a ClientHello one byte a
 * second), slow-register (a NICK, then a line every 5 s, never a USER), prereg-flood (lines, never
 * registering), joinpart, nick, chancreate, amplify (WHO/NAMES/LIST), badlines (oversized,
 * malformed, endless), accounts (REGISTER and SASL guesses), all; and moderate, which is no attack
 * but a channel operator setting modes, topics and kicks in a channel of its own (bench/soak).
 */
class Attack : public TlsClientObserver
{
public:
    Attack(SSL_CTX *context, AttackOptions options);
    ~Attack() override;

    /// Runs for the configured duration; prints one "RESULT ..." line.
    int run();

    void onSecured(TlsClient &client) override;
    void onLine(TlsClient &client, const QByteArray &line) override;
    void onClosed(TlsClient &client, const char *why) override;
    void onOutputPending(TlsClient &client) override;

private:
    struct Slot;
    class RawClient;

    void start(Slot &slot);
    void tick(Slot &slot, uint64_t now);
    void sendAttackLine(Slot &slot);
    std::string modeOf(size_t index) const;
    std::string randomName(const char *prefix);
    void count(const std::string &what) { ++m_counts[what]; }

    SSL_CTX *m_context;
    AttackOptions m_options;
    Poller m_poller;
    std::vector<std::unique_ptr<Slot>> m_slots;
    std::vector<TlsClient *> m_dirty;
    std::map<std::string, uint64_t> m_counts;
    std::mt19937 m_random{12345};
    size_t m_nextSource = 0;
};

} // namespace tktalk::bench
