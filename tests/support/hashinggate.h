#pragma once

#include <memory>

namespace tktalk::server {
class Authenticator;
}

namespace tktalk::test {

/**
 * @brief Holds a server's password-hashing jobs at their start until the test opens the gate (for a
 * minute at most).
 *
 * A held job is known to be running on the thread pool, so a test can prove that the event loop
 * serves clients while a hash is under way (or that a client leaves before its hash finishes)
 * without racing the hash's speed. The gate opens when destroyed, so a failing test cannot leave
 * pool threads blocked. Declare it after the TestServer whose authenticator it holds.
 */
class HashingGate
{
public:
    explicit HashingGate(server::Authenticator &authenticator);
    ~HashingGate();
    HashingGate(const HashingGate &) = delete;
    HashingGate &operator=(const HashingGate &) = delete;

    /// Spins the event loop until @p count jobs are held (running, blocked at the gate).
    bool waitForHeld(int count, int timeoutMs = 10'000);
    /// Jobs held now.
    int held() const;
    /// True if a job ran on the thread that made the gate (the event loop's): hashing that blocks
    /// the event loop. Such a job is let through at once, since holding it would hang the test.
    bool ranOnEventLoopThread() const;
    /// Lets every held job, and every later one, through.
    void open();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace tktalk::test
