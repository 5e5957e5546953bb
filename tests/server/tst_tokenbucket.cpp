#include "tokenbucket.h"

#include <QTest>

using tktalk::server::TokenBucket;

class tst_TokenBucket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstThenRate();
    void refillIsCappedAtBurst();
    void zeroRateIsUnlimited();
    void timeGoingBackwardsIsIgnored();
    void chargeGoesIntoDebt();
    void fullOnceRefilled();
};

void tst_TokenBucket::burstThenRate()
{
    TokenBucket bucket(4.0, 3, 1000); // 4 per second = one every 250 ms, burst 3
    for (int i = 0; i < 3; ++i)
        QVERIFY(bucket.tryTake(1000));
    QVERIFY(!bucket.tryTake(1000));
    QCOMPARE(bucket.msUntilAvailable(1000), 250);
    QCOMPARE(bucket.msUntilAvailable(1100), 150);
    QVERIFY(!bucket.tryTake(1249));
    QVERIFY(bucket.tryTake(1250));
    QVERIFY(!bucket.tryTake(1250));
    QVERIFY(bucket.tryTake(1500));
}

void tst_TokenBucket::refillIsCappedAtBurst()
{
    TokenBucket bucket(10.0, 2, 0);
    QVERIFY(bucket.tryTake(0));
    QVERIFY(bucket.tryTake(0));
    // A long quiet spell refills only up to the burst.
    QVERIFY(bucket.tryTake(60'000));
    QVERIFY(bucket.tryTake(60'000));
    QVERIFY(!bucket.tryTake(60'000));
    QCOMPARE(bucket.msUntilAvailable(60'000), 100);
}

void tst_TokenBucket::zeroRateIsUnlimited()
{
    TokenBucket bucket(0.0, 1, 0);
    for (int i = 0; i < 10'000; ++i)
        QVERIFY(bucket.tryTake(0));
    QCOMPARE(bucket.msUntilAvailable(0), 0);
}

void tst_TokenBucket::timeGoingBackwardsIsIgnored()
{
    TokenBucket bucket(1.0, 1, 5000);
    QVERIFY(bucket.tryTake(5000));
    QVERIFY(!bucket.tryTake(4000));
    QVERIFY(bucket.tryTake(6000));
}

void tst_TokenBucket::chargeGoesIntoDebt()
{
    TokenBucket bucket(10.0, 5, 0); // one every 100 ms, burst 5
    bucket.charge(8, 0);            // a long reply: 3 tokens of debt
    QVERIFY(!bucket.tryTake(0));
    QCOMPARE(bucket.msUntilAvailable(0), 400); // the debt, then one token
    QVERIFY(!bucket.tryTake(399));
    QVERIFY(bucket.tryTake(400));
    TokenBucket unlimited(0.0, 1, 0);
    unlimited.charge(1e9, 0);
    QVERIFY(unlimited.tryTake(0));
}

void tst_TokenBucket::fullOnceRefilled()
{
    TokenBucket bucket(2.0, 2, 0); // one every 500 ms, burst 2
    QVERIFY(bucket.isFull(0));
    QVERIFY(bucket.tryTake(0));
    QVERIFY(!bucket.isFull(0));
    QVERIFY(!bucket.isFull(499));
    QVERIFY(bucket.isFull(500));
    QVERIFY(TokenBucket(0.0, 1, 0).isFull(0)); // unlimited: always as good as new
}

QTEST_APPLESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
