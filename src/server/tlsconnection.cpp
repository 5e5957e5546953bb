#include "tlsconnection.h"

#include "tlscontext.h"

#include <QCoreApplication>
#include <QTimerEvent>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tktalk::server {

namespace {

/// The most plaintext one TLS record carries: each flush writes at most this much per SSL_write.
constexpr qsizetype kMaxRecordBytes = 16 * 1024;
/// The first byte of every TLS connection: a handshake record.
constexpr char kTlsHandshakeRecord = 0x16;

/// What errno says about the last failed system call, or @p atEndOfStream when nothing failed and
/// the peer simply closed (OpenSSL's SSL_ERROR_SYSCALL with errno 0).
QString systemError(const QString &atEndOfStream = {})
{
    return errno ? QString::fromLocal8Bit(std::strerror(errno)) : atEndOfStream;
}

void prepareSocket(int descriptor)
{
    ::fcntl(descriptor, F_SETFL, ::fcntl(descriptor, F_GETFL) | O_NONBLOCK);
    // Output is already coalesced once per event-loop turn; Nagle's algorithm would only add delay.
    const int on = 1;
    ::setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

} // namespace

/**
 * @brief Flushes every connection that was written to, once, when the current event-loop turn ends.
 *
 * One posted call per turn for all connections, rather than one per connection (a relayed line
 * reaches thousands). Its state is file-local rather than owned by an object, because connections
 * outlive the listener that made them (sessions own them), and a connection takes itself out of the
 * list when destroyed.
 */
class EndOfTurnFlusher
{
public:
    static void add(TlsConnection *connection)
    {
        if (!s_scheduled) {
            s_scheduled = true;
            QMetaObject::invokeMethod(QCoreApplication::instance(), &EndOfTurnFlusher::run, Qt::QueuedConnection);
        }
        s_pending.push_back(connection);
    }

    static void remove(TlsConnection *connection)
    {
        std::replace(s_pending.begin(), s_pending.end(), connection, static_cast<TlsConnection *>(nullptr));
        std::replace(s_running.begin(), s_running.end(), connection, static_cast<TlsConnection *>(nullptr));
    }

private:
    static void run()
    {
        s_scheduled = false;
        s_running.swap(s_pending);
        for (TlsConnection *connection : s_running) {
            if (connection) {
                connection->m_flushRequested = false;
                connection->flush();
            }
        }
        s_running.clear();
    }

