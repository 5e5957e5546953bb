#include "acceptguard.h"

#include "logging.h"

#include <QTcpServer>

#include <sys/resource.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

namespace tktalk::server::transport {

namespace {

QString openFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return QStringLiteral("unlimited");
    return QString::number(qulonglong(limit.rlim_cur));
}

/// How many more descriptors this process could open, counted up to @p atMost by making
/// duplicates of @p existing and closing them again.
int freeDescriptors(int existing, int atMost)
{
    int made[AcceptGuard::kSpareDescriptors * 2];
    int count = 0;
    while (count < atMost && count < int(std::size(made))) {
        const int copy = ::fcntl(existing, F_DUPFD_CLOEXEC, 0);
        if (copy < 0)
            break;
        made[count++] = copy;
    }
    for (int i = 0; i < count; ++i)
        ::close(made[i]);
    return count;
}

} // namespace

AcceptGuard::AcceptGuard(QTcpServer *server)
    : QObject(server)
    , m_server(server)
{
    m_retry.setInterval(kRetryIntervalMs);
    connect(&m_retry, &QTimer::timeout, this, &AcceptGuard::check);
    connect(m_server, &QTcpServer::acceptError, this, &AcceptGuard::onAcceptError);
}

bool AcceptGuard::admit(qintptr descriptor)
{
    if (!m_short && freeDescriptors(int(descriptor), kSpareDescriptors) >= kSpareDescriptors)
        return true;
    ::close(int(descriptor));
    ++m_refused;
    if (!m_short) {
        enterShortage(QStringLiteral("Out of file descriptors (open-file limit %1, fewer than %2 free): refusing "
                                     "new connections until some close")
                          .arg(openFileLimit())
                          .arg(kSpareDescriptors));
    }
    return false;
}

void AcceptGuard::onAcceptError(QAbstractSocket::SocketError)
{
    // QTcpServer pauses after an error it does not take for a passing one; look again later.
    if (!m_short)
        enterShortage(QStringLiteral("Cannot accept connections (%1): refusing new ones, retrying every %2 ms")
                          .arg(m_server->errorString())
                          .arg(kRetryIntervalMs));
}

void AcceptGuard::enterShortage(const QString &why)
{
    m_short = true;
    qCWarning(lcServer).noquote() << why;
    m_server->pauseAccepting();
    m_retry.start();
}

void AcceptGuard::check()
{
    if (!m_server->isListening()) {
        m_retry.stop();
        m_short = false;
        return;
    }
    const int listening = int(m_server->socketDescriptor());
    // Twice the spare descriptors, so that accepting does not stop again at the next client.
    if (freeDescriptors(listening, 2 * kSpareDescriptors) < 2 * kSpareDescriptors) {
        refuseWaiting();
        return;
    }
    m_retry.stop();
    m_short = false;
    qCInfo(lcServer).noquote() << "Accepting connections again; refused" << m_refused
                               << "while out of file descriptors";
    m_refused = 0;
    m_server->resumeAccepting();
}

void AcceptGuard::refuseWaiting()
{
    const int listening = int(m_server->socketDescriptor());
    for (int i = 0; i < kMaxRefusedPerCheck; ++i) {
        const int client = ::accept4(listening, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (client < 0)
            break; // nobody waiting (EAGAIN), or not even one descriptor free
        ::close(client);
        ++m_refused;
    }
}

} // namespace tktalk::server::transport
