#pragma once

#include <QByteArrayList>
#include <QString>

namespace tktalk::client {

/// The longest AUTHENTICATE argument; longer payloads go in several lines (IRCv3 SASL).
constexpr qsizetype kSaslChunkBytes = 400;

/// The arguments of the AUTHENTICATE lines that carry a SASL PLAIN login for @p account: the base64 of
/// "\0account\0password" in 400-byte pieces, and "+" after a last piece of exactly 400 bytes.
QByteArrayList saslPlainLines(const QString &account, const QString &password);

} // namespace tktalk::client
