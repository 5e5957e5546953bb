#pragma once

#include <cstdint>
#include <ctime>

namespace tktalk::bench {

/// Monotonic time in nanoseconds; senders and receivers live in one process, so it is shared.
inline uint64_t nowNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

/// CPU time (user + system) this process has used, in nanoseconds.
inline uint64_t processCpuNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

} // namespace tktalk::bench
