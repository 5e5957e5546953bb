#include "passwordhasher.h"

#include <sodium.h>

namespace tktalk::server {

PasswordHasher::PasswordHasher(HashCost cost)
    : m_cost(cost)
{
}

bool PasswordHasher::initialize()
{
    // sodium_init() is safe to call repeatedly and from several threads; it returns 1 when already done.
    return sodium_init() >= 0;
}

bool PasswordHasher::isValidCost(HashCost cost)
{
    return cost.opsLimit >= crypto_pwhash_OPSLIMIT_MIN && cost.opsLimit <= crypto_pwhash_OPSLIMIT_MAX
           && cost.memoryBytes >= crypto_pwhash_MEMLIMIT_MIN && cost.memoryBytes <= crypto_pwhash_MEMLIMIT_MAX;
}

QByteArray PasswordHasher::hash(const QByteArray &password) const
{
    char encoded[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(encoded, password.constData(), quint64(password.size()), m_cost.opsLimit,
                              m_cost.memoryBytes, crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        return {};
    }
    return QByteArray(encoded);
}

bool PasswordHasher::verify(const QByteArray &hash, const QByteArray &password)
{
    if (hash.isEmpty() || hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str_verify(hash.constData(), password.constData(), quint64(password.size())) == 0;
}

bool PasswordHasher::needsRehash(const QByteArray &hash) const
{
    return crypto_pwhash_str_needs_rehash(hash.constData(), m_cost.opsLimit, m_cost.memoryBytes) != 0;
}

} // namespace tktalk::server
