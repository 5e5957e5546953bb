#pragma once

#include "limits.h"

#include <QByteArray>
#include <QByteArrayView>

namespace tktalk::protocol {

/**
 * @brief Cuts a byte stream into IRC lines, enforcing the line-length limits where bytes enter.
 *
 * A line ends at LF; a CR right before it is dropped. A complete line longer than the limit (by
 * default IRC's input limit, 512 bytes after the tags; 8191 bytes of tags) is reported as TooLong
 * and discarded whole, never truncated. An unfinished line that grows past both limits together is
 * reported as Overflow: the peer is not speaking IRC and the caller should disconnect it.
 *
 * A server frames what clients send with the default; a client frames what a server sends with
 * kMaxReceivedLineBodyBytes, since relayed lines may rightly be longer than 512 bytes.
 */
class LineFramer
{
public:
    /// @p maxBodyBytes: the longest line after the tags, without CR LF.
    explicit LineFramer(qsizetype maxBodyBytes = kMaxLineBodyBytes)
        : m_maxBodyBytes(maxBodyBytes)
    {}

    enum class Status {
        Line,     ///< a complete line was taken
        TooLong,  ///< a complete line over the limit was discarded
        NeedMore, ///< no complete line is buffered
        Overflow, ///< the unfinished line exceeds every limit
    };

    void append(QByteArrayView bytes);

    /// Takes the next line (without CR LF) into @p line when the status is Line.
    Status next(QByteArray &line);

    /// Past this many buffered bytes without an end of line, next() reports Overflow.
    qsizetype maxUnfinishedBytes() const { return kMaxTagsBytes + m_maxBodyBytes + 2; }

    /// Bytes buffered and not yet returned as lines.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_readPos; }

    /// True when a complete line is buffered (next() would not return NeedMore or Overflow).
    bool hasCompleteLine();

private:
    bool fitsLimits(QByteArrayView line) const;
    void compact();

    qsizetype m_maxBodyBytes;
    QByteArray m_buffer;
    qsizetype m_readPos = 0; ///< start of the first line not yet returned
    qsizetype m_scanPos = 0; ///< bytes before this offset are known to hold no LF
};

} // namespace tktalk::protocol
