#include "lineframer.h"

#include "limits.h"

namespace tktalk::protocol {

void LineFramer::append(QByteArrayView bytes)
{
    compact();
    m_buffer.append(bytes.data(), bytes.size());
}

bool LineFramer::hasCompleteLine()
{
    const qsizetype lf = m_buffer.indexOf('\n', std::max(m_scanPos, m_readPos));
    if (lf < 0) {
        m_scanPos = m_buffer.size();
        return false;
    }
    m_scanPos = lf;
    return true;
}

LineFramer::Status LineFramer::next(QByteArray &line)
{
    if (!hasCompleteLine())
        return bufferedBytes() > maxUnfinishedBytes() ? Status::Overflow : Status::NeedMore;

    const qsizetype lf = m_scanPos;
    qsizetype end = lf;
    if (end > m_readPos && m_buffer[end - 1] == '\r')
        --end;
    const QByteArrayView view(m_buffer.constData() + m_readPos, end - m_readPos);
    const bool fits = fitsLimits(view);
    if (fits)
        line = view.toByteArray();
    m_readPos = lf + 1;
    m_scanPos = m_readPos;
    return fits ? Status::Line : Status::TooLong;
}

bool LineFramer::fitsLimits(QByteArrayView line) const
{
    if (!line.startsWith('@'))
        return line.size() <= m_maxBodyBytes;
    const qsizetype space = line.indexOf(' ');
    const qsizetype tagsBytes = space < 0 ? line.size() : space + 1;
    return tagsBytes <= kMaxTagsBytes && line.size() - tagsBytes <= m_maxBodyBytes;
}

void LineFramer::compact()
{
    // Drop returned lines only once they make up most of the buffer, so that taking many short
    // lines does not move the remainder each time.
    if (m_readPos == 0)
        return;
    if (m_readPos == m_buffer.size()) {
        m_buffer.clear();
    } else if (m_readPos >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_readPos);
    } else {
        return;
    }
    m_scanPos -= m_readPos;
    m_readPos = 0;
}

} // namespace tktalk::protocol
