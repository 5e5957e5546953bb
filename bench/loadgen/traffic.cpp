#include "traffic.h"

#include "fleet.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace tktalk::bench {

namespace {
constexpr char kMarker[] = "tkb ";
constexpr int kMaxWindow = 64;
} // namespace

Traffic::Traffic(Fleet &fleet, Config config)
    : m_fleet(fleet)
    , m_config(std::move(config))
{
    m_config.window = std::clamp(m_config.window, 1, kMaxWindow);
    m_slotOfClient.assign(size_t(m_fleet.size()), -1);
    for (int id : m_config.senders) {
        m_slotOfClient[size_t(id)] = int(m_senders.size());
        Sender sender;
        sender.id = id;
        sender.remaining.assign(size_t(m_config.window), 0);
        m_senders.push_back(std::move(sender));
    }
    const size_t slots = m_config.mode == Mode::Channel ? m_senders.size() : 1;
    m_seqStates.assign(size_t(m_config.trackedClients) * slots, SeqState{});
    if (m_config.ratePerSecond > 0)
        m_intervalNs = uint64_t(1e9 * double(m_senders.size()) / m_config.ratePerSecond);
    m_padding.assign(size_t(std::max(0, m_config.payloadBytes)), 'x');
}

uint32_t Traffic::recipientsPerMessage() const
{
    return m_config.mode == Mode::Channel ? uint32_t(m_config.trackedClients - 1) : 1u;
}

int Traffic::msUntilNextSend(uint64_t now) const
{
    if (m_intervalNs == 0 || !m_sending)
        return -1;
    uint64_t next = UINT64_MAX;
    for (const Sender &sender : m_senders) {
        if (sender.nextSeq - sender.ackedUpTo < uint64_t(m_config.window))
            next = std::min(next, sender.nextSendNs);
    }
    if (next == UINT64_MAX)
        return -1;
    return next <= now ? 0 : int((next - now) / 1'000'000) + 1;
}

void Traffic::tick(uint64_t now)
{
    if (!m_sending)
        return;
    for (Sender &sender : m_senders) {
        if (m_fleet.client(sender.id).phase != Fleet::Ready)
            continue;
        if (sender.nextSendNs == 0)
            sender.nextSendNs = now;
        while (sender.nextSeq - sender.ackedUpTo < uint64_t(m_config.window)
               && (m_config.messagesPerSender == 0 || sender.nextSeq < m_config.messagesPerSender)
               && (m_intervalNs == 0 || now >= sender.nextSendNs)) {
            send(sender, now);
            if (m_intervalNs != 0)
                sender.nextSendNs += m_intervalNs;
        }
        // A sender held back by its window does not bank the missed slots as a later burst.
        if (m_intervalNs != 0 && sender.nextSendNs + 10 * m_intervalNs < now)
            sender.nextSendNs = now;
    }
}

void Traffic::send(Sender &sender, uint64_t now)
{
    const uint64_t seq = sender.nextSeq++;
    sender.remaining[seq % sender.remaining.size()] = recipientsPerMessage();
    TlsClient &client = m_fleet.client(sender.id);
    const std::string &target =
        m_config.mode == Mode::Channel ? m_config.channel : m_fleet.nickOf(m_fleet.client(sender.id ^ 1));
    m_line.clear();
    m_line += "PRIVMSG ";
    m_line += target;
    m_line += " :";
    m_line += kMarker;
    m_line += std::to_string(sender.id);
    m_line += ' ';
    m_line += std::to_string(seq);
    m_line += ' ';
    m_line += std::to_string(now);
    m_line += ' ';
    const size_t header = m_line.size() - target.size() - 10; // after "PRIVMSG <target> :"
    if (header < m_padding.size())
        m_line.append(m_padding, 0, m_padding.size() - header);
    client.queueLine(m_line);
    if (m_measuring)
        ++m_result.sent;
}

void Traffic::onPrivmsg(TlsClient &recipient, const protocol::Message &message, uint64_t now)
{
    if (recipient.id() >= m_config.trackedClients)
        return;
    const QByteArray &text = message.params.at(1);
    if (!text.startsWith(kMarker)) {
        ++m_result.foreign;
        return;
    }
    char *cursor = const_cast<char *>(text.constData()) + sizeof kMarker - 1;
    const long senderId = std::strtol(cursor, &cursor, 10);
    const uint64_t seq = std::strtoull(cursor, &cursor, 10);
    const uint64_t sentAt = std::strtoull(cursor, &cursor, 10);
    if (senderId < 0 || senderId >= long(m_slotOfClient.size()) || m_slotOfClient[size_t(senderId)] < 0) {
        ++m_result.foreign;
        return;
    }
    const int slot = m_slotOfClient[size_t(senderId)];
    Sender &sender = m_senders[size_t(slot)];
    if (seq >= sender.nextSeq) {
        ++m_result.foreign;
        return;
    }
    SeqState &state = m_config.mode == Mode::Channel
                          ? m_seqStates[size_t(recipient.id()) * m_senders.size() + size_t(slot)]
                          : m_seqStates[size_t(recipient.id())];
    if (seq < state.next) {
        ++m_result.duplicates;
        return;
    }
    if (seq == state.next) {
        ++state.next;
        while (state.early & 1u) {
            state.early >>= 1;
            ++state.next;
        }
        state.early >>= 1;
    } else {
        const uint64_t bit = seq - state.next - 1;
        if (bit < 64 && (state.early >> bit) & 1u) {
            ++m_result.duplicates;
            return;
        }
        if (bit < 64)
            state.early |= uint64_t(1) << bit;
        ++m_result.reordered;
    }
    if (m_measuring) {
        ++m_result.deliveries;
        m_result.latency.record(now > sentAt ? (now - sentAt) / 1000 : 0);
    }
    acknowledge(sender, seq);
}

void Traffic::acknowledge(Sender &sender, uint64_t seq)
{
    if (seq < sender.ackedUpTo)
        return;
    uint32_t &remaining = sender.remaining[seq % sender.remaining.size()];
    if (remaining > 0)
        --remaining;
    while (sender.ackedUpTo < sender.nextSeq && sender.remaining[sender.ackedUpTo % sender.remaining.size()] == 0)
        ++sender.ackedUpTo;
}

bool Traffic::drained() const
{
    return std::all_of(m_senders.begin(), m_senders.end(),
                       [](const Sender &sender) { return sender.ackedUpTo == sender.nextSeq; });
}

bool Traffic::allSent() const
{
    return m_config.messagesPerSender > 0
           && std::all_of(m_senders.begin(), m_senders.end(), [this](const Sender &sender) {
                  return sender.nextSeq >= m_config.messagesPerSender;
              });
}

Traffic::Result Traffic::result()
{
    m_result.lost = 0;
    for (const Sender &sender : m_senders) {
        for (uint64_t seq = sender.ackedUpTo; seq < sender.nextSeq; ++seq)
            m_result.lost += sender.remaining[seq % sender.remaining.size()];
    }
    return m_result;
}

} // namespace tktalk::bench
