#pragma once

#include "protocol/names.h"

#include <QString>

namespace tktalk::client {

/// @p nick folded to lower case under the server's announced @p mapping, for comparing and hashing.
QString foldNick(const QString &nick, protocol::Casemapping mapping);

/// A hue in [0, 1) that is the same for the same nick on every run and every machine.
double nickHue(const QString &nick);

} // namespace tktalk::client
