#pragma once

#include "accountstore.h"
#include "loginthrottle.h"
#include "passwordhasher.h"

#include <QHostAddress>
#include <QObject>

#include <functional>

namespace tktalk::server {

/// @brief What became of a login or registration attempt.
struct AuthOutcome
{
    enum class Result { Success, BadCredentials, Exists, Throttled, Busy, Failed };
    Result result = Result::Failed;
    QByteArray account;       ///< the account's registered spelling, on success
    qint64 retryAfterMs = 0;  ///< for Throttled
};

/// @brief Limits on password checks; see ServerConfig for the defaults.
struct AuthPolicy
{
    HashCost hashCost;
    LoginThrottle::Policy accountThrottle;
    LoginThrottle::Policy addressThrottle;
    LoginThrottle::Policy registrationThrottle;
    int maxPendingHashes = 16; ///< hashes queued or running at once, server-wide
};

/**
 * @brief Checks passwords and creates accounts without ever blocking the event loop.
 *
 * Argon2id runs on Qt's global thread pool (QtConcurrent::run); a QFutureWatcher brings the
 * result back to the event loop, where the throttles and the store are updated and the caller's
 * callback runs. The callback is dropped if its context object (the session) is gone by then.
 * Failed logins are throttled per account and per address before any hashing, and a login for an
 * unknown account hashes against a dummy so that timing does not reveal which accounts exist.
 */
class Authenticator : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const AuthOutcome &)>;
    using Clock = std::function<qint64()>;

    Authenticator(AccountStore &store, AuthPolicy policy, Clock clock, QObject *parent = nullptr);
    ~Authenticator() override;

    AccountStore &store() { return m_store; }

    /// SASL PLAIN: checks @p password for @p account from @p address; @p done runs on the event loop.
    void checkPassword(QObject *context, const QByteArray &account, const QByteArray &password,
                       const QHostAddress &address, Callback done);
    /// SASL EXTERNAL: the account bound to a certificate fingerprint (no hashing needed).
    AuthOutcome checkCertificate(const QByteArray &fingerprint, const QHostAddress &address);
    /// REGISTER: hashes @p password and stores the account, binding @p fingerprint if not empty.
    void registerAccount(QObject *context, const QByteArray &account, const QByteArray &email,
                         const QByteArray &password, const QByteArray &fingerprint,
                         const QHostAddress &address, Callback done);
    /// NickServ SET PASSWORD: hashes @p password and stores it as @p account's new password
    /// (Success, or Failed if the account is gone or the store refused; Busy as for logins).
    void changePassword(QObject *context, const QByteArray &account, const QByteArray &password, Callback done);

    /// Hashes queued or running now (the concurrency test watches this).
    int pendingHashes() const { return m_pendingHashes; }

    /// Test hook: called on the pool thread at the start of every hashing job (login or
    /// registration), before it hashes. Tests hold jobs there to prove, without racing the hash,
    /// that the event loop serves meanwhile (tests/support/hashinggate.h). The server never sets
    /// it; unset, it costs one test of an empty std::function per job.
    void setHashJobHookForTesting(std::function<void()> hook) { m_hashJobHook = std::move(hook); }

private:
    static QByteArray addressKey(const QHostAddress &address);
    qint64 throttledFor(const QByteArray &accountKey, const QByteArray &addressKey) const;
    /// Hashes @p password on the pool (counted in pendingHashes()); @p done gets the hash, empty on failure.
    void hashOffLoop(const QByteArray &password, std::function<void(const QByteArray &hash)> done);

    AccountStore &m_store;
    AuthPolicy m_policy;
    Clock m_clock;
    PasswordHasher m_hasher;
    LoginThrottle m_accountThrottle;
    LoginThrottle m_addressThrottle;
    LoginThrottle m_registrationThrottle;
    QByteArray m_dummyHash;
    int m_pendingHashes = 0;
    std::function<void()> m_hashJobHook;
};

} // namespace tktalk::server
