#include "poller.h"

#include "clock.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace tktalk::bench {

Poller::Poller()
    : m_fd(::epoll_create1(EPOLL_CLOEXEC))
{
    if (m_fd < 0) {
        std::perror("epoll_create1");
        std::exit(1);
    }
}

Poller::~Poller()
{
    ::close(m_fd);
}

void Poller::add(int fd, void *owner)
{
    epoll_event event{};
    // Edge-triggered for both directions: the client reads until EAGAIN and writes until it
    // would block, so it never needs to re-arm.
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = owner;
    if (::epoll_ctl(m_fd, EPOLL_CTL_ADD, fd, &event) != 0)
        std::perror("epoll_ctl ADD");
}

void Poller::remove(int fd)
{
    ::epoll_ctl(m_fd, EPOLL_CTL_DEL, fd, nullptr);
}

int Poller::wait(epoll_event *events, int maxEvents, int timeoutMs)
{
    const uint64_t start = timeoutMs != 0 ? nowNs() : 0;
    const int n = ::epoll_wait(m_fd, events, maxEvents, timeoutMs);
    if (timeoutMs != 0)
        m_idleNs += nowNs() - start;
    return n < 0 && errno == EINTR ? 0 : n;
}

} // namespace tktalk::bench
