#include "messageids.h"

#include <QRandomGenerator>

#include <iterator>

namespace tktalk::server {

namespace {

/// 96 random bits: two starts share a prefix once in 2^48 starts' worth of pairs.
constexpr int kPrefixRandomWords = 3;

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
    return m_prefix + QByteArray::number(++m_counter, 36);
}

} // namespace tktalk::server
