#include "message.h"

#include "limits.h"
#include "names.h"

#include <algorithm>
#include <cstring>

namespace tktalk::protocol {

namespace {

bool isForbidden(unsigned char c)
{
    return c == '\0' || c == '\r' || c == '\n';
}

bool hasForbiddenCharacter(QByteArrayView bytes)
{
    // Every line passes here at least four times (parsed, then each part of the relayed line), so
    // look at eight bytes at a time: NUL, CR and LF are all below 0x0E, and the word test below
    // flags any byte below 0x0E (tabs too, so a flagged word is checked byte by byte).
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    constexpr quint64 kOnes = 0x0101010101010101ULL;
    constexpr quint64 kHighBits = 0x8080808080808080ULL;
    for (; end - p >= 8; p += 8) {
        quint64 word;
        std::memcpy(&word, p, sizeof word);
        if (((word - 0x0E * kOnes) & ~word & kHighBits) == 0)
            continue;
        for (int i = 0; i < 8; ++i) {
            if (isForbidden(p[i]))
                return true;
        }
    }
    for (; p < end; ++p) {
        if (isForbidden(*p))
            return true;
    }
    return false;
}

bool isValidCommand(QByteArrayView command)
{
    if (command.isEmpty())
        return false;
    const bool numeric = command.size() == 3 && std::all_of(command.begin(), command.end(), [](char c) {
                             return c >= '0' && c <= '9';
                         });
    if (numeric)
        return true;
    return std::all_of(command.begin(), command.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
}

bool isValidTagKey(QByteArrayView key)
{
    // key = [ "+" ] [ vendor "/" ] 1*( letter / digit / "-" ); vendor is a host name.
    if (key.startsWith('+'))
        key = key.sliced(1);
    if (key.isEmpty())
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
               || c == '/' || c == '.';
    });
}

qsizetype skipSpaces(QByteArrayView line, qsizetype pos)
{
    while (pos < line.size() && line[pos] == ' ')
        ++pos;
    return pos;
}

/// Returns the word starting at @p pos and moves @p pos past it.
QByteArrayView takeWord(QByteArrayView line, qsizetype &pos)
{
    const qsizetype start = pos;
    while (pos < line.size() && line[pos] != ' ')
        ++pos;
    return line.sliced(start, pos - start);
}

bool parseTags(QByteArrayView text, QList<Tag> &tags)
{
    if (text.isEmpty())
        return false;
    qsizetype pos = 0;
    while (pos <= text.size()) {
        qsizetype end = text.indexOf(';', pos);
        if (end < 0)
            end = text.size();
        const QByteArrayView item = text.sliced(pos, end - pos);
        if (!item.isEmpty()) {
            const qsizetype eq = item.indexOf('=');
            const QByteArrayView key = eq < 0 ? item : item.first(eq);
            if (!isValidTagKey(key))
                return false;
            const QByteArray value = eq < 0 ? QByteArray() : unescapeTagValue(item.sliced(eq + 1));
            // "If there are multiple tags with the same key, only the last one is used."
            auto existing = std::find_if(tags.begin(), tags.end(), [&](const Tag &t) { return t.key == key; });
            if (existing != tags.end())
                existing->value = value;
            else
                tags.append(Tag{key.toByteArray(), value});
        }
        pos = end + 1;
    }
    return true;
}

} // namespace

