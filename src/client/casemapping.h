#pragma once

#include <QByteArray>
#include <QString>

namespace tktalk::client {

/// @brief How the server compares nicknames, as announced in ISUPPORT CASEMAPPING (default rfc1459).
enum class CaseMapping { Ascii, Rfc1459, StrictRfc1459 };

CaseMapping caseMappingFromName(const QByteArray &name);

/// @p nick folded to lower case under @p mapping, for comparing and hashing.
QString foldNick(const QString &nick, CaseMapping mapping);

/// A hue in [0, 1) that is the same for the same nick on every run and every machine.
double nickHue(const QString &nick);

} // namespace tktalk::client
