#pragma once

#include "histogram.h"

#include "protocol/message.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tktalk::bench {

class Fleet;
class TlsClient;

/**
 * @brief Chat traffic with checks: senders post numbered, timestamped messages, each with a window
 * of messages not yet delivered to every recipient; receivers check per sender that nothing is
 * lost, duplicated or reordered, and record the latency of each delivery.
 *
 * Payload: "tkb <sender id> <sequence> <send time ns> xxxx..." padded to the configured size.
 */
class Traffic
{
public:
    enum class Mode {
        Channel, ///< every sender posts to the channel; every tracked client but the sender receives
        Pairs,   ///< client 2k and 2k+1 send private messages to each other
    };
    struct Config
    {
        Mode mode = Mode::Channel;
        std::string channel = "#bench";
        std::vector<int> senders;    ///< client ids that send
        int trackedClients = 0;      ///< ids below this receive and are checked; others are ignored
        int window = 16;             ///< at most 64: the reorder check keeps a 64-bit map per sender
        double ratePerSecond = 0;    ///< messages per second from all senders together; 0: window-bound
        int payloadBytes = 100;
        uint64_t messagesPerSender = 0; ///< 0: no limit
    };
    struct Result
    {
        uint64_t sent = 0;         ///< messages sent inside the measured interval
        uint64_t deliveries = 0;   ///< deliveries received inside the measured interval
        uint64_t lost = 0;         ///< deliveries still missing after draining
        uint64_t duplicates = 0;
        uint64_t reordered = 0;
        uint64_t foreign = 0;      ///< PRIVMSGs that were not ours or not parseable
        Histogram latency;
    };

    Traffic(Fleet &fleet, Config config);

    /// Sends whatever the windows and the pacing allow at @p now.
    void tick(uint64_t now);
    void onPrivmsg(TlsClient &recipient, const protocol::Message &message, uint64_t now);

    void setMeasuring(bool measuring) { m_measuring = measuring; }
    void stopSending() { m_sending = false; }
    /// True when every message sent has reached every recipient.
    bool drained() const;
    /// True when every sender has sent its messagesPerSender (never without a limit).
    bool allSent() const;
    /// Totals; call after draining (or giving up on it) so that loss is final.
    Result result();
    /// Milliseconds until the next paced send, or -1 when sending waits on acknowledgements only.
    int msUntilNextSend(uint64_t now) const;

private:
    struct Sender
    {
        int id = 0;
        uint64_t nextSeq = 0;
        uint64_t ackedUpTo = 0;
        uint64_t nextSendNs = 0;
        std::vector<uint32_t> remaining; ///< deliveries outstanding, by sequence modulo the window
    };
    struct SeqState
    {
        uint64_t next = 0;
        uint64_t early = 0; ///< bit k: sequence next+1+k has arrived
    };

    void send(Sender &sender, uint64_t now);
    void acknowledge(Sender &sender, uint64_t seq);
    uint32_t recipientsPerMessage() const;

    Fleet &m_fleet;
    Config m_config;
    std::vector<Sender> m_senders;
    std::vector<int> m_slotOfClient;    ///< client id -> index in m_senders, or -1
    std::vector<SeqState> m_seqStates;  ///< tracked client x sender slot (Channel) or tracked client (Pairs)
    std::string m_target;
    uint64_t m_intervalNs = 0;
    bool m_measuring = false;
    bool m_sending = true;
    Result m_result;
    std::string m_line;
    std::string m_padding;
};

} // namespace tktalk::bench
