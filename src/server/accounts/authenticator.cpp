#include "authenticator.h"

#include "logging.h"
#include "protocol/names.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace tktalk::server {

namespace {

struct VerifyResult
{
    bool matched = false;
    QByteArray newHash; ///< set when the stored hash used other parameters and was redone
};

/// A password that no real hash matches, verified against when the account does not exist.
constexpr const char *kDummyPassword = "tktalk-dummy-password";

/// Runs @p work on Qt's global thread pool and @p done back on @p owner's thread with its result.
template<typename Result, typename Work, typename Done>
void runOffLoop(QObject *owner, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<Result>(owner);
    QObject::connect(watcher, &QFutureWatcher<Result>::finished, owner, [watcher, done] {
        const Result result = watcher->result();
        watcher->deleteLater();
        done(result);
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

} // namespace

Authenticator::Authenticator(AccountStore &store, AuthPolicy policy, Clock clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_policy(policy)
    , m_clock(std::move(clock))
    , m_hasher(policy.hashCost)
    , m_accountThrottle(policy.accountThrottle)
    , m_addressThrottle(policy.addressThrottle)
    , m_registrationThrottle(policy.registrationThrottle)
    , m_dummyHash(m_hasher.hash(kDummyPassword))
{
}

Authenticator::~Authenticator() = default;

QByteArray Authenticator::addressKey(const QHostAddress &address)
{
    return address.toString().toLatin1();
}

qint64 Authenticator::throttledFor(const QByteArray &accountKey, const QByteArray &addressKey) const
{
    const qint64 now = m_clock();
    return std::max(accountKey.isEmpty() ? 0 : m_accountThrottle.msUntilAllowed(accountKey, now),
                    m_addressThrottle.msUntilAllowed(addressKey, now));
}

void Authenticator::checkPassword(QObject *context, const QByteArray &account, const QByteArray &password,
                                  const QHostAddress &address, Callback done)
{
    const std::optional<Account> stored = m_store.find(account);
    if (m_store.lastCallFailed()) {
        // Neither "no such account" nor a wrong password: nobody is throttled for it.
        qCWarning(lcAccounts).noquote() << "Cannot check a login to" << account << "-" << m_store.lastError();
        done({AuthOutcome::Result::Failed, {}, 0});
        return;
    }
    const QByteArray accountKey = stored ? protocol::foldCase(stored->name) : QByteArray();
    const QByteArray ipKey = addressKey(address);
    if (const qint64 wait = throttledFor(accountKey, ipKey); wait > 0) {
        done({AuthOutcome::Result::Throttled, {}, wait});
        return;
    }
    if (m_pendingHashes >= m_policy.maxPendingHashes) {
        done({AuthOutcome::Result::Busy, {}, 0});
        return;
    }
    // Unknown accounts and certificate-only accounts cost the same hash as real ones.
    const bool hasHash = stored && !stored->passwordHash.isEmpty();
    const QByteArray hash = hasHash ? stored->passwordHash : m_dummyHash;
    const QByteArray name = stored ? stored->name : QByteArray();
    ++m_pendingHashes;
    QPointer<QObject> guard(context);
    runOffLoop<VerifyResult>(
        this,
        [hasher = m_hasher, hash, password, hasHash, hook = m_hashJobHook] {
            if (hook)
                hook();
            VerifyResult result;
            result.matched = PasswordHasher::verify(hash, password) && hasHash;
            if (result.matched && hasher.needsRehash(hash))
                result.newHash = hasher.hash(password);
            return result;
        },
        [this, guard, done = std::move(done), name, ipKey](const VerifyResult &result) {
            --m_pendingHashes;
            const QByteArray accountKey = name.isEmpty() ? QByteArray() : protocol::foldCase(name);
            const qint64 now = m_clock();
            if (result.matched) {
                m_accountThrottle.reset(accountKey);
                if (!result.newHash.isEmpty() && m_store.setPasswordHash(name, result.newHash))
                    qCInfo(lcAccounts).noquote() << "Rehashed the password of" << name << "with the current parameters";
            } else {
                if (!accountKey.isEmpty())
                    m_accountThrottle.recordFailure(accountKey, now);
                m_addressThrottle.recordFailure(ipKey, now);
            }
            if (guard)
                done({result.matched ? AuthOutcome::Result::Success : AuthOutcome::Result::BadCredentials, name, 0});
        });
}

AuthOutcome Authenticator::checkCertificate(const QByteArray &fingerprint, const QHostAddress &address)
{
    const QByteArray ipKey = addressKey(address);
    if (const qint64 wait = throttledFor({}, ipKey); wait > 0)
        return {AuthOutcome::Result::Throttled, {}, wait};
    const std::optional<Account> account = m_store.findByCertificate(fingerprint);
    if (m_store.lastCallFailed()) {
        qCWarning(lcAccounts).noquote() << "Cannot check a certificate login -" << m_store.lastError();
        return {AuthOutcome::Result::Failed, {}, 0};
    }
    if (!account) {
        m_addressThrottle.recordFailure(ipKey, m_clock());
        return {AuthOutcome::Result::BadCredentials, {}, 0};
    }
    return {AuthOutcome::Result::Success, account->name, 0};
}

void Authenticator::registerAccount(QObject *context, const QByteArray &account, const QByteArray &email,
                                    const QByteArray &password, const QByteArray &fingerprint,
                                    const QHostAddress &address, Callback done)
{
    if (m_store.exists(account)) {
        done({AuthOutcome::Result::Exists, {}, 0});
        return;
    }
    if (m_store.lastCallFailed() || m_store.isReadOnly()) {
        qCWarning(lcAccounts).noquote() << "Cannot register account" << account << "-"
                                        << (m_store.isReadOnly() ? QStringLiteral("the account database is read-only")
                                                                 : m_store.lastError());
        done({AuthOutcome::Result::Failed, {}, 0});
        return;
    }
    const QByteArray ipKey = addressKey(address);
    if (const qint64 wait = m_registrationThrottle.msUntilAllowed(ipKey, m_clock()); wait > 0) {
        done({AuthOutcome::Result::Throttled, {}, wait});
        return;
    }
    if (m_pendingHashes >= m_policy.maxPendingHashes) {
        done({AuthOutcome::Result::Busy, {}, 0});
        return;
    }
    // Counted now, not on success, so a burst of parallel REGISTERs cannot slip past the limit.
    m_registrationThrottle.recordFailure(ipKey, m_clock());
    QPointer<QObject> guard(context);
    hashOffLoop(password, [this, guard, done = std::move(done), account, email, fingerprint](const QByteArray &hash) {
        AuthOutcome outcome;
        if (!hash.isEmpty()) {
            switch (m_store.add(account, hash, email, fingerprint)) {
            case AccountStore::AddResult::Added:
                outcome = {AuthOutcome::Result::Success, account, 0};
                qCInfo(lcAccounts).noquote() << "Registered account" << account;
                break;
            case AccountStore::AddResult::Exists:
                outcome.result = AuthOutcome::Result::Exists;
                break;
            case AccountStore::AddResult::Failed:
                qCWarning(lcAccounts).noquote() << "Storing account" << account << "failed:" << m_store.lastError();
                break;
            }
        }
        // The account exists now even if its session left meanwhile; only the reply is dropped.
        if (guard)
            done(outcome);
    });
}

void Authenticator::changePassword(QObject *context, const QByteArray &account, const QByteArray &password,
                                   Callback done)
{
    if (m_store.isReadOnly()) {
        qCWarning(lcAccounts).noquote() << "Cannot change the password of" << account
                                        << "- the account database is read-only";
        done({AuthOutcome::Result::Failed, {}, 0});
        return;
    }
    if (m_pendingHashes >= m_policy.maxPendingHashes) {
        done({AuthOutcome::Result::Busy, {}, 0});
        return;
    }
    QPointer<QObject> guard(context);
    hashOffLoop(password, [this, guard, done = std::move(done), account](const QByteArray &hash) {
        AuthOutcome outcome;
        if (!hash.isEmpty() && m_store.setPasswordHash(account, hash)) {
            outcome = {AuthOutcome::Result::Success, account, 0};
            qCInfo(lcAccounts).noquote() << "Changed the password of" << account;
        } else if (!hash.isEmpty()) {
            qCWarning(lcAccounts).noquote() << "Storing the new password of" << account << "failed:" << m_store.lastError();
        }
        // Stored even if the session left meanwhile; only the reply is dropped.
        if (guard)
            done(outcome);
    });
}

void Authenticator::hashOffLoop(const QByteArray &password, std::function<void(const QByteArray &hash)> done)
{
    ++m_pendingHashes;
    runOffLoop<QByteArray>(
        this,
        [hasher = m_hasher, password, hook = m_hashJobHook] {
            if (hook)
                hook();
            return hasher.hash(password);
        },
        [this, done = std::move(done)](const QByteArray &hash) {
            --m_pendingHashes;
            if (hash.isEmpty())
                qCWarning(lcAccounts) << "Hashing a password failed (out of memory?)";
            done(hash);
        });
}

} // namespace tktalk::server
