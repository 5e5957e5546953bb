#include "attack.h"

#include "loadgen/clock.h"
#include "protocol/message.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tktalk::bench {

namespace {

constexpr int kMaxEventsPerWait = 512;
constexpr uint64_t kSecondNs = 1'000'000'000u;
constexpr uint64_t kRetryNs = 100'000'000u;
const char *const kModes[] = {"handshake", "slow-handshake", "slow-register", "prereg-flood", "joinpart",
                              "nick",      "chancreate",     "amplify",       "badlines",     "accounts"};
/// The start of a TLS ClientHello record: what a slow handshake drips.
const char kClientHelloStart[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";

} // namespace

/// A plain TCP connection that drips bytes: the slow-handshake attacker, which never gets as far
/// as TLS.
class Attack::RawClient
{
public:
    ~RawClient() { close(); }
    bool start(const sockaddr_in &server, const sockaddr_in &source)
    {
        close();
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return false;
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        const bool bound = ::bind(m_fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) == 0;
        if (!bound
            || (::connect(m_fd, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0
                && errno != EINPROGRESS)) {
            close();
            return false;
        }
        m_sent = 0;
        return true;
    }
    /// Sends the next byte; false once the server has closed the connection.
    bool drip()
    {
        if (m_fd < 0)
            return false;
        char probe;
        const ssize_t got = ::recv(m_fd, &probe, 1, MSG_DONTWAIT);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN))
            return false;
        const char byte = kClientHelloStart[m_sent % (sizeof kClientHelloStart - 1)];
        if (::send(m_fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != ENOTCONN)
            return false;
        ++m_sent;
        return true;
    }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    size_t m_sent = 0;
};

struct Attack::Slot
{
    std::string mode;
    std::unique_ptr<TlsClient> tls;
    std::unique_ptr<RawClient> raw;
    std::string nick;
    bool registered = false;
    bool inChannel = false;
    uint64_t nextActionNs = 0;
    uint64_t openedNs = 0;
    size_t dripped = 0;
    bool reopen = true; ///< the connection is to be opened at nextActionNs
};

Attack::Attack(SSL_CTX *context, AttackOptions options)
    : m_context(context)
    , m_options(std::move(options))
{
    for (int i = 0; i < m_options.connections; ++i) {
        auto slot = std::make_unique<Slot>();
        slot->mode = modeOf(size_t(i));
        if (slot->mode == "slow-handshake")
            slot->raw = std::make_unique<RawClient>();
        else
            slot->tls = std::make_unique<TlsClient>(i, m_context, m_poller, *this);
        m_slots.push_back(std::move(slot));
    }
}

Attack::~Attack() = default;

std::string Attack::modeOf(size_t index) const
{
    if (m_options.mode != "all")
        return m_options.mode;
    return kModes[index % std::size(kModes)];
}

std::string Attack::randomName(const char *prefix)
{
    return prefix + std::to_string(m_random() % 100'000'000u);
}

void Attack::start(Slot &slot)
{
    const sockaddr_in &source = m_options.sources[m_nextSource++ % m_options.sources.size()];
    slot.registered = slot.inChannel = false;
    slot.dripped = 0;
    slot.openedNs = nowNs();
    slot.nextActionNs = slot.openedNs + kSecondNs;
    count("connections opened");
    if (slot.raw) {
        if (!slot.raw->start(m_options.server, source)) {
            count("connect failed");
            slot.reopen = true;
            slot.nextActionNs = slot.openedNs + kRetryNs;
        }
        return;
    }
    // A failed connect() reports itself through onClosed(); a socket that could not be made or
    // bound (descriptors or ports used up) does not, and is tried again a moment later.
    if (!slot.tls->start(m_options.server, source) && !slot.reopen) {
        count("connect failed");
        slot.reopen = true;
        slot.nextActionNs = slot.openedNs + kRetryNs;
    }
}

void Attack::onSecured(TlsClient &client)
{
    Slot &slot = *m_slots[size_t(client.id())];
    count("handshakes completed");
    if (slot.mode == "handshake") {
        client.close("attacker's own close");
        return;
    }
    slot.nick = randomName("x");
    if (slot.mode == "slow-register" || slot.mode == "prereg-flood")
        return;
    if (slot.mode == "accounts") {
        // Never registers the connection: REGISTER and AUTHENTICATE work before USER.
        client.queueLine("CAP REQ :sasl");
        client.queueLine("NICK " + slot.nick);
        return;
    }
    client.queueLine("NICK " + slot.nick);
    client.queueLine("USER " + slot.nick + " 0 * :attacker");
}

void Attack::onLine(TlsClient &client, const QByteArray &line)
{
    Slot &slot = *m_slots[size_t(client.id())];
    const std::optional<protocol::Message> message = protocol::Message::parse(line);
    if (!message)
        return;
    const QByteArray &command = message->command;
    if (command == "PING") {
        client.queueLine("PONG :" + message->param(0).toStdString());
    } else if (command == "900" && slot.mode == "accounts") {
        // An account was created (and the connection logged in to it): on to the next one.
        count("accounts created");
        client.close("attacker's own close");
    } else if (command == "001") {
        slot.registered = true;
        count("registered");
    } else if (command == "ERROR") {
        // The reason a server gives for cutting a connection names the limit that did it:
        // "Closing Link: host (reason)" from tktalk, "Closing link: (nick@host) [reason]" from InspIRCd.
        std::string reason = message->param(0).toStdString();
        const size_t bracket = reason.find('['), bracketEnd = reason.rfind(']');
        const size_t open = reason.find('('), close = reason.rfind(')');
        if (bracket != std::string::npos && bracketEnd != std::string::npos && bracketEnd > bracket)
            reason = reason.substr(bracket + 1, bracketEnd - bracket - 1);
        else if (open != std::string::npos && close != std::string::npos && close > open)
            reason = reason.substr(open + 1, close - open - 1);
        const size_t colon = reason.find(':');
        count("ERROR: " + reason.substr(0, colon));
    } else if (command == "FAIL") {
        count("FAIL " + message->param(0).toStdString() + " " + message->param(1).toStdString());
    } else if (command.size() == 3 && (command[0] == '4' || command[0] == '9') && command != "433") {
        count("numeric " + command.toStdString());
    } else if (command == "366" && message->param(1) == QByteArray::fromStdString(m_options.channel)) {
        slot.inChannel = true;
    } else if (command == "AUTHENTICATE" && slot.mode == "accounts") {
        // A password guess for an account that may or may not exist.
        const std::string guess = std::string("\0victim\0", 8) + "guess" + std::to_string(m_random() % 1000);
        client.queueLine("AUTHENTICATE " + QByteArray::fromStdString(guess).toBase64().toStdString());
    }
}

void Attack::onClosed(TlsClient &client, const char *why)
{
    count(std::string("closed: ") + why);
    Slot &slot = *m_slots[size_t(client.id())];
    // Opened again at once; after a failed connect, a moment later, so as not to spin.
    const bool refused = std::strcmp(why, "connect refused") == 0 || std::strcmp(why, "connect failed") == 0;
    slot.nextActionNs = refused ? nowNs() + kRetryNs : 0;
    slot.reopen = true;
    slot.registered = false;
}

void Attack::onOutputPending(TlsClient &client)
{
    m_dirty.push_back(&client);
}

void Attack::sendAttackLine(Slot &slot)
{
    TlsClient &c = *slot.tls;
    const std::string &mode = slot.mode;
    if (mode == "prereg-flood") {
        c.queueLine("PING :" + randomName("p"));
    } else if (mode == "accounts") {
        // New accounts and password guesses, in turn.
        if (slot.dripped++ % 2 == 0)
            c.queueLine("REGISTER " + randomName("a") + " * :password-guess");
        else
            c.queueLine("AUTHENTICATE PLAIN");
    } else if (!slot.registered) {
        return;
    } else if (mode == "joinpart") {
        c.queueLine(slot.inChannel ? "PART " + m_options.channel : "JOIN " + m_options.channel);
        slot.inChannel = !slot.inChannel;
    } else if (mode == "nick") {
        c.queueLine("NICK " + randomName("n"));
    } else if (mode == "chancreate") {
        const std::string channel = randomName("#c");
        c.queueLine("JOIN " + channel);
        c.queueLine("PART " + channel);
    } else if (mode == "moderate") {
        // Not an attack: a channel operator at work (for bench/soak), in a channel of its own.
        const std::string channel = "#m" + slot.nick;
        static const char *const kActs[] = {
            "JOIN %s",   "MODE %s +nt",       "TOPIC %s :soak topic", "MODE %s +l 10",
            "MODE %s +b x*!*@*", "MODE %s -b x*!*@*", "MODE %s +m", "MODE %s -ml",
            "KICK %s nobody :bye", "MODE %s +k key", "MODE %s -k key", "PART %s"};
        char line[128];
        std::snprintf(line, sizeof line, kActs[slot.dripped++ % std::size(kActs)], channel.c_str());
        c.queueLine(line);
    } else if (mode == "amplify") {
        static const char *const kAsks[] = {"WHO ", "NAMES ", "LIST", "WHO *"};
        const char *ask = kAsks[m_random() % std::size(kAsks)];
        c.queueLine(std::string(ask) + (ask[std::strlen(ask) - 1] == ' ' ? m_options.channel : ""));
    } else if (mode == "badlines") {
        switch (m_random() % 5) {
        case 0: c.queueLine("PRIVMSG " + m_options.channel + " :" + std::string(600, 'x')); break;
        case 1: c.queueLine(std::string("PRIVMSG #x :a\0b", 15)); break;
        case 2: c.queueLine("@=== PRIVMSG #x :bad tags"); break;
        case 3: c.queueLine("PRIVMSG #x :\xff\xfe not utf-8"); break;
        default: c.queueLine(std::string(20'000, 'y')); break; // no end of line in sight
        }
    }
}

void Attack::tick(Slot &slot, uint64_t now)
{
    if (now < slot.nextActionNs)
        return;
    if (slot.reopen) {
        slot.reopen = false;
        start(slot);
        return;
    }
    if (slot.raw) {
        // One byte a second of a ClientHello that never ends.
        slot.nextActionNs = now + kSecondNs;
        if (!slot.raw->drip()) {
            count("closed: slow handshake cut off");
            slot.reopen = true;
        }
        return;
    }
    if (slot.tls->state() != TlsClient::State::Secured)
        return;
    if (slot.mode == "slow-register") {
        // A NICK, then a line every five seconds to look alive, and never a USER.
        slot.nextActionNs = now + 5 * kSecondNs;
        slot.tls->queueLine(slot.dripped++ == 0 ? "NICK " + slot.nick : "PONG :still registering");
        return;
    }
    slot.nextActionNs = now + uint64_t(double(kSecondNs) / std::max(0.01, m_options.linesPerSecond));
    sendAttackLine(slot);
}

int Attack::run()
{
    const uint64_t start = nowNs();
    const uint64_t end = start + uint64_t(m_options.durationSecs * 1e9);
    epoll_event events[kMaxEventsPerWait];
    for (uint64_t now = start; now < end; now = nowNs()) {
        for (auto &slot : m_slots)
            tick(*slot, now);
        const int n = m_poller.wait(events, kMaxEventsPerWait, 5);
        for (int i = 0; i < n; ++i)
            static_cast<TlsClient *>(events[i].data.ptr)->handleEvents(events[i].events);
        std::vector<TlsClient *> dirty;
        dirty.swap(m_dirty);
        for (TlsClient *client : dirty)
            client->flush();
    }
    std::printf("RESULT attack=%s connections=%d duration_s=%g", m_options.mode.c_str(), m_options.connections,
                m_options.durationSecs);
    for (const auto &[what, number] : m_counts) {
        std::string key = what;
        for (char &c : key) {
            if (c == ' ' || c == '=')
                c = '_';
        }
        std::printf(" %s=%llu", key.c_str(), static_cast<unsigned long long>(number));
    }
    std::printf("\n");
    return 0;
}

} // namespace tktalk::bench
