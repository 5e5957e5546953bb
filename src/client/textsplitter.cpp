#include "textsplitter.h"

#include <QStringList>

namespace tktalk::client {

namespace {

bool isContinuationByte(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void splitLine(QByteArray line, qsizetype maxBytes, QList<QByteArray> &pieces)
{
    while (line.size() > maxBytes) {
        qsizetype cut = maxBytes;
        while (cut > 0 && isContinuationByte(line.at(cut)))
            --cut;
        // Break at the last space in the second half of the piece, so words stay whole when they can.
        const qsizetype space = line.lastIndexOf(' ', cut - 1);
        if (space > maxBytes / 2)
            cut = space;
        pieces << line.left(cut);
        line = line.mid(cut);
        if (line.startsWith(' '))
            line.remove(0, 1);
    }
    if (!line.isEmpty())
        pieces << line;
}

} // namespace

QList<QByteArray> splitMessage(const QString &text, qsizetype maxBytes)
{
    QList<QByteArray> pieces;
    if (maxBytes < 4)
        return pieces;
    QString normalised = text;
    normalised.replace(QLatin1String("\r\n"), QLatin1String("\n")).replace(QLatin1Char('\r'), QLatin1Char('\n'));
    for (const QString &line : normalised.split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            splitLine(line.toUtf8(), maxBytes, pieces);
    }
    return pieces;
}

} // namespace tktalk::client
