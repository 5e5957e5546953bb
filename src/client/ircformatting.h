#pragma once

#include <QString>

namespace tktalk::client {

/// @p input without mIRC formatting codes (bold, colours, italics, ...): the client shows text plain.
QString stripIrcFormatting(const QString &input);

} // namespace tktalk::client
