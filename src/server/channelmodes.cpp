#include "channelmodes.h"

namespace tktalk::server {

namespace {

struct FlagLetter
{
    char letter;
    ChannelModes::Flag flag;
};

// In the order 324 lists them.
constexpr FlagLetter kFlagLetters[] = {
    {'i', ChannelModes::Flag::InviteOnly}, {'m', ChannelModes::Flag::Moderated}, {'n', ChannelModes::Flag::NoExternal},
    {'s', ChannelModes::Flag::Secret},     {'t', ChannelModes::Flag::TopicLock},
};

} // namespace

ChannelModes::ChannelModes()
{
    setFlag(Flag::NoExternal, true);
    setFlag(Flag::TopicLock, true);
}

std::optional<ChannelModes::Flag> ChannelModes::flagForLetter(char letter)
{
    for (const FlagLetter &entry : kFlagLetters) {
        if (entry.letter == letter)
            return entry.flag;
    }
    return std::nullopt;
}

QByteArray ChannelModes::flagLetters() const
{
    QByteArray letters;
    for (const FlagLetter &entry : kFlagLetters) {
        if (has(entry.flag))
            letters += entry.letter;
    }
    return letters;
}

void ChannelModes::setFlagLetters(QByteArrayView letters)
{
    for (const FlagLetter &entry : kFlagLetters)
        setFlag(entry.flag, letters.contains(entry.letter));
}

bool ChannelModes::setFlag(Flag flag, bool on)
{
    if (has(flag) == on)
        return false;
    m_flags ^= quint8(flag);
    return true;
}

bool ChannelModes::setKey(const QByteArray &key)
{
    if (m_key == key)
        return false;
    m_key = key;
    return true;
}

bool ChannelModes::isValidKey(QByteArrayView key)
{
    if (key.isEmpty() || key.size() > kMaxKeyBytes || key.startsWith(':'))
        return false;
    return std::none_of(key.begin(), key.end(), [](char c) {
        return c == ' ' || c == ',' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
}

bool ChannelModes::setLimit(int limit)
{
    if (m_limit == limit)
        return false;
    m_limit = limit;
    return true;
}

MaskList *ChannelModes::list(char letter)
{
    switch (letter) {
    case 'b':
        return &m_bans;
    case 'e':
        return &m_exceptions;
    case 'I':
        return &m_inviteExceptions;
    default:
        return nullptr;
    }
}

QByteArrayList ChannelModes::describe(bool showKey) const
{
    // Letters in alphabetical order, parameters in the order of their letters: +iklmnst key limit.
    QByteArray letters = "+";
    QByteArrayList params;
    for (const FlagLetter &entry : kFlagLetters) {
        if (entry.letter == 'm') {
            // k and l sort between i and m.
            if (!m_key.isEmpty()) {
                letters += 'k';
                params << (showKey ? m_key : QByteArrayLiteral("*"));
            }
            if (m_limit > 0) {
                letters += 'l';
                params << QByteArray::number(m_limit);
            }
        }
        if (has(entry.flag))
            letters += entry.letter;
    }
    return QByteArrayList{letters} + params;
}

} // namespace tktalk::server
