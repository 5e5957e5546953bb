#include "inputhistory.h"

namespace tktalk::client {

void InputHistory::add(const QString &line)
{
    if (!line.isEmpty() && (m_entries.isEmpty() || m_entries.constLast() != line))
        m_entries << line;
    if (m_entries.size() > kMaxEntries)
        m_entries.removeFirst();
    m_position = m_entries.size();
    m_draft.clear();
}

QString InputHistory::previous(const QString &draft)
{
    if (m_position == m_entries.size())
        m_draft = draft;
    if (m_position > 0)
        --m_position;
    return m_entries.isEmpty() ? draft : m_entries.at(m_position);
}

QString InputHistory::next()
{
    if (m_position < m_entries.size())
        ++m_position;
    return m_position == m_entries.size() ? m_draft : m_entries.at(m_position);
}

} // namespace tktalk::client
