#include "protocol/servertime.h"

#include <QDateTime>
#include <QTest>

#include <limits>

namespace protocol = tktalk::protocol;

class tst_ServerTime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void format_data();
    void format();
    void parseGood_data();
    void parseGood();
    void parseBad_data();
    void parseBad();
    void agreesWithQt();
};

void tst_ServerTime::format_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00.000Z");
    QTest::newRow("last ms of 1969") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999Z");
    QTest::newRow("ordinary") << qint64(1'796'551'200'123) << QByteArray("2026-12-06T10:00:00.123Z");
    QTest::newRow("leap day") << qint64(1'709'210'096'007) << QByteArray("2024-02-29T12:34:56.007Z");
    QTest::newRow("first") << qint64(-62'167'219'200'000) << QByteArray("0000-01-01T00:00:00.000Z");
    QTest::newRow("before first") << qint64(-62'167'219'200'001) << QByteArray("0000-01-01T00:00:00.000Z");
    QTest::newRow("last") << qint64(253'402'300'799'999) << QByteArray("9999-12-31T23:59:59.999Z");
    QTest::newRow("after last") << std::numeric_limits<qint64>::max() << QByteArray("9999-12-31T23:59:59.999Z");
}

void tst_ServerTime::format()
{
    QFETCH(qint64, ms);
    QFETCH(QByteArray, text);
    QCOMPARE(protocol::formatServerTime(ms), text);
}

void tst_ServerTime::parseGood_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00.000Z") << qint64(0);
    QTest::newRow("ordinary") << QByteArray("2026-12-06T10:00:00.123Z") << qint64(1'796'551'200'123);
    QTest::newRow("leap day") << QByteArray("2024-02-29T12:34:56.007Z") << qint64(1'709'210'096'007);
    QTest::newRow("leap day of 2000") << QByteArray("2000-02-29T00:00:00.000Z") << qint64(951'782'400'000);
    QTest::newRow("end of day") << QByteArray("2026-12-31T23:59:59.999Z") << qint64(1'798'761'599'999);
    QTest::newRow("before the epoch") << QByteArray("1969-12-31T23:59:59.999Z") << qint64(-1);
    QTest::newRow("year 0") << QByteArray("0000-01-01T00:00:00.000Z") << qint64(-62'167'219'200'000);
    QTest::newRow("year 9999") << QByteArray("9999-12-31T23:59:59.999Z") << qint64(253'402'300'799'999);
}

void tst_ServerTime::parseGood()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    const auto parsed = protocol::parseServerTime(text);
    QVERIFY(parsed);
    QCOMPARE(*parsed, ms);
    QCOMPARE(protocol::formatServerTime(*parsed), text);
}

void tst_ServerTime::parseBad_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("star") << QByteArray("*");
    QTest::newRow("no milliseconds") << QByteArray("2026-12-06T10:00:00Z");
    QTest::newRow("two-digit milliseconds") << QByteArray("2026-12-06T10:00:00.12Z");
    QTest::newRow("microseconds") << QByteArray("2026-12-06T10:00:00.123456Z");
    QTest::newRow("no zone") << QByteArray("2026-12-06T10:00:00.123");
    QTest::newRow("offset") << QByteArray("2026-12-06T10:00:00.123+01:00");
    QTest::newRow("zero offset") << QByteArray("2026-12-06T10:00:00.123+00");
    QTest::newRow("lower-case z") << QByteArray("2026-12-06T10:00:00.123z");
    QTest::newRow("lower-case t") << QByteArray("2026-12-06t10:00:00.123Z");
    QTest::newRow("space for T") << QByteArray("2026-12-06 10:00:00.123Z");
    QTest::newRow("comma for dot") << QByteArray("2026-12-06T10:00:00,123Z");
    QTest::newRow("24:00") << QByteArray("2026-12-06T24:00:00.000Z");
    QTest::newRow("hour 25") << QByteArray("2026-12-06T25:00:00.000Z");
    QTest::newRow("minute 60") << QByteArray("2026-12-06T10:60:00.000Z");
    QTest::newRow("leap second") << QByteArray("2016-12-31T23:59:60.000Z");
    QTest::newRow("month 0") << QByteArray("2026-00-06T10:00:00.000Z");
    QTest::newRow("month 13") << QByteArray("2026-13-06T10:00:00.000Z");
    QTest::newRow("day 0") << QByteArray("2026-12-00T10:00:00.000Z");
    QTest::newRow("day 32") << QByteArray("2026-12-32T10:00:00.000Z");
    QTest::newRow("31 April") << QByteArray("2026-04-31T10:00:00.000Z");
    QTest::newRow("29 February, common year") << QByteArray("2026-02-29T10:00:00.000Z");
    QTest::newRow("29 February 1900") << QByteArray("1900-02-29T10:00:00.000Z");
    QTest::newRow("date only") << QByteArray("2026-12-06");
    QTest::newRow("basic format") << QByteArray("20261206T100000.000Z");
    QTest::newRow("five-digit year") << QByteArray("12026-12-06T10:00:00.000Z");
    QTest::newRow("signed year") << QByteArray("+026-12-06T10:00:00.000Z");
    QTest::newRow("sign in a field") << QByteArray("2026-+2-06T10:00:00.000Z");
    QTest::newRow("space in a field") << QByteArray("2026-12- 6T10:00:00.000Z");
    QTest::newRow("leading space") << QByteArray(" 2026-12-06T10:00:00.000Z");
    QTest::newRow("trailing byte") << QByteArray("2026-12-06T10:00:00.000Zx");
    QTest::newRow("unix seconds") << QByteArray("1796551200");
    QTest::newRow("NUL inside") << QByteArray("2026-12-06T10:00:00" "\0" "000Z", 24); // NUL for the dot
}

void tst_ServerTime::parseBad()
{
    QFETCH(QByteArray, text);
    QVERIFY(!protocol::parseServerTime(text));
}

// Qt's own ISO writer, on a spread of times over 1970-2100, as a second opinion on the calendar.
void tst_ServerTime::agreesWithQt()
{
    constexpr qint64 kStepMs = 7 * 86'400'000LL + 3'723'457; // a week and an odd hour, minute, second, ms
    for (qint64 ms = 0; ms < 4'102'444'800'000; ms += kStepMs) {
        const QByteArray expected =
            QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
        QCOMPARE(protocol::formatServerTime(ms), expected);
        QCOMPARE(protocol::parseServerTime(expected), std::optional<qint64>(ms));
    }
}

QTEST_APPLESS_MAIN(tst_ServerTime)
#include "tst_servertime.moc"