    // The server runs on one thread; so do these.
    static inline std::vector<TlsConnection *> s_pending;
    static inline std::vector<TlsConnection *> s_running;
    static inline bool s_scheduled = false;
};

TlsConnection::TlsConnection(qintptr descriptor, SSL_CTX *context, int handshakeTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_descriptor(int(descriptor))
    , m_peerAddress(peerAddressOf(descriptor))
    , m_readNotifier(descriptor, QSocketNotifier::Read)
{
    prepareSocket(m_descriptor);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &TlsConnection::onReadable);
    m_ssl = SSL_new(context);
    if (!m_ssl || SSL_set_fd(m_ssl, m_descriptor) != 1) {
        // Reported from the event loop, once the caller has connected to our signals.
        const QString reason = takeOpenSslError();
        QMetaObject::invokeMethod(this, [this, reason] { fail(reason); }, Qt::QueuedConnection);
        return;
    }
    SSL_set_accept_state(m_ssl);
    m_handshakeTimer = startTimer(handshakeTimeoutMs);
}

QHostAddress TlsConnection::peerAddressOf(qintptr descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

TlsConnection::~TlsConnection()
{
    if (m_flushRequested)
        EndOfTurnFlusher::remove(this);
    m_readNotifier.setEnabled(false);
    delete m_writeNotifier;
    if (m_descriptor >= 0)
        ::close(m_descriptor);
    SSL_free(m_ssl);
}

QString TlsConnection::protocolName() const
{
    return m_ssl ? QString::fromLatin1(SSL_get_version(m_ssl)) : QString();
}

QString TlsConnection::cipherName() const
{
    const SSL_CIPHER *cipher = m_ssl ? SSL_get_current_cipher(m_ssl) : nullptr;
    return cipher ? QString::fromLatin1(SSL_CIPHER_get_name(cipher)) : QString();
}

QByteArray TlsConnection::peerCertificateSha256() const
{
    X509 *certificate = m_ssl ? SSL_get1_peer_certificate(m_ssl) : nullptr;
    if (!certificate)
        return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool ok = X509_digest(certificate, EVP_sha256(), digest, &length) == 1;
    X509_free(certificate);
    return ok ? QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex() : QByteArray();
}

// ---- handshake ------------------------------------------------------------------------------

void TlsConnection::continueHandshake()
{
    if (!m_firstByteChecked) {
        // Plain IRC sent to the TLS port is the common mistake; say so rather than quote OpenSSL.
        char first = 0;
        const ssize_t peeked = ::recv(m_descriptor, &first, 1, MSG_PEEK);
        if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        if (peeked <= 0) {
            fail(peeked == 0 ? QStringLiteral("the client closed the connection") : systemError());
            return;
        }
        if (first != kTlsHandshakeRecord) {
            fail(QStringLiteral("the client does not speak TLS"));
            return;
        }
        m_firstByteChecked = true;
    }
    ERR_clear_error();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        killTimer(m_handshakeTimer);
        m_handshakeTimer = 0;
        m_state = State::Established;
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
        Q_EMIT encrypted();
        return;
    }
    switch (SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        m_readNotifier.setEnabled(true);
        return;
    case SSL_ERROR_WANT_WRITE:
        waitUntilWritable();
        return;
    case SSL_ERROR_SYSCALL:
        fail(systemError(QStringLiteral("the client closed the connection")));
        return;
    default:
        fail(takeOpenSslError());
        return;
    }
}

void TlsConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_handshakeTimer)
        return QObject::timerEvent(event);
    killTimer(m_handshakeTimer);
    m_handshakeTimer = 0;
    if (m_state == State::Handshaking)
        fail(QStringLiteral("timed out"));
}

// ---- input ----------------------------------------------------------------------------------

void TlsConnection::onReadable()
{
    switch (m_state) {
    case State::Handshaking:
        continueHandshake();
        return;
    case State::Established:
        // Quiet until the reader has drained the socket: see read().
        m_readNotifier.setEnabled(false);
        if (m_queuedBytes > 0)
            requestFlush(); // a write that waited for input (SSL_ERROR_WANT_READ) can go on
        Q_EMIT readyRead();
        return;
    case State::Closing:
    case State::Closed:
        m_readNotifier.setEnabled(false);
        return;
    }
}

qint64 TlsConnection::read(char *data, qint64 maxBytes)
{
    if (m_state != State::Established || maxBytes <= 0)
        return 0;
    ERR_clear_error();
    const int result = SSL_read(m_ssl, data, int(std::min<qint64>(maxBytes, INT_MAX)));
    if (result > 0)
        return result;
    switch (SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        m_readNotifier.setEnabled(true);
        return 0;
    case SSL_ERROR_WANT_WRITE:
        m_readWaitsForWritable = true;
        waitUntilWritable();
        return 0;
    case SSL_ERROR_ZERO_RETURN: // close_notify
        close();
        return 0;
    case SSL_ERROR_SYSCALL:
        fail(systemError());
        return 0;
    default:
        fail(takeOpenSslError());
        return 0;
    }
}

// ---- output ---------------------------------------------------------------------------------

void TlsConnection::write(const QByteArray &bytes)
{
    if (m_state != State::Established || bytes.isEmpty())
        return;
    m_queue.append(bytes);
    m_queuedBytes += bytes.size();
    requestFlush();
}

void TlsConnection::requestFlush()
{
    if (m_flushRequested)
        return;
    m_flushRequested = true;
    EndOfTurnFlusher::add(this);
}

