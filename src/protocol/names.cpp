#include "names.h"

#include "limits.h"

#include <cstring>

namespace tktalk::protocol {

namespace {

char foldChar(char c, Casemapping mapping = Casemapping::Rfc1459)
{
    // 'A'..'Z', then '[' '\' ']' and '^': each folds to the character 32 places on.
    const char last = mapping == Casemapping::Ascii ? 'Z' : mapping == Casemapping::StrictRfc1459 ? ']' : '^';
    if (c >= 'A' && c <= last)
        return char(c + ('a' - 'A'));
    return c;
}

bool isNickSpecial(char c)
{
    switch (c) {
    case '[': case ']': case '\\': case '`': case '_': case '^': case '{': case '|': case '}':
        return true;
    default:
        return false;
    }
}

bool isLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

Casemapping casemappingFromName(QByteArrayView name)
{
    if (name == "ascii")
        return Casemapping::Ascii;
    if (name == "strict-rfc1459")
        return Casemapping::StrictRfc1459;
    return Casemapping::Rfc1459;
}

QByteArray foldCase(QByteArrayView name, Casemapping mapping)
{
    QByteArray folded(name.size(), Qt::Uninitialized);
    foldCaseInto(name, folded.data(), mapping);
    return folded;
}

void foldCaseInto(QByteArrayView name, char *out, Casemapping mapping)
{
    for (qsizetype i = 0; i < name.size(); ++i)
        out[i] = foldChar(name[i], mapping);
}

bool equalsFolded(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (foldChar(a[i]) != foldChar(b[i]))
            return false;
    }
    return true;
}

bool isValidNick(QByteArrayView nick)
{
    if (nick.isEmpty() || nick.size() > kMaxNickBytes)
        return false;
    if (!isLetter(nick[0]) && !isNickSpecial(nick[0]))
        return false;
    return std::all_of(nick.begin(), nick.end(),
                       [](char c) { return isLetter(c) || isDigit(c) || isNickSpecial(c) || c == '-'; });
}

bool isChannelName(QByteArrayView target)
{
    return target.startsWith('#');
}

bool isValidChannelName(QByteArrayView name)
{
    if (name.size() < 2 || name.size() > kMaxChannelBytes || !isChannelName(name))
        return false;
    if (!isValidUtf8(name))
        return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == ' ' || c == ',' || c == ':' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f;
    });
}

bool matchesMask(QByteArrayView mask, QByteArrayView text)
{
    // Iterative glob matching with one backtrack point: linear in practice, no recursion.
    qsizetype m = 0, t = 0, starMask = -1, starText = 0;
    while (t < text.size()) {
        if (m < mask.size() && mask[m] == '*') {
            starMask = m++;
            starText = t;
        } else if (m < mask.size() && (mask[m] == '?' || foldChar(mask[m]) == foldChar(text[t]))) {
            ++m;
            ++t;
        } else if (starMask >= 0) {
            m = starMask + 1;
            t = ++starText;
        } else {
            return false;
        }
    }
    while (m < mask.size() && mask[m] == '*')
        ++m;
    return m == mask.size();
}

QByteArray truncateUtf8(const QByteArray &text, qsizetype maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    qsizetype end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.left(end);
}

bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        // Most IRC text is ASCII: skip it eight bytes at a time.
        if (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                p += 8;
                continue;
            }
        }
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int length;
        char32_t min;
        char32_t cp;
        if ((c & 0xE0) == 0xC0) {
            length = 2; min = 0x80; cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3; min = 0x800; cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4; min = 0x10000; cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p < length)
            return false;
        for (int i = 1; i < length; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += length;
    }
    return true;
}

} // namespace tktalk::protocol
