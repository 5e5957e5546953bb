#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace tktalk::protocol {

/// The casemapping tktalk announces in ISUPPORT (CASEMAPPING=rfc1459): ASCII letters plus
/// "[]\^" as the upper case of "{}|~".
constexpr const char *kCasemappingName = "rfc1459";

/// @brief The casemappings a server may announce in ISUPPORT CASEMAPPING. tktalk's server uses
/// rfc1459; the client follows whatever the server it talks to announces.
enum class Casemapping { Ascii, Rfc1459, StrictRfc1459 };

/// The casemapping named in ISUPPORT; anything unknown means rfc1459, the RFC's default.
Casemapping casemappingFromName(QByteArrayView name);

/// @brief Folds @p name to its canonical lower-case form: ASCII letters, plus "[]\" to "{}|" unless
/// @p mapping is ascii, plus "^" to "~" for rfc1459. Other bytes are left as they are.
QByteArray foldCase(QByteArrayView name, Casemapping mapping = Casemapping::Rfc1459);
/// foldCase() into @p out, which holds name.size() bytes: for look-ups that allocate nothing.
void foldCaseInto(QByteArrayView name, char *out, Casemapping mapping = Casemapping::Rfc1459);

/// True when @p a and @p b are the same name under rfc1459 casemapping.
bool equalsFolded(QByteArrayView a, QByteArrayView b);

/// A nickname: 1 to kMaxNickBytes of letters, digits and "[]\`_^{|}-", not starting with a
/// digit or '-' (RFC 2812 section 2.3.1).
bool isValidNick(QByteArrayView nick);

/// A channel name: '#' then 1 to kMaxChannelBytes - 1 bytes of anything but space, comma, BEL,
/// ':' and control characters (RFC 2812 section 1.3, with only '#' channels).
bool isValidChannelName(QByteArrayView name);

/// True when @p target names a channel (starts with a channel prefix) rather than a nick.
bool isChannelName(QByteArrayView target);

/// Matches @p text against an IRC mask with '*' (any run) and '?' (any one byte), ignoring case
/// under the announced casemapping.
bool matchesMask(QByteArrayView mask, QByteArrayView text);

/// True when @p bytes is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool isValidUtf8(QByteArrayView bytes);

/// Cuts @p text to at most @p maxBytes without splitting a UTF-8 sequence.
QByteArray truncateUtf8(const QByteArray &text, qsizetype maxBytes);

} // namespace tktalk::protocol
