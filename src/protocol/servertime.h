#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tktalk::protocol {

/// The length of a server-time timestamp, "YYYY-MM-DDThh:mm:ss.sssZ".
constexpr qsizetype kServerTimeBytes = 24;

/// @p msSinceEpoch in the one form IRCv3 server-time writes times, "2026-12-06T10:00:00.123Z" (UTC,
/// milliseconds always). Times before 0000-01-01 or after 9999-12-31 are written as those bounds.
/// Allocates only the result: it is on the server's per-message path.
QByteArray formatServerTime(qint64 msSinceEpoch);

/// Milliseconds since the epoch of a timestamp in exactly server-time's form (four-digit year, a
/// day that exists, 00:00:00.000 to 23:59:59.999, 'Z'); nothing for anything else (no
/// milliseconds, another zone, 24:00, a leap second, 30 February, spaces). Only a time that
/// writes back as it was given is read: one time, one spelling.
std::optional<qint64> parseServerTime(QByteArrayView text);

} // namespace tktalk::protocol
