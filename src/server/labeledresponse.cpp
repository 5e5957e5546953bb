#include "labeledresponse.h"

#include "protocol/message.h"

namespace tktalk::server {

QByteArray withTag(const QByteArray &lineWithCrlf, const QByteArray &tag)
{
    if (lineWithCrlf.startsWith('@'))
        return '@' + tag + ';' + lineWithCrlf.sliced(1);
    return '@' + tag + ' ' + lineWithCrlf;
}

void LabeledResponse::begin(QByteArray label)
{
    m_label = std::move(label);
    m_lines.clear();
    m_active = true;
}

QByteArrayList LabeledResponse::finish(const QByteArray &serverName)
{
    m_active = false;
    const QByteArray labelTag = "label=" + protocol::escapeTagValue(m_label);
    QByteArrayList lines = std::move(m_lines);
    m_lines = {};
    if (lines.isEmpty())
        return {'@' + labelTag + " :" + serverName + " ACK\r\n"};
    if (lines.size() == 1)
        return {withTag(lines.constFirst(), labelTag)};
    const QByteArray id = QByteArray::number(++m_batches, 36);
    const QByteArray batchTag = "batch=" + id;
    for (QByteArray &line : lines)
        line = withTag(line, batchTag);
    lines.prepend('@' + labelTag + " :" + serverName + " BATCH +" + id + " labeled-response\r\n");
    lines.append(":" + serverName + " BATCH -" + id + "\r\n");
    return lines;
}

} // namespace tktalk::server
