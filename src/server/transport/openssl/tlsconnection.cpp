#include "tlsconnection.h"

#include "tlscontext.h"
#include "transport/endofturnflusher.h"
#include "transport/handshakelimiter.h"
#include "transport/lingeringclose.h"

#include <QTimerEvent>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tktalk::server::transport {

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

TlsConnection::TlsConnection(qintptr descriptor, SSL_CTX *context, int handshakeTimeoutMs, QObject *parent)
    : Connection(parent)
    , m_descriptor(int(descriptor))
    , m_peerAddress(peerAddressOf(descriptor))
    , m_readNotifier(descriptor, QSocketNotifier::Read)
{
    prepareSocket(m_descriptor);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &TlsConnection::onReadable);
    m_socket.descriptor = m_descriptor;
    m_ssl = SSL_new(context);
    BIO *bio = m_ssl ? newSocketBio(&m_socket) : nullptr;
    if (bio)
        SSL_set_bio(m_ssl, bio, bio);
    if (!m_ssl || !bio) {
        // Reported from the event loop, once the caller has connected to our signals.
        const QString reason = takeOpenSslError();
        QMetaObject::invokeMethod(this, [this, reason] { fail(reason); }, Qt::QueuedConnection);
        return;
    }
    SSL_set_accept_state(m_ssl);
    m_handshakeTimer = startTimer(handshakeTimeoutMs);
}

TlsConnection::~TlsConnection()
{
    if (m_flushRequested)
        EndOfTurnFlusher::remove(this);
    m_readNotifier.setEnabled(false);
    delete m_writeNotifier;
    delete m_lingeringClose;
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
    m_socket.drained = false;
    switch (m_state) {
    case State::Handshaking:
        continueHandshake();
        return;
    case State::Established:
        // Quiet until the reader has drained the socket: see read().
        m_readNotifier.setEnabled(false);
        if (!m_queue.isEmpty())
            requestFlush(); // a write that waited for input (SSL_ERROR_WANT_READ) can go on
        Q_EMIT readyRead();
        return;
    case State::Closing:
    case State::Lingering:
    case State::Closed:
        m_readNotifier.setEnabled(false);
        return;
    }
}

qint64 TlsConnection::read(char *data, qint64 maxBytes)
{
    if (m_state != State::Established || maxBytes <= 0)
        return 0;
    if (m_socket.drained && !SSL_has_pending(m_ssl)) {
        // Nothing buffered, and the kernel had nothing more a moment ago: a read would only fail
        // with EAGAIN. The notifier says when there is more.
        m_readNotifier.setEnabled(true);
        return 0;
    }
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
        closeNow();
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
    requestFlush();
}

void TlsConnection::requestFlush()
{
    if (m_flushRequested)
        return;
    m_flushRequested = true;
    EndOfTurnFlusher::add(this);
}

void TlsConnection::flushQueued()
{
    m_flushRequested = false;
    flush();
}

void TlsConnection::flush()
{
    if (m_state != State::Established && m_state != State::Closing)
        return;
    char record[kMaxRecordBytes];
    while (!m_queue.isEmpty()) {
        // One record from the front of the queue. After a partial write OpenSSL wants the same
        // bytes again, at least as many: the front of the queue does not change until sent.
        const QByteArrayView bytes = m_queue.front(record, kMaxRecordBytes);
        ERR_clear_error();
        const int written = SSL_write(m_ssl, bytes.data(), int(bytes.size()));
        if (written > 0) {
            m_queue.consume(written);
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

bool TlsConnection::releaseBuffers()
{
    return false; // OpenSSL gives them back itself as they drain (SSL_MODE_RELEASE_BUFFERS)
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
    case State::Lingering:
    case State::Closed:
        return;
    }
}

// ---- closing --------------------------------------------------------------------------------

void TlsConnection::close(const QByteArray &lastLine)
{
    if (m_state == State::Handshaking) {
        abort();
        return;
    }
    if (m_state != State::Established)
        return;
    m_queue.append(lastLine);
    m_state = State::Closing;
    m_readNotifier.setEnabled(false);
    if (m_queue.isEmpty())
        finishClosing();
    else
        requestFlush();
}

void TlsConnection::abort()
{
    closeNow();
}

void TlsConnection::finishClosing()
{
    ERR_clear_error();
    SSL_shutdown(m_ssl); // sends close_notify; the peer's answer is not awaited
    ERR_clear_error();
    m_state = State::Lingering;
    m_readNotifier.setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    m_lingeringClose = new LingeringClose(std::exchange(m_descriptor, -1), LingeringClose::kDefaultTimeoutMs);
    connect(m_lingeringClose, &LingeringClose::finished, this, &TlsConnection::closeNow);
}

void TlsConnection::fail(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    m_error = reason;
    const bool duringHandshake = m_state == State::Handshaking;
    closeNow();
    if (duringHandshake)
        Q_EMIT handshakeFailed(reason);
}

void TlsConnection::closeNow()
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
    delete std::exchange(m_lingeringClose, nullptr); // closes its descriptor if still open
    if (m_descriptor >= 0)
        ::close(std::exchange(m_descriptor, -1));
    m_queue.clear();
    QMetaObject::invokeMethod(this, &TlsConnection::disconnected, Qt::QueuedConnection);
}

} // namespace tktalk::server::transport
