#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tktalk::bench {

/**
 * @brief A latency histogram in microseconds with log-linear buckets (about 3% precision), cheap
 * enough to record every delivery.
 */
class Histogram
{
public:
    Histogram();

    void record(uint64_t micros);
    void merge(const Histogram &other);
    uint64_t count() const { return m_count; }
    /// The value below which @p fraction (0..1) of the recorded values lie.
    uint64_t percentile(double fraction) const;
    uint64_t max() const { return m_max; }

private:
    static size_t bucketOf(uint64_t micros);
    static uint64_t upperBoundOf(size_t bucket);

    std::vector<uint64_t> m_buckets;
    uint64_t m_count = 0;
    uint64_t m_max = 0;
};

} // namespace tktalk::bench
