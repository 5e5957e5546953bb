// Message::parse and serialisation. Properties checked on every input:
// - whatever parses serialises, and parsing that line gives the same message back;
// - a message built from arbitrary parts either cannot be serialised or survives the round trip;
// - tag values survive escaping; name checks and UTF-8 truncation keep their promises.

#include "fuzzsupport.h"

#include "protocol/limits.h"
#include "protocol/message.h"
#include "protocol/names.h"

using tktalk::protocol::Message;
using tktalk::protocol::MessageError;
namespace protocol = tktalk::protocol;

namespace {

void parsedMessagesRoundTrip(QByteArrayView line)
{
    MessageError error = MessageError::None;
    const std::optional<Message> message = Message::parse(line, &error);
    FUZZ_CHECK(message.has_value() == (error == MessageError::None), line);
    if (!message)
        return;
    const QByteArray wire = message->serialize(&error);
    FUZZ_CHECK(!wire.isEmpty() && error == MessageError::None, line);
    FUZZ_CHECK(message->wireLine() == wire + "\r\n", line);
    const std::optional<Message> again = Message::parse(wire);
    FUZZ_CHECK(again.has_value(), line);
    FUZZ_CHECK(*again == *message, line);
    (void)message->sourceNick();
}

/// The input split at NUL (which no part can then contain) into source, command and parameters.
void builtMessagesRoundTrip(QByteArrayView input)
{
    const QList<QByteArray> parts = input.toByteArray().split('\0');
    if (parts.size() < 2)
        return;
    Message message(parts.at(1).toUpper(), parts.mid(2), parts.at(0));
    const QByteArray wire = message.serialize();
    if (wire.isEmpty())
        return; // not representable, and serialize() said so
    const std::optional<Message> parsed = Message::parse(wire);
    FUZZ_CHECK(parsed.has_value(), input);
    FUZZ_CHECK(*parsed == message, input);
}

void tagValuesRoundTrip(QByteArrayView input)
{
    const QByteArray value = protocol::unescapeTagValue(input);
    const QByteArray escaped = protocol::escapeTagValue(value);
    FUZZ_CHECK(!escaped.contains(' ') && !escaped.contains(';') && !escaped.contains('\r') && !escaped.contains('\n'),
               input);
    FUZZ_CHECK(protocol::unescapeTagValue(escaped) == value, input);
}

void namesKeepTheirPromises(QByteArrayView input)
{
    if (protocol::isValidNick(input)) {
        FUZZ_CHECK(input.size() <= protocol::kMaxNickBytes, input);
        // Folding is only a key: "^x" is a nick, its folded "~x" need not be one.
        FUZZ_CHECK(protocol::equalsFolded(input, protocol::foldCase(input).toUpper()), input);
    }
    if (protocol::isValidChannelName(input)) {
        FUZZ_CHECK(input.size() <= protocol::kMaxChannelBytes && protocol::isChannelName(input), input);
        FUZZ_CHECK(!input.contains(' ') && !input.contains(','), input);
    }
    FUZZ_CHECK(protocol::equalsFolded(input, protocol::foldCase(input)), input);
    FUZZ_CHECK(protocol::foldCase(protocol::foldCase(input)) == protocol::foldCase(input), input);
    const QByteArray text = input.toByteArray();
    for (const qsizetype limit : {qsizetype(0), qsizetype(1), protocol::kMaxTopicBytes, text.size() / 2}) {
        const QByteArray cut = protocol::truncateUtf8(text, limit);
        FUZZ_CHECK(cut.size() <= std::max(limit, qsizetype(0)) || cut == text, input);
        FUZZ_CHECK(text.startsWith(cut), input);
        if (protocol::isValidUtf8(text))
            FUZZ_CHECK(protocol::isValidUtf8(cut), input);
    }
    const qsizetype split = input.indexOf('\0');
    if (split >= 0) {
        const QByteArrayView mask = input.first(split);
        const QByteArrayView name = input.sliced(split + 1);
        if (protocol::matchesMask(mask, name))
            FUZZ_CHECK(protocol::matchesMask("*", name), input);
        if (!name.contains('*') && !name.contains('?'))
            FUZZ_CHECK(protocol::matchesMask(name, name), input);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = tktalk::fuzz::bytesOf(data, size);
    parsedMessagesRoundTrip(input);
    builtMessagesRoundTrip(input);
    tagValuesRoundTrip(input);
    namesKeepTheirPromises(input);
    return 0;
}
