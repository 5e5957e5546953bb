#include "qtconnection.h"

#include "transport/endofturnflusher.h"
#include "transport/lingeringclose.h"

#include <QSslCipher>
#include <QTcpSocket>

#include <unistd.h>

namespace tktalk::server::transport {

namespace {

QTcpSocket *plainSocketOf(QSslSocket *socket)
{
    return socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
}

} // namespace

QtConnection::QtConnection(QSslSocket *socket, IdleBufferReleaser *releaser, QObject *parent)
    : Connection(parent)
    , m_socket(socket)
    , m_peerAddress(socket->peerAddress())
{
    m_socket->setParent(this);
    // Output is coalesced once per event-loop turn already; Nagle's algorithm would only add delay.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QSslSocket::readyRead, this, [this] {
        markActive();
        Q_EMIT readyRead();
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, &QtConnection::onSocketError);
    connect(m_socket, &QSslSocket::disconnected, this, &QtConnection::onSocketDisconnected);
    setBufferReleaser(releaser);
}

QtConnection::~QtConnection()
{
    if (m_flushRequested)
        EndOfTurnFlusher::remove(this);
    m_socket->disconnect(this);
    delete m_lingeringClose;
    if (m_lingerDescriptor >= 0)
        ::close(m_lingerDescriptor);
}

QByteArray QtConnection::peerCertificateSha256() const
{
    const QSslCertificate certificate = m_socket->peerCertificate();
    return certificate.isNull() ? QByteArray() : certificate.digest(QCryptographicHash::Sha256).toHex();
}

QString QtConnection::protocolName() const
{
    return m_socket->sessionCipher().protocolString();
}

QString QtConnection::cipherName() const
{
    return m_socket->sessionCipher().name();
}

// ---- input ----------------------------------------------------------------------------------

qint64 QtConnection::read(char *data, qint64 maxBytes)
{
    // After the peer closed, what it sent before closing is still there to read: a QUIT that came
    // in the same read as its TLS close_notify is reported only after the close.
    if ((m_state != State::Open && m_state != State::Closed) || maxBytes <= 0)
        return 0;
    const qint64 received = m_socket->read(data, maxBytes);
    return received > 0 ? received : 0;
}

// ---- output ---------------------------------------------------------------------------------

void QtConnection::write(const QByteArray &bytes)
{
    if (m_state != State::Open || bytes.isEmpty())
        return;
    m_queue.append(bytes);
    markActive();
    if (!m_flushRequested) {
        m_flushRequested = true;
        EndOfTurnFlusher::add(this);
    }
}

qint64 QtConnection::bytesToWrite() const
{
    return m_queue.size() + m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

void QtConnection::flushQueued()
{
    m_flushRequested = false;
    sendQueued();
}

void QtConnection::sendQueued()
{
    if (m_queue.isEmpty())
        return;
    m_queue.takeAll([this](QByteArrayView bytes) { m_socket->write(bytes.data(), bytes.size()); });
    // Encrypt and hand it to the kernel now; what the kernel cannot take yet, Qt keeps and sends
    // when the socket is writable again.
    m_socket->flush();
}

// ---- idle buffers ---------------------------------------------------------------------------

bool QtConnection::releaseBuffers()
{
    if (m_state != State::Open || !m_queue.isEmpty())
        return false;
    QTcpSocket *plain = plainSocketOf(m_socket);
    if (!plain || m_socket->bytesAvailable() > 0 || m_socket->bytesToWrite() > 0 || plain->bytesAvailable() > 0
        || plain->bytesToWrite() > 0)
        return false;
    m_socket->open(m_socket->openMode());
    plain->open(plain->openMode());
    return true;
}

// ---- closing --------------------------------------------------------------------------------

void QtConnection::close(const QByteArray &lastLine)
{
    if (m_state != State::Open)
        return;
    m_queue.append(lastLine);
    sendQueued();
    m_state = State::Closing;
    // QSslSocket sends close_notify, then closes its descriptor once its output is out. A close
    // with unread input would reset the connection and lose that output, so a duplicate of the
    // descriptor keeps the socket open until LingeringClose has closed it gently.
    m_lingerDescriptor = ::dup(int(m_socket->socketDescriptor()));
    m_socket->disconnectFromHost();
}

void QtConnection::abort()
{
    switch (m_state) {
    case State::Closed:
        return;
    case State::Lingering:
        delete std::exchange(m_lingeringClose, nullptr); // closes the duplicate descriptor
        break;
    case State::Open:
    case State::Closing:
        m_queue.clear();
        m_socket->disconnect(this);
        m_socket->abort();
        break;
    }
    finish();
}

void QtConnection::onSocketError(QAbstractSocket::SocketError error)
{
    // The peer's close, with or without close_notify, is an orderly end, as in the OpenSSL engine.
    if (error != QAbstractSocket::RemoteHostClosedError && m_error.isEmpty())
        m_error = m_socket->errorString();
}

void QtConnection::onSocketDisconnected()
{
    m_socket->disconnect(this);
    m_queue.clear();
    if (m_state == State::Closing && m_lingerDescriptor >= 0) {
        m_state = State::Lingering;
        m_lingeringClose = new LingeringClose(std::exchange(m_lingerDescriptor, -1), LingeringClose::kDefaultTimeoutMs);
        connect(m_lingeringClose, &LingeringClose::finished, this, &QtConnection::finish);
        return;
    }
    finish();
}

void QtConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    setBufferReleaser(nullptr);
    if (m_lingerDescriptor >= 0)
        ::close(std::exchange(m_lingerDescriptor, -1)); // an abort, or a close Qt did not finish
    QMetaObject::invokeMethod(this, &QtConnection::disconnected, Qt::QueuedConnection);
}

} // namespace tktalk::server::transport
