#pragma once

#include <QByteArray>
#include <QString>

namespace tktalk::server {

/// @p bytes to bind as TEXT: an empty QByteArray would otherwise become a null QString, which Qt
/// SQL binds as NULL (and a NOT NULL column refuses).
inline QString sqlText(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QStringLiteral("") : QString::fromUtf8(bytes);
}

} // namespace tktalk::server
