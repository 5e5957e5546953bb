#include "saslplain.h"

namespace tktalk::client {

QByteArrayList saslPlainLines(const QString &account, const QString &password)
{
    // The authzid stays empty: it means "the account authenticated", which is all we ask for.
    const QByteArray payload = QByteArray(1, '\0') + account.toUtf8() + '\0' + password.toUtf8();
    const QByteArray encoded = payload.toBase64();
    QByteArrayList lines;
    for (qsizetype at = 0; at < encoded.size(); at += kSaslChunkBytes)
        lines << encoded.mid(at, kSaslChunkBytes);
    if (encoded.size() % kSaslChunkBytes == 0)
        lines << QByteArrayLiteral("+");
    return lines;
}

} // namespace tktalk::client
