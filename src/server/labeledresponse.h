#pragma once

#include <QByteArray>
#include <QByteArrayList>

namespace tktalk::server {

/**
 * @brief IRCv3 labeled-response: collects what one labelled command writes to its sender and
 * tags it with the label when the command is done.
 *
 * No line: a labelled `ACK`. One line: that line with the label. More: a `labeled-response`
 * batch whose start carries the label and whose lines carry `batch=<id>`. Lines are tagged as
 * they are, already serialised: the same code wraps every command, whichever handler wrote them.
 */
class LabeledResponse
{
public:
    /// The most a label may have, in bytes (the spec's limit).
    static constexpr qsizetype kMaxLabelBytes = 64;

    bool isActive() const { return m_active; }
    void begin(QByteArray label);
    void add(const QByteArray &lineWithCrlf) { m_lines.append(lineWithCrlf); }
    /// Ends the response: the lines to write, labelled; @p serverName is the source of ACK and BATCH.
    QByteArrayList finish(const QByteArray &serverName);

private:
    QByteArray m_label;
    QByteArrayList m_lines;
    quint64 m_batches = 0; ///< batch ids are unique on this connection
    bool m_active = false;
};

/// @p lineWithCrlf with the tag @p tag ("key=escaped-value") added before its other tags.
QByteArray withTag(const QByteArray &lineWithCrlf, const QByteArray &tag);

} // namespace tktalk::server
