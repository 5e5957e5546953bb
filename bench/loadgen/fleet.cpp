#include "fleet.h"

#include "protocol/names.h"

#include <cstring>

namespace tktalk::bench {

using protocol::Message;

namespace {
constexpr int kMaxEventsPerWait = 512;
/// Every bench account's password: long enough for tktalk's minimum (8).
constexpr const char *kAccountPassword = "bench-password";
} // namespace

Fleet::Fleet(SSL_CTX *context, FleetConfig config, FleetListener &listener)
    : m_context(context)
    , m_config(std::move(config))
    , m_listener(listener)
{}

Fleet::~Fleet() = default;

int Fleet::addClients(int count, char nickPrefix)
{
    const int first = size();
    for (int i = 0; i < count; ++i) {
        m_clients.push_back(std::make_unique<TlsClient>(first + i, m_context, m_poller, *this));
        m_nickPrefix.push_back(nickPrefix);
    }
    return first;
}

std::string Fleet::nickOf(const TlsClient &client) const
{
    // Short enough for every server's NICKLEN (9 in RFC 1459); churners change nick per
    // generation so a quitting nick is never still held when the next one registers.
    std::string nick(1, m_nickPrefix[size_t(client.id())]);
    nick += std::to_string(client.id());
    if (client.generation > 0)
        nick += char('a' + client.generation % 26);
    return nick;
}

void Fleet::connect(int id)
{
    client(id).phase = Unstarted;
    m_pending.push_back(id);
}

void Fleet::startPending()
{
    while (!m_pending.empty() && m_inFlight < m_config.maxConnecting) {
        TlsClient &c = client(m_pending.front());
        m_pending.pop_front();
        const sockaddr_in &source = m_config.sources[m_nextSource++ % m_config.sources.size()];
        c.phase = Connecting;
        ++m_inFlight;
        c.start(m_config.server, source); // a failure reports itself through onClosed()
    }
}

void Fleet::poll(int timeoutMs)
{
    startPending();
    epoll_event events[kMaxEventsPerWait];
    const int n = m_poller.wait(events, kMaxEventsPerWait, m_dirty.empty() ? timeoutMs : 0);
    for (int i = 0; i < n; ++i)
        static_cast<TlsClient *>(events[i].data.ptr)->handleEvents(events[i].events);
    // Batched writes: every line queued during this turn leaves in as few TLS records as possible.
    std::vector<TlsClient *> dirty;
    dirty.swap(m_dirty);
    for (TlsClient *c : dirty)
        c->flush();
}

void Fleet::onOutputPending(TlsClient &client)
{
    m_dirty.push_back(&client);
}

void Fleet::onSecured(TlsClient &client)
{
    client.phase = Registering;
    const std::string nick = nickOf(client);
    client.queueLine("NICK " + nick);
    // Before USER: the server holds the registration (001) until the account is created and the
    // client logged in to it.
    if (m_config.accounts)
        client.queueLine(std::string("REGISTER * * ") + kAccountPassword);
    client.queueLine("USER " + nick + " 0 * :tktalk bench");
}

void Fleet::becomeReady(TlsClient &client)
{
    if (client.phase < Ready)
        --m_inFlight;
    client.phase = Ready;
    ++m_ready;
    m_listener.onReady(client);
}

void Fleet::leavePhase(TlsClient &client)
{
    if (client.phase == Ready)
        --m_ready;
    else if (client.phase >= Connecting && client.phase < Ready)
        --m_inFlight;
}

void Fleet::part(int id)
{
    TlsClient &c = client(id);
    leavePhase(c);
    c.phase = Leaving;
    c.queueLine("PART " + m_config.channel);
}

void Fleet::quit(int id)
{
    TlsClient &c = client(id);
    leavePhase(c);
    c.phase = Gone;
    c.queueLine("QUIT :bye");
    c.flush();
    c.close("quit");
}

void Fleet::onLine(TlsClient &client, const QByteArray &line)
{
    const std::optional<Message> message = Message::parse(line);
    if (!message)
        return;
    const QByteArray &command = message->command;
    if (command == "PRIVMSG" || command == "NOTICE") {
        if (!message->source.isEmpty() && message->params.size() >= 2)
            m_listener.onPrivmsg(client, *message);
        return;
    }
    if (command == "PING") {
        client.queueLine("PONG :" + message->param(0).toStdString());
        return;
    }
    if (command == "PONG") {
        m_listener.onPong(client);
        return;
    }
    if (command == "001" && client.phase == Registering) {
        if (m_config.channel.empty()) {
            becomeReady(client);
        } else {
            client.phase = Joining;
            client.queueLine("JOIN " + m_config.channel);
        }
        return;
    }
    // The end of NAMES for our channel: a server that auto-joins another one at registration
    // (tktalk's #lobby) sends that one's first, and it does not mean our JOIN is done.
    if (command == "366" && client.phase == Joining
        && protocol::equalsFolded(message->param(1), QByteArray::fromStdString(m_config.channel))) {
        becomeReady(client);
        return;
    }
    if (command == "PART" && client.phase == Leaving && message->sourceNick().toStdString() == nickOf(client)) {
        m_listener.onParted(client);
        return;
    }
    if (command == "ERROR") {
        // The server's reason, without the parts that differ per client (addresses, numbers).
        QByteArray reason = message->param(0).left(60);
        for (char &c : reason) {
            if (c >= '0' && c <= '9')
                c = '#';
        }
        client.close(("ERROR from server: " + reason.toStdString()).c_str());
        return;
    }
    if (command == "FAIL" && message->param(0) == "REGISTER") {
        client.close(("REGISTER refused: " + message->param(1).toStdString()).c_str());
        return;
    }
    if (command == "433" || command == "432" || command == "465") {
        client.close("nick refused");
        return;
    }
    if (client.phase == Joining && (command == "471" || command == "473" || command == "474" || command == "405"))
        client.close("JOIN refused");
}

void Fleet::onClosed(TlsClient &client, const char *why)
{
    if (client.phase != Gone) {
        leavePhase(client);
        ++m_failed;
        ++m_closeReasons[why];
        client.phase = Gone;
    }
    m_listener.onClosed(client);
}

} // namespace tktalk::bench
