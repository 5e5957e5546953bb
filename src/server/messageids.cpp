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

} // namespace

MessageIds::MessageIds()
{
    quint32 words[kPrefixRandomWords];
    QRandomGenerator::system()->generate(std::begin(words), std::end(words));
    const QByteArray random(reinterpret_cast<const char *>(words), sizeof words);
    m_prefix = random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + '-';
}

QByteArray MessageIds::next()
{
    return idOf(m_prefix, ++m_counter);
}

QByteArray MessageIds::idOf(const QByteArray &prefix, quint64 counter)
{
    // One id per relayed message, on the event loop: the digits go on the stack, so that prefix and
    // digits are copied into the id's only allocation.
    char digits[kMaxBase36Digits];
    char *const end = std::end(digits);
    char *first = end;
    do {
        *--first = kBase36Digits[counter % 36];
        counter /= 36;
    } while (counter != 0);
    QByteArray id(prefix.size() + (end - first), Qt::Uninitialized);
    std::copy(first, end, std::copy(prefix.cbegin(), prefix.cend(), id.data()));
    return id;
}

} // namespace tktalk::server
