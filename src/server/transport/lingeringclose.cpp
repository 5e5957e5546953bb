#include "lingeringclose.h"

#include <QTimerEvent>

#include <cerrno>

#include <sys/socket.h>
#include <unistd.h>

namespace tktalk::server::transport {

namespace {

/// Discarded input is read in pieces this big; the stack holds them.
constexpr size_t kDrainChunkBytes = 4096;

} // namespace

LingeringClose::LingeringClose(int descriptor, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_descriptor(descriptor)
    , m_readNotifier(descriptor, QSocketNotifier::Read)
{
    ::shutdown(m_descriptor, SHUT_WR);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &LingeringClose::drain);
    // Input already waiting, or the peer's close, makes the notifier fire at once.
    m_timer = startTimer(timeoutMs);
}

LingeringClose::~LingeringClose()
{
    m_readNotifier.setEnabled(false);
    if (m_descriptor >= 0)
        ::close(m_descriptor);
}

void LingeringClose::drain()
{
    char discarded[kDrainChunkBytes];
    for (;;) {
        const ssize_t received = ::recv(m_descriptor, discarded, sizeof discarded, MSG_DONTWAIT);
        if (received > 0)
            continue;
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return; // the notifier says when there is more
        finish(); // the peer closed its side (0), or the connection failed
        return;
    }
}

void LingeringClose::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_timer)
        finish();
    else
        QObject::timerEvent(event);
}

void LingeringClose::finish()
{
    if (m_descriptor < 0)
        return;
    killTimer(m_timer);
    m_timer = 0;
    m_readNotifier.setEnabled(false);
    ::close(m_descriptor);
    m_descriptor = -1;
    Q_EMIT finished();
}

} // namespace tktalk::server::transport
