#include "histogram.h"

#include <algorithm>

namespace tktalk::bench {

namespace {
constexpr int kSubBucketBits = 5;
constexpr uint64_t kLinearLimit = 2u << kSubBucketBits; // 64: exact below this
constexpr size_t kBucketCount = kLinearLimit + 40 * (1u << kSubBucketBits);
} // namespace

Histogram::Histogram()
    : m_buckets(kBucketCount, 0)
{}

size_t Histogram::bucketOf(uint64_t micros)
{
    if (micros < kLinearLimit)
        return size_t(micros);
    const int msb = 63 - __builtin_clzll(micros);
    const int shift = msb - kSubBucketBits;
    const uint64_t sub = (micros >> shift) - (1u << kSubBucketBits);
    return std::min(kBucketCount - 1, size_t(kLinearLimit + (shift - 1) * (1u << kSubBucketBits) + sub));
}

uint64_t Histogram::upperBoundOf(size_t bucket)
{
    if (bucket < kLinearLimit)
        return bucket;
    const size_t rest = bucket - kLinearLimit;
    const int shift = int(rest >> kSubBucketBits) + 1;
    const uint64_t sub = (rest & ((1u << kSubBucketBits) - 1)) + (1u << kSubBucketBits);
    return ((sub + 1) << shift) - 1;
}

void Histogram::record(uint64_t micros)
{
    ++m_buckets[bucketOf(micros)];
    ++m_count;
    m_max = std::max(m_max, micros);
}

void Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

uint64_t Histogram::percentile(double fraction) const
{
    if (m_count == 0)
        return 0;
    const uint64_t rank = std::max<uint64_t>(1, uint64_t(fraction * double(m_count) + 0.5));
    uint64_t seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return std::min(upperBoundOf(i), m_max);
    }
    return m_max;
}

} // namespace tktalk::bench
