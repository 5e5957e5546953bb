#pragma once

#include <QByteArray>

#include <cstddef>

namespace tktalk::server {

/// Argon2id cost parameters. Changing them makes stored hashes "need a rehash" at the next login.
struct HashCost
{
    quint64 opsLimit = 2;                    ///< passes over memory (libsodium's INTERACTIVE level)
    std::size_t memoryBytes = 64 * 1024 * 1024; ///< memory per hash (libsodium's INTERACTIVE level)
};

/**
 * @brief Argon2id password hashing through libsodium's crypto_pwhash_str family.
 *
 * Every function is pure and thread-safe, so the server runs them on Qt's thread pool; verification
 * compares in constant time inside libsodium.
 */
class PasswordHasher
{
public:
    explicit PasswordHasher(HashCost cost);

    /// Initialises libsodium once per process; false if the library cannot be used.
    static bool initialize();
    /// True if @p cost is within what libsodium accepts.
    static bool isValidCost(HashCost cost);

    const HashCost &cost() const { return m_cost; }

    /// The encoded "$argon2id$..." string for @p password, or empty if hashing failed (out of memory).
    QByteArray hash(const QByteArray &password) const;
    /// True if @p password matches the encoded @p hash.
    static bool verify(const QByteArray &hash, const QByteArray &password);
    /// True if @p hash was made with other parameters than this hasher's (or another algorithm).
    bool needsRehash(const QByteArray &hash) const;

private:
    HashCost m_cost;
};

} // namespace tktalk::server