void TlsConnection::flush()
{
    if (m_state != State::Established && m_state != State::Closing)
        return;
    char record[kMaxRecordBytes];
    while (m_queuedBytes > 0) {
        // Coalesce the front of the queue into one record. After a partial write OpenSSL wants the
        // same bytes again, at least as many: the front of the queue does not change until sent.
        const char *bytes = m_queue.constFirst().constData() + m_frontOffset;
        qsizetype length = m_queue.constFirst().size() - m_frontOffset;
        if (length < kMaxRecordBytes && m_queue.size() > 1) {
            std::memcpy(record, bytes, size_t(length));
            for (qsizetype i = 1; i < m_queue.size() && length < kMaxRecordBytes; ++i) {
                const qsizetype take = std::min(m_queue.at(i).size(), kMaxRecordBytes - length);
                std::memcpy(record + length, m_queue.at(i).constData(), size_t(take));
                length += take;
            }
            bytes = record;
        }
        length = std::min(length, kMaxRecordBytes);
        ERR_clear_error();
        const int written = SSL_write(m_ssl, bytes, int(length));
        if (written > 0) {
            consume(written);
            continue;
        }
        switch (SSL_get_error(m_ssl, written)) {
        case SSL_ERROR_WANT_WRITE:
            waitUntilWritable();
            return;
        case SSL_ERROR_WANT_READ: // renegotiation is off; a key update can still want input first
            m_readNotifier.setEnabled(true);
            return;
        case SSL_ERROR_SYSCALL:
            fail(systemError());
            return;
        default:
            fail(takeOpenSslError());
            return;
        }
    }
    if (m_writeNotifier && !m_readWaitsForWritable)
        m_writeNotifier->setEnabled(false);
    if (m_state == State::Closing)
        finishClosing();
}

void TlsConnection::consume(qint64 bytes)
{
    m_queuedBytes -= bytes;
    while (bytes > 0) {
        const qsizetype frontLeft = m_queue.constFirst().size() - m_frontOffset;
        if (bytes < frontLeft) {
            m_frontOffset += bytes;
            return;
        }
        bytes -= frontLeft;
        m_queue.removeFirst();
        m_frontOffset = 0;
    }
    if (m_queue.isEmpty())
        m_queue = {}; // an idle connection keeps no queue storage
}

void TlsConnection::waitUntilWritable()
{
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Write);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &TlsConnection::onWritable);
    }
    m_writeNotifier->setEnabled(true);
}

void TlsConnection::onWritable()
{
    m_writeNotifier->setEnabled(false);
    switch (m_state) {
    case State::Handshaking:
        continueHandshake();
        return;
    case State::Established:
    case State::Closing:
        if (m_readWaitsForWritable) {
            m_readWaitsForWritable = false;
            Q_EMIT readyRead();
        }
        flush();
        return;
    case State::Closed:
        return;
    }
}

// ---- closing --------------------------------------------------------------------------------

void TlsConnection::disconnectFromHost()
{
    if (m_state == State::Handshaking) {
        abort();
        return;
    }
    if (m_state != State::Established)
        return;
    m_state = State::Closing;
    m_readNotifier.setEnabled(false);
    if (m_queuedBytes == 0)
        finishClosing();
    else
        requestFlush();
}

void TlsConnection::abort()
{
    close();
}

void TlsConnection::finishClosing()
{
    ERR_clear_error();
    SSL_shutdown(m_ssl); // sends close_notify; the peer's answer is not awaited
    ERR_clear_error();
    close();
}

void TlsConnection::fail(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    m_error = reason;
    const bool duringHandshake = m_state == State::Handshaking;
    close();
    if (duringHandshake)
        Q_EMIT handshakeFailed(reason);
}

void TlsConnection::close()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_handshakeTimer) {
        killTimer(m_handshakeTimer);
        m_handshakeTimer = 0;
    }
    m_readNotifier.setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_descriptor);
    m_descriptor = -1;
    m_queue = {};
    m_queuedBytes = 0;
    m_frontOffset = 0;
    QMetaObject::invokeMethod(this, &TlsConnection::disconnected, Qt::QueuedConnection);
}

} // namespace tktalk::server
