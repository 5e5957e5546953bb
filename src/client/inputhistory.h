#pragma once

#include <QStringList>

namespace tktalk::client {

/// @brief Lines the user sent, recalled with Up and Down like a shell; bounded in size.
class InputHistory
{
public:
    static constexpr qsizetype kMaxEntries = 500;

    void add(const QString &line);
    /// The entry before the current one; @p draft is what is in the input box now, kept for when the user
    /// comes back down past the newest entry.
    QString previous(const QString &draft);
    QString next();

private:
    QStringList m_entries;
    qsizetype m_position = 0; ///< m_entries.size() means "not browsing"
    QString m_draft;
};

} // namespace tktalk::client
