#include "masklist.h"

#include <algorithm>

namespace tktalk::server {

MaskList::AddResult MaskList::add(const BanMask &mask, const QByteArray &setBy, qint64 atSecs)
{
    const bool listed = std::any_of(m_entries.cbegin(), m_entries.cend(),
                                    [&mask](const MaskListEntry &entry) { return entry.mask.sameAs(mask); });
    if (listed)
        return AddResult::AlreadyListed;
    if (m_entries.size() >= kMaxEntries)
        return AddResult::Full;
    m_entries.append(MaskListEntry{mask, setBy, atSecs});
    return AddResult::Added;
}

std::optional<BanMask> MaskList::remove(const BanMask &mask)
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&mask](const MaskListEntry &entry) { return entry.mask.sameAs(mask); });
    if (it == m_entries.end())
        return std::nullopt;
    const BanMask listed = it->mask;
    m_entries.erase(it);
    return listed;
}

bool MaskList::matches(const BanSubject &subject) const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [&subject](const MaskListEntry &entry) { return entry.mask.matches(subject); });
}

} // namespace tktalk::server
