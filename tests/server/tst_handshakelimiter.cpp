// The listener's limits on TLS handshakes per address (both engines keep them here): how many may
// be under way at once, how fast they may begin, and that remembering the rate of every address
// that ever connected does not grow without bound.

#include "transport/handshakelimiter.h"

#include <QTest>

using tktalk::server::transport::HandshakeLimiter;

class tst_HandshakeLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capsHandshakesUnderWay();
    void rateHoldsHandshakesThatFinish();
    void addressesAreLimitedApart();
    void noLimitsByDefault();
    void refilledAddressesAreForgotten();
};

namespace {
const QHostAddress kOne(QStringLiteral("127.0.0.1"));
const QHostAddress kTwo(QStringLiteral("127.0.0.2"));
} // namespace

void tst_HandshakeLimiter::capsHandshakesUnderWay()
{
    HandshakeLimiter limiter;
    limiter.setMaxPerAddress(2);
    QVERIFY(limiter.begin(kOne, 0));
    QVERIFY(limiter.begin(kOne, 0));
    QVERIFY(!limiter.begin(kOne, 0));
    QCOMPARE(limiter.underWay(kOne), 2);
    limiter.succeeded(kOne);
    QVERIFY(limiter.begin(kOne, 0));
    limiter.failed(kOne, QStringLiteral("timed out"));
    limiter.failed(kOne, QStringLiteral("timed out"));
    QCOMPARE(limiter.underWay(kOne), 0);
}

void tst_HandshakeLimiter::rateHoldsHandshakesThatFinish()
{
    // Each handshake finishes at once, so the cap never bites: the rate does.
    HandshakeLimiter limiter;
    limiter.setMaxPerAddress(20);
    limiter.setRate(2.0, 3); // three at once, then one every 500 ms
    for (int i = 0; i < 3; ++i) {
        QVERIFY(limiter.begin(kOne, 1000));
        limiter.succeeded(kOne);
    }
    QVERIFY(!limiter.begin(kOne, 1000));
    QVERIFY(!limiter.begin(kOne, 1499));
    QCOMPARE(limiter.underWay(kOne), 0); // a refused one is not counted as under way
    QVERIFY(limiter.begin(kOne, 1500));
    QVERIFY(!limiter.begin(kOne, 1500));
}

void tst_HandshakeLimiter::addressesAreLimitedApart()
{
    HandshakeLimiter limiter;
    limiter.setRate(1.0, 1);
    QVERIFY(limiter.begin(kOne, 0));
    QVERIFY(!limiter.begin(kOne, 0));
    QVERIFY(limiter.begin(kTwo, 0));
}

void tst_HandshakeLimiter::noLimitsByDefault()
{
    HandshakeLimiter limiter;
    for (int i = 0; i < 1000; ++i)
        QVERIFY(limiter.begin(kOne, 0));
    QCOMPARE(limiter.ratesKept(), 0);
}

void tst_HandshakeLimiter::refilledAddressesAreForgotten()
{
    // An attacker cycling through 127.0.0.0/8: each address's bucket is kept only until it has
    // refilled, so the table holds the last few seconds' addresses, not every one ever seen.
    HandshakeLimiter limiter;
    limiter.setRate(10.0, 2); // refilled 200 ms after its last handshake
    quint32 address = QHostAddress(QStringLiteral("127.1.0.0")).toIPv4Address();
    qsizetype most = 0;
    for (qint64 nowMs = 0; nowMs < 20'000; nowMs += 10) {
        for (int i = 0; i < 10; ++i) {
            const QHostAddress peer(address++);
            QVERIFY(limiter.begin(peer, nowMs));
            limiter.succeeded(peer);
        }
        most = std::max(most, limiter.ratesKept());
    }
    // 20,000 addresses went by; about 200 ms' worth (200) are live at any time, and the table is
    // pruned when it doubles past 1,024.
    QVERIFY2(most <= 2 * 1024 + 10, qPrintable(QString::number(most)));
    // A pruned address starts again with a full burst.
    const QHostAddress first(QStringLiteral("127.1.0.0"));
    QVERIFY(limiter.begin(first, 20'000));
    QVERIFY(limiter.begin(first, 20'000));
    QVERIFY(!limiter.begin(first, 20'000));
}

QTEST_APPLESS_MAIN(tst_HandshakeLimiter)
#include "tst_handshakelimiter.moc"