QByteArray escapeTagValue(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
        case ';': out += "\\:"; break;
        case ' ': out += "\\s"; break;
        case '\\': out += "\\\\"; break;
        case '\r': out += "\\r"; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

QByteArray unescapeTagValue(QByteArrayView escaped)
{
    QByteArray out;
    out.reserve(escaped.size());
    for (qsizetype i = 0; i < escaped.size(); ++i) {
        const char c = escaped[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i == escaped.size())
            break; // a lone trailing backslash is dropped
        switch (escaped[i]) {
        case ':': out += ';'; break;
        case 's': out += ' '; break;
        case 'r': out += '\r'; break;
        case 'n': out += '\n'; break;
        default: out += escaped[i]; // "\\" and any other escaped character stand for themselves
        }
    }
    return out;
}

std::optional<Message> Message::parse(QByteArrayView line, MessageError *error)
{
    auto fail = [error](MessageError why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (hasForbiddenCharacter(line))
        return fail(MessageError::ForbiddenCharacter);

    Message message;
    qsizetype pos = skipSpaces(line, 0);
    if (pos < line.size() && line[pos] == '@') {
        ++pos;
        if (!parseTags(takeWord(line, pos), message.tags))
            return fail(MessageError::BadTags);
        pos = skipSpaces(line, pos);
    }
    if (pos < line.size() && line[pos] == ':') {
        ++pos;
        message.source = takeWord(line, pos).toByteArray();
        pos = skipSpaces(line, pos);
    }
    if (pos >= line.size())
        return fail(MessageError::Empty);

    const QByteArrayView command = takeWord(line, pos);
    if (!isValidCommand(command))
        return fail(MessageError::BadCommand);
    message.command = command.toByteArray().toUpper();

    while (true) {
        pos = skipSpaces(line, pos);
        if (pos >= line.size())
            break;
        if (line[pos] == ':') {
            message.params.append(line.sliced(pos + 1).toByteArray());
            break;
        }
        message.params.append(takeWord(line, pos).toByteArray());
    }
    if (error)
        *error = MessageError::None;
    return message;
}

namespace {

/// The wire form of @p m, with CR LF when @p withCrLf, in one allocation.
QByteArray serializeMessage(const Message &m, bool withCrLf, MessageError *error)
{
    auto fail = [error](MessageError why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    if (!isValidCommand(m.command))
        return fail(MessageError::BadCommand);
    if (hasForbiddenCharacter(m.source) || m.source.contains(' '))
        return fail(MessageError::ForbiddenCharacter);

    // A relayed line is serialised once per message, so this is on the hot path: validate and
    // measure first, then write the line in one allocation without appending piece by piece.
    QByteArray tagSection;
    if (!m.tags.isEmpty()) {
        tagSection += '@';
        for (qsizetype i = 0; i < m.tags.size(); ++i) {
            if (!isValidTagKey(m.tags[i].key))
                return fail(MessageError::BadTags);
            if (i > 0)
                tagSection += ';';
            tagSection += m.tags[i].key;
            if (!m.tags[i].value.isEmpty()) {
                tagSection += '=';
                tagSection += escapeTagValue(m.tags[i].value);
            }
        }
        tagSection += ' ';
    }
    qsizetype size = tagSection.size() + (m.source.isEmpty() ? 0 : m.source.size() + 2) + m.command.size();
    bool lastIsTrailing = false;
    for (qsizetype i = 0; i < m.params.size(); ++i) {
        const QByteArray &p = m.params[i];
        if (hasForbiddenCharacter(p))
            return fail(MessageError::ForbiddenCharacter);
        const bool needsTrailing = p.isEmpty() || p.startsWith(':') || p.contains(' ');
        if (needsTrailing && i != m.params.size() - 1)
            return fail(MessageError::BadParameter);
        lastIsTrailing = needsTrailing;
        size += 1 + p.size();
    }
    if (lastIsTrailing)
        ++size;
    if (withCrLf)
        size += 2;

    QByteArray out(size, Qt::Uninitialized);
    char *cursor = out.data();
    const auto put = [&cursor](QByteArrayView bytes) {
        if (!bytes.isEmpty())
            std::memcpy(cursor, bytes.data(), size_t(bytes.size()));
        cursor += bytes.size();
    };
    put(tagSection);
    if (!m.source.isEmpty()) {
        *cursor++ = ':';
        put(m.source);
        *cursor++ = ' ';
    }
    put(m.command);
    for (qsizetype i = 0; i < m.params.size(); ++i) {
        *cursor++ = ' ';
        if (i == m.params.size() - 1 && lastIsTrailing)
            *cursor++ = ':';
        put(m.params[i]);
    }
    if (withCrLf) {
        *cursor++ = '\r';
        *cursor++ = '\n';
    }
    Q_ASSERT(cursor == out.constData() + out.size());
    if (error)
        *error = MessageError::None;
    return out;
}

} // namespace

QByteArray Message::serialize(MessageError *error) const
{
    return serializeMessage(*this, false, error);
}

QByteArray Message::wireLine(MessageError *error) const
{
    return serializeMessage(*this, true, error);
}

namespace {

/// The length of @p m's line without tags, with CR LF.
qsizetype lineBodyBytes(const Message &m)
{
    qsizetype size = (m.source.isEmpty() ? 0 : m.source.size() + 2) + m.command.size() + 2;
    for (const QByteArray &p : m.params)
        size += 1 + p.size();
    const QByteArray last = m.params.isEmpty() ? QByteArray() : m.params.constLast();
    if (!m.params.isEmpty() && (last.isEmpty() || last.startsWith(':') || last.contains(' ')))
        ++size;
    return size;
}

} // namespace

void makeMiddleParamsValid(Message &message)
{
    for (qsizetype i = 0; i + 1 < message.params.size(); ++i) {
        QByteArray &param = message.params[i];
        qsizetype start = 0;
        while (start < param.size() && (param.at(start) == ' ' || param.at(start) == ':'))
            ++start;
        qsizetype end = param.indexOf(' ', start);
        if (end < 0)
            end = param.size();
        param = param.mid(start, end - start);
        if (param.isEmpty())
            param = "*";
    }
}

bool shortenToFit(Message &message)
{
    QByteArrayList &params = message.params;
    for (qsizetype excess = lineBodyBytes(message) - kMaxLineBytes; excess > 0;
         excess = lineBodyBytes(message) - kMaxLineBytes) {
        // The text first; then the other parameters, longest first.
        QList<qsizetype> order;
        for (qsizetype i = 0; i + 1 < params.size(); ++i)
            order.append(i);
        std::sort(order.begin(), order.end(), [&params](qsizetype a, qsizetype b) {
            return params.at(a).size() > params.at(b).size();
        });
        if (!params.isEmpty())
            order.prepend(params.size() - 1);
        bool shortened = false;
        for (const qsizetype i : std::as_const(order)) {
            // Never to nothing, and whole UTF-8 characters only.
            const QByteArray cut = truncateUtf8(params.at(i), std::max<qsizetype>(1, params.at(i).size() - excess));
            if (!cut.isEmpty() && cut.size() < params.at(i).size()) {
                params[i] = cut;
                shortened = true;
                break;
            }
        }
        if (!shortened)
            return false;
    }
    return true;
}

std::optional<QByteArray> Message::tag(QByteArrayView key) const
{
    for (const Tag &t : tags) {
        if (t.key == key)
            return t.value;
    }
    return std::nullopt;
}

QByteArray Message::sourceNick() const
{
    const qsizetype bang = source.indexOf('!');
    if (bang >= 0)
        return source.left(bang);
    const qsizetype at = source.indexOf('@');
    return at >= 0 ? source.left(at) : source;
}

} // namespace tktalk::protocol
