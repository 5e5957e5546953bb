#include "messageids.h"

#include <QRandomGenerator>

#include <algorithm>
#include <iterator>

namespace tktalk::server {

namespace {

/// 96 random bits: two starts share a prefix once in 2^48 starts' worth of pairs.
constexpr int kPrefixRandomWords = 3;

constexpr char kBase36Digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
/// 36^13 > 2^64: the digits of the largest counter.
constexpr int kMaxBase36Digits = 13;

/// @p counter's base-36 digits, written backwards from @p end; returns the first.
char *writeDigits(char *end, quint64 counter)
{
    char *first = end;
    do {
        *--first = kBase36Digits[counter % 36];
        counter /= 36;
    } while (counter != 0);
    return first;
}

} // namespace

MessageIds::MessageIds()
{
    quint32 words[kPrefixRandomWords];
    QRandomGenerator::system()->generate(std::begin(words), std::end(words));
    const QByteArray random(reinterpret_cast<const char *>(words), sizeof words);
    m_prefix = random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + '-';
    static_assert(16 + 1 + kMaxBase36Digits <= kMaxIdBytes, "an id fits in Text");
}

QByteArray MessageIds::idOf(const QByteArray &prefix, quint64 counter)
{
    // One id per relayed message, on the event loop: the digits go on the stack, so that prefix and
    // digits are copied into the id's only allocation.
    char digits[kMaxBase36Digits];
    char *const end = std::end(digits);
    const char *first = writeDigits(end, counter);
    QByteArray id(prefix.size() + (end - first), Qt::Uninitialized);
    std::copy(first, static_cast<const char *>(end), std::copy(prefix.cbegin(), prefix.cend(), id.data()));
    return id;
}

MessageIds::Text MessageIds::textOf(quint64 counter) const
{
    char digits[kMaxBase36Digits];
    char *const end = std::end(digits);
    const char *first = writeDigits(end, counter);
    Text text;
    text.m_size = m_prefix.size() + (end - first);
    std::copy(first, static_cast<const char *>(end), std::copy(m_prefix.cbegin(), m_prefix.cend(), text.m_bytes));
    return text;
}

} // namespace tktalk::server
