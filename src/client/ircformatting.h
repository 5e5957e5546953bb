#pragma once

#include <QString>

namespace tktalk::client {

/// @p text without mIRC formatting codes (bold, colours with their numbers, italics, reverse,
/// underline, reset), and with any other control character turned into a space: what a topic or a
/// message says, to be shown as plain text.
QString stripIrcFormatting(const QString &text);

} // namespace tktalk::client
