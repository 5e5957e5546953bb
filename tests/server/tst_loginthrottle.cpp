// LoginThrottle on its own: time is passed in, so no clock and no sleeps.

#include "accounts/loginthrottle.h"

#include <QTest>

using tktalk::server::LoginThrottle;

class tst_LoginThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freeFailuresThenDoubling();
    void resetForgets();
    void keysAreIndependent();
    void delayIsCapped();
};

void tst_LoginThrottle::freeFailuresThenDoubling()
{
    LoginThrottle throttle({3, 1000, 60'000});
    qint64 now = 5000;
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(throttle.msUntilAllowed("k", now), 0);
        throttle.recordFailure("k", now);
    }
    QCOMPARE(throttle.msUntilAllowed("k", now), 1000);
    QCOMPARE(throttle.msUntilAllowed("k", now + 400), 600);
    now += 1000;
    QCOMPARE(throttle.msUntilAllowed("k", now), 0);
    throttle.recordFailure("k", now);
    QCOMPARE(throttle.msUntilAllowed("k", now), 2000);
    throttle.recordFailure("k", now);
    QCOMPARE(throttle.msUntilAllowed("k", now), 4000);
    QCOMPARE(throttle.failures("k"), 5);
}

void tst_LoginThrottle::resetForgets()
{
    LoginThrottle throttle({1, 1000, 60'000});
    throttle.recordFailure("k", 0);
    QVERIFY(throttle.msUntilAllowed("k", 0) > 0);
    throttle.reset("k");
    QCOMPARE(throttle.msUntilAllowed("k", 0), 0);
    QCOMPARE(throttle.failures("k"), 0);
}

void tst_LoginThrottle::keysAreIndependent()
{
    LoginThrottle throttle({1, 1000, 60'000});
    throttle.recordFailure("a", 0);
    QVERIFY(throttle.msUntilAllowed("a", 0) > 0);
    QCOMPARE(throttle.msUntilAllowed("b", 0), 0);
}

void tst_LoginThrottle::delayIsCapped()
{
    LoginThrottle throttle({0, 1000, 8000});
    for (int i = 0; i < 100; ++i)
        throttle.recordFailure("k", 0);
    QCOMPARE(throttle.msUntilAllowed("k", 0), 8000);
}

QTEST_APPLESS_MAIN(tst_LoginThrottle)
#include "tst_loginthrottle.moc"
