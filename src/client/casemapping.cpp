#include "casemapping.h"

#include <QCryptographicHash>

namespace tktalk::client {

QString foldNick(const QString &nick, protocol::Casemapping mapping)
{
    return QString::fromUtf8(protocol::foldCase(nick.toUtf8(), mapping));
}

double nickHue(const QString &nick)
{
    // A digest rather than qHash: qHash is seeded per process, and colours must not change between runs.
    const QByteArray digest = QCryptographicHash::hash(nick.toLower().toUtf8(), QCryptographicHash::Md5);
    const quint16 bits = quint16((quint8(digest[0]) << 8) | quint8(digest[1]));
    return bits / 65536.0;
}

} // namespace tktalk::client
