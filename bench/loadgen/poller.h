#pragma once

#include <sys/epoll.h>

#include <cstdint>

namespace tktalk::bench {

/// @brief A thin owner of one epoll instance; every socket is registered edge-triggered once.
class Poller
{
public:
    Poller();
    ~Poller();
    Poller(const Poller &) = delete;
    Poller &operator=(const Poller &) = delete;

    void add(int fd, void *owner);
    void remove(int fd);
    /// Waits up to @p timeoutMs for events; returns how many were written to @p events.
    int wait(epoll_event *events, int maxEvents, int timeoutMs);
    /// Nanoseconds spent blocked in wait() so far: the load generator's idle time.
    uint64_t idleNs() const { return m_idleNs; }

private:
    int m_fd;
    uint64_t m_idleNs = 0;
};

} // namespace tktalk::bench
