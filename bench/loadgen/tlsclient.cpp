#include "tlsclient.h"

#include "poller.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include <cerrno>

namespace tktalk::bench {

namespace {
constexpr int kReadChunkBytes = 16 * 1024;
constexpr size_t kCompactBytes = 64 * 1024;
} // namespace

TlsClient::TlsClient(int id, SSL_CTX *context, Poller &poller, TlsClientObserver &observer)
    : m_id(id)
    , m_context(context)
    , m_poller(poller)
    , m_observer(observer)
{}

TlsClient::~TlsClient()
{
    if (m_ssl)
        SSL_free(m_ssl);
    if (m_fd >= 0)
        ::close(m_fd);
}

bool TlsClient::start(const sockaddr_in &server, const sockaddr_in &source)
{
    if (m_ssl) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    if (m_fd >= 0)
        ::close(m_fd);
    m_out.clear();
    m_outOffset = 0;
    m_writeBlocked = false;
    m_framer = protocol::LineFramer();

    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        m_state = State::Closed;
        return false;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Choose the source port at connect() time, so several source addresses each get the whole
    // ephemeral port range.
    ::setsockopt(m_fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) != 0) {
        m_state = State::Closed;
        return false;
    }
    m_state = State::Connecting;
    m_poller.add(m_fd, this);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0 && errno != EINPROGRESS) {
        close("connect failed");
        return false;
    }
    return true;
}

void TlsClient::handleEvents(uint32_t events)
{
    if (m_state == State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            close("connect refused");
            return;
        }
        if (!(events & (EPOLLOUT | EPOLLIN)))
            return;
        m_ssl = SSL_new(m_context);
        SSL_set_fd(m_ssl, m_fd);
        SSL_set_connect_state(m_ssl);
        m_state = State::Handshaking;
    }
    if (m_state == State::Handshaking) {
        continueHandshake();
        return;
    }
    if (m_state != State::Secured)
        return;
    if (events & EPOLLIN)
        readAll();
    if (m_state == State::Secured && (events & EPOLLOUT) && m_writeBlocked) {
        m_writeBlocked = false;
        flush();
    }
    if (m_state == State::Secured && (events & (EPOLLHUP | EPOLLERR)))
        close("hang-up");
}

void TlsClient::continueHandshake()
{
    ERR_clear_error(); // SSL_get_error() misreads a stale queued error as this call's
    const int rc = SSL_do_handshake(m_ssl);
    if (rc == 1) {
        m_state = State::Secured;
        m_observer.onSecured(*this);
        if (m_state == State::Secured)
            readAll(); // the server may already have spoken
        return;
    }
    const int error = SSL_get_error(m_ssl, rc);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
        close("TLS handshake failed");
}

void TlsClient::readAll()
{
    char buffer[kReadChunkBytes];
    for (;;) {
        ERR_clear_error(); // SSL_get_error() misreads a stale queued error as this call's
        const int n = SSL_read(m_ssl, buffer, sizeof buffer);
        if (n > 0) {
            m_framer.append(QByteArrayView(buffer, n));
            continue;
        }
        const int error = SSL_get_error(m_ssl, n);
        if (error == SSL_ERROR_WANT_READ)
            break;
        if (error == SSL_ERROR_WANT_WRITE) {
            m_writeBlocked = true;
            break;
        }
        // Deliver what arrived before the end, then report the close.
        QByteArray line;
        while (m_framer.next(line) == protocol::LineFramer::Status::Line)
            m_observer.onLine(*this, line);
        if (error == SSL_ERROR_ZERO_RETURN)
            close("closed by server");
        else if (error == SSL_ERROR_SSL)
            close(ERR_reason_error_string(ERR_get_error()) ?: "TLS error");
        else
            close(n == 0 ? "connection closed without TLS close_notify" : "connection lost");
        return;
    }
    QByteArray line;
    for (;;) {
        const auto status = m_framer.next(line);
        if (status == protocol::LineFramer::Status::NeedMore)
            break;
        if (status == protocol::LineFramer::Status::Overflow) {
            close("line overflow");
            return;
        }
        if (status == protocol::LineFramer::Status::Line) {
            m_observer.onLine(*this, line);
            if (m_state != State::Secured)
                return;
        }
    }
}

void TlsClient::queueLine(std::string_view line)
{
    if (m_state == State::Closed)
        return;
    m_out.append(line);
    m_out.append("\r\n", 2);
    if (!m_outputSignalled) {
        m_outputSignalled = true;
        m_observer.onOutputPending(*this);
    }
}

void TlsClient::flush()
{
    m_outputSignalled = false;
    if (m_state != State::Secured || m_writeBlocked)
        return;
    // The context allows a moving write buffer, so dropping what was written is safe even while
    // a partial write is pending.
    if (m_outOffset > kCompactBytes) {
        m_out.erase(0, m_outOffset);
        m_outOffset = 0;
    }
    while (hasOutput()) {
        ERR_clear_error(); // SSL_get_error() misreads a stale queued error as this call's
        const int n = SSL_write(m_ssl, m_out.data() + m_outOffset, int(m_out.size() - m_outOffset));
        if (n > 0) {
            m_outOffset += size_t(n);
            continue;
        }
        const int error = SSL_get_error(m_ssl, n);
        if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
            m_writeBlocked = true;
            return;
        }
        close("write failed");
        return;
    }
    m_out.clear();
    m_outOffset = 0;
}

void TlsClient::close(const char *why)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_fd >= 0) {
        m_poller.remove(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
    if (m_ssl) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    m_out.clear();
    m_outOffset = 0;
    m_observer.onClosed(*this, why);
}

} // namespace tktalk::bench
