#pragma once

#include "banmask.h"

#include <QList>

namespace tktalk::server {

/// @brief One entry of a ban or exception list, with who set it and when (for 367/348/346).
struct MaskListEntry
{
    BanMask mask;
    QByteArray setBy;
    qint64 setAtSecs = 0;
};

/// @brief A channel's +b, +e or +I list: masks in the order they were set, each once, at most kMaxEntries.
class MaskList
{
public:
    /// ISUPPORT MAXLIST for each of b, e and I.
    static constexpr qsizetype kMaxEntries = 100;

    enum class AddResult { Added, AlreadyListed, Full };

    AddResult add(const BanMask &mask, const QByteArray &setBy, qint64 atSecs);
    /// Removes the entry that is @p mask (compared without regard to case) and returns it as it was
    /// listed; nullopt if none is.
    std::optional<BanMask> remove(const BanMask &mask);
    /// True when any entry matches @p subject.
    bool matches(const BanSubject &subject) const;

    const QList<MaskListEntry> &entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.isEmpty(); }

private:
    QList<MaskListEntry> m_entries;
};

} // namespace tktalk::server
