#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QList>
#include <optional>

namespace tktalk::protocol {

/// @brief One IRC message tag (IRCv3 message-tags); an empty value means "no value".
struct Tag
{
    QByteArray key;
    QByteArray value;
    friend bool operator==(const Tag &a, const Tag &b) { return a.key == b.key && a.value == b.value; }
};

/// Why a line could not be parsed or a message could not be serialised.
enum class MessageError {
    None,
    Empty,              ///< nothing but spaces (or tags and a source) on the line
    BadCommand,         ///< the command is neither letters nor three digits
    BadTags,            ///< '@' with no tags, or a tag with an empty or invalid key
    ForbiddenCharacter, ///< NUL, CR or LF inside the message
    BadParameter,       ///< (serialise only) a middle parameter that is empty, has a space or starts with ':'
};

/**
 * @brief An IRC message: optional tags and source, a command, and parameters.
 *
 * Grammar (RFC 1459 section 2.3.1 with IRCv3 message-tags):
 * @code
 *   message  = [ "@" tags SPACE ] [ ":" source SPACE ] command *( SPACE middle ) [ SPACE ":" trailing ]
 *   tags     = tag *( ";" tag )        tag = key [ "=" escaped-value ]
 *   command  = 1*letter / 3digit
 *   middle   = nospcrlfcl *( ":" / nospcrlfcl )
 *   trailing = *( ":" / " " / nospcrlfcl )
 * @endcode
 * Parsing is lenient where real clients are (several spaces between parameters, a trailing space),
 * strict where a wrong guess would be unsafe (NUL, CR, LF). The line given to parse() carries no
 * CR LF; serialise() adds none either.
 */
struct Message
{
    QList<Tag> tags;
    QByteArray source;
    QByteArray command;
    QByteArrayList params;

    Message() = default;
    Message(QByteArray command, QByteArrayList params = {}, QByteArray source = {})
        : source(std::move(source)), command(std::move(command)), params(std::move(params))
    {}

    /// Parses one line (without CR LF). On failure returns nullopt and sets @p error.
    static std::optional<Message> parse(QByteArrayView line, MessageError *error = nullptr);

    /// The wire form without CR LF, or an empty array (and @p error set) when the message cannot be
    /// represented: a forbidden character, an empty command or a malformed middle parameter.
    QByteArray serialize(MessageError *error = nullptr) const;
    /// serialize() followed by CR LF, in one allocation: the line as it goes on the wire.
    QByteArray wireLine(MessageError *error = nullptr) const;

    /// The value of tag @p key, or nullopt when the message has no such tag.
    std::optional<QByteArray> tag(QByteArrayView key) const;

    /// The parameter at @p index, or an empty array when there are fewer.
    QByteArray param(qsizetype index) const { return index < params.size() ? params.at(index) : QByteArray(); }

    /// The nickname part of the source ("nick" of "nick!user@host").
    QByteArray sourceNick() const;

    friend bool operator==(const Message &a, const Message &b)
    {
        return a.tags == b.tags && a.source == b.source && a.command == b.command && a.params == b.params;
    }
};

/**
 * Makes every parameter of @p message but the last a valid middle parameter, as a reply that
 * echoes a client's words needs ("CAP :two words" gets 410 for "two"): each keeps its first word,
 * without a leading ':', and one with nothing left becomes "*".
 */
void makeMiddleParamsValid(Message &message);

/**
 * Shortens @p message's parameters, if it must, so that its line (tags apart) fits the IRC limit of
 * kMaxLineBytes with CR LF: the last parameter first (the text), then the longest of the others,
 * each cut at a UTF-8 boundary and never to nothing. Replies that echo what a client sent (an
 * unknown command, a nick that does not exist) would otherwise exceed the limit. Returns false if
 * even that cannot make the message fit (its source and command alone are too long).
 */
bool shortenToFit(Message &message);

/// Tag value escaping of IRCv3 message-tags ("\:" for ';', "\s" for ' ', "\\", "\r", "\n").
QByteArray escapeTagValue(QByteArrayView value);
QByteArray unescapeTagValue(QByteArrayView escaped);

} // namespace tktalk::protocol
