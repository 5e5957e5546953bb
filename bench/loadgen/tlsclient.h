#pragma once

#include "protocol/lineframer.h"

#include <QByteArray>

#include <netinet/in.h>
#include <openssl/ssl.h>

#include <string>
#include <string_view>

namespace tktalk::bench {

class Poller;
class TlsClient;

/// @brief What a TlsClient reports to the scenario driving it.
class TlsClientObserver
{
public:
    virtual ~TlsClientObserver() = default;
    virtual void onSecured(TlsClient &client) = 0;
    virtual void onLine(TlsClient &client, const QByteArray &line) = 0;
    virtual void onClosed(TlsClient &client, const char *why) = 0;
    /// The client has output queued; the scenario flushes it once per loop turn (batched writes).
    virtual void onOutputPending(TlsClient &client) = 0;
};

/**
 * @brief One non-blocking TLS connection driven by edge-triggered epoll: connect, handshake,
 * framed line input (tktalk's LineFramer), buffered output.
 */
class TlsClient
{
public:
    enum class State { Idle, Connecting, Handshaking, Secured, Closed };

    TlsClient(int id, SSL_CTX *context, Poller &poller, TlsClientObserver &observer);
    ~TlsClient();
    TlsClient(const TlsClient &) = delete;
    TlsClient &operator=(const TlsClient &) = delete;

    int id() const { return m_id; }
    State state() const { return m_state; }
    /// Starts connecting to @p server from @p source (port 0); false if the socket could not be made.
    bool start(const sockaddr_in &server, const sockaddr_in &source);
    /// Handles an epoll wake-up for this client's socket.
    void handleEvents(uint32_t events);
    /// Queues @p line and a CR LF; written by flush().
    void queueLine(std::string_view line);
    void flush();
    void close(const char *why);

    // Per-client scratch space for scenarios.
    int phase = 0;
    int generation = 0;

private:
    void continueHandshake();
    void readAll();
    bool hasOutput() const { return m_outOffset < m_out.size(); }

    int m_id;
    SSL_CTX *m_context;
    Poller &m_poller;
    TlsClientObserver &m_observer;
    State m_state = State::Idle;
    int m_fd = -1;
    SSL *m_ssl = nullptr;
    std::string m_out;
    size_t m_outOffset = 0;
    bool m_outputSignalled = false;
    bool m_writeBlocked = false;
    protocol::LineFramer m_framer;
};

} // namespace tktalk::bench
