#include "hashinggate.h"

#include "accounts/authenticator.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QTest>
#include <QThread>
#include <QWaitCondition>

namespace tktalk::test {

namespace {

constexpr int kMaxHoldMs = 60'000;

} // namespace

struct HashingGate::State
{
    QThread *eventLoopThread = QThread::currentThread();
    mutable QMutex mutex;
    QWaitCondition opened;
    int held = 0;
    bool open = false;
    bool ranOnEventLoopThread = false;
};

HashingGate::HashingGate(server::Authenticator &authenticator)
    : m_state(std::make_shared<State>())
{
    // The hook keeps the state alive: a job may still leave the gate after this object is gone.
    authenticator.setHashJobHookForTesting([state = m_state] {
        QMutexLocker lock(&state->mutex);
        if (QThread::currentThread() == state->eventLoopThread) {
            state->ranOnEventLoopThread = true;
            return;
        }
        // Never held forever: if the event loop itself waits for this job, the test fails (the job
        // is no longer held when it looks) instead of hanging.
        const QDeadlineTimer deadline(kMaxHoldMs);
        ++state->held;
        while (!state->open && state->opened.wait(&state->mutex, deadline)) {
        }
        --state->held;
    });
}

HashingGate::~HashingGate()
{
    open();
}

bool HashingGate::waitForHeld(int count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return held() >= count; }, timeoutMs);
}

int HashingGate::held() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->held;
}

bool HashingGate::ranOnEventLoopThread() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->ranOnEventLoopThread;
}

void HashingGate::open()
{
    QMutexLocker lock(&m_state->mutex);
    m_state->open = true;
    m_state->opened.wakeAll();
}

} // namespace tktalk::test
