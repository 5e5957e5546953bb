#include "casemapping.h"

#include <QCryptographicHash>

namespace tktalk::client {

CaseMapping caseMappingFromName(const QByteArray &name)
{
    if (name == "ascii")
        return CaseMapping::Ascii;
    if (name == "strict-rfc1459")
        return CaseMapping::StrictRfc1459;
    return CaseMapping::Rfc1459;
}

QString foldNick(const QString &nick, CaseMapping mapping)
{
    QString folded = nick;
    for (QChar &c : folded) {
        const char16_t u = c.unicode();
        if (u >= 'A' && u <= 'Z')
            c = QChar(u + 32);
        else if (mapping != CaseMapping::Ascii && (u == '[' || u == ']' || u == '\\'))
            c = QChar(u + 32); // [ ] \ fold to { } |
        else if (mapping == CaseMapping::Rfc1459 && u == '^')
            c = QLatin1Char('~');
    }
    return folded;
}

double nickHue(const QString &nick)
{
    // A digest rather than qHash: qHash is seeded per process, and colours must not change between runs.
    const QByteArray digest = QCryptographicHash::hash(nick.toLower().toUtf8(), QCryptographicHash::Md5);
    const quint16 bits = quint16((quint8(digest[0]) << 8) | quint8(digest[1]));
    return bits / 65536.0;
}

} // namespace tktalk::client
