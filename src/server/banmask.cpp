#include "banmask.h"

#include "protocol/names.h"

namespace tktalk::server {

namespace {

std::optional<BanMask> fail(QByteArray *why, const char *reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

bool hasForbiddenByte(QByteArrayView text)
{
    // It goes out as a middle parameter of MODE and 367: no spaces, no leading ':', no controls.
    return text.startsWith(':') || std::any_of(text.begin(), text.end(), [](char c) {
               return c == ' ' || c == ',' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
           });
}

} // namespace

BanMask::BanMask(Kind kind, QByteArray text, QByteArray pattern)
    : m_kind(kind)
    , m_text(std::move(text))
    , m_pattern(std::move(pattern))
{}

std::optional<BanMask> BanMask::parse(QByteArrayView text, QByteArray *why)
{
    if (text.isEmpty())
        return fail(why, "Empty mask");
    if (text.size() > kMaxBytes)
        return fail(why, "Mask too long");
    if (hasForbiddenByte(text) || !protocol::isValidUtf8(text))
        return fail(why, "Invalid characters in mask");
    // "~<letter>:..." is an extban; any other '~' starts a user name ("*!~bob@*" after completion).
    const bool extban = text.size() >= 3 && text.at(0) == kExtbanPrefix && text.at(2) == ':'
                        && ((text.at(1) >= 'a' && text.at(1) <= 'z') || (text.at(1) >= 'A' && text.at(1) <= 'Z'));
    if (extban) {
        if (text.at(1) != kAccountExtban)
            return fail(why, "Unknown extban type: only ~a:<account> is supported");
        const QByteArrayView account = text.sliced(3);
        if (account.isEmpty() || account.contains('!') || account.contains('@'))
            return fail(why, "Invalid account name in ~a: extban");
        return BanMask(Kind::Account, text.toByteArray(), account.toByteArray());
    }
    const QByteArray canonical = protocol::canonicalHostmask(text);
    if (canonical.size() > kMaxBytes)
        return fail(why, "Mask too long");
    return BanMask(Kind::Hostmask, canonical, canonical);
}

bool BanMask::matches(const BanSubject &subject) const
{
    switch (m_kind) {
    case Kind::Hostmask:
        return protocol::matchesMask(m_pattern, subject.nickUserHost);
    case Kind::Account:
        return !subject.account.isEmpty() && protocol::matchesMask(m_pattern, subject.account);
    }
    return false;
}

bool BanMask::sameAs(const BanMask &other) const
{
    return m_kind == other.m_kind && protocol::equalsFolded(m_text, other.m_text);
}

} // namespace tktalk::server
