// ServerBans without a network: the mask forms, durations, matching, expiry and persistence in the
// account database. The server applying them is tests/server/tst_operators.cpp.

#include "accounts/accountstore.h"
#include "serverbans.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tktalk::server;

class tst_ServerBans : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void canonicalMask_data();
    void canonicalMask();
    void parseDuration_data();
    void parseDuration();
    void matches_data();
    void matches();
    void expiresAndPersists();
};

void tst_ServerBans::canonicalMask_data()
{
    QTest::addColumn<QByteArray>("given");
    QTest::addColumn<QByteArray>("canonical"); // empty: refused
    QTest::newRow("nick") << QByteArray("troll") << QByteArray("troll!*@*");
    QTest::newRow("user@host") << QByteArray("*@bad.example") << QByteArray("*!*@bad.example");
    QTest::newRow("hostmask") << QByteArray("t*!~t@*") << QByteArray("t*!~t@*");
    QTest::newRow("account") << QByteArray("~a:Mallory") << QByteArray("~a:Mallory");
    QTest::newRow("ipv4") << QByteArray("203.0.113.7") << QByteArray("203.0.113.7");
    QTest::newRow("ipv4 network") << QByteArray("203.0.113.0/24") << QByteArray("203.0.113.0/24");
    QTest::newRow("ipv6 network") << QByteArray("2001:DB8::/32") << QByteArray("2001:db8::/32");
    QTest::newRow("bad network") << QByteArray("203.0.113.0/99") << QByteArray();
    QTest::newRow("bad address") << QByteArray("2001:zz::1") << QByteArray();
    QTest::newRow("everyone") << QByteArray("*") << QByteArray();
    QTest::newRow("space") << QByteArray("a b") << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void tst_ServerBans::canonicalMask()
{
    QFETCH(QByteArray, given);
    QFETCH(QByteArray, canonical);
    QByteArray why;
    const std::optional<QByteArray> mask = ServerBans::canonicalMask(given, &why);
    if (canonical.isEmpty()) {
        QVERIFY(!mask);
        QVERIFY(!why.isEmpty());
    } else {
        QVERIFY2(mask, why.constData());
        QCOMPARE(*mask, canonical);
    }
}

void tst_ServerBans::parseDuration_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("seconds"); // -1: refused
    QTest::newRow("permanent") << QByteArray("0") << qint64(0);
    QTest::newRow("seconds") << QByteArray("3600") << qint64(3600);
    QTest::newRow("units") << QByteArray("1w2d3h4m5s") << qint64(((7 + 2) * 24 + 3) * 3600 + 4 * 60 + 5);
    QTest::newRow("minutes then seconds") << QByteArray("1m30") << qint64(90);
    QTest::newRow("unit without number") << QByteArray("h") << qint64(-1);
    QTest::newRow("unknown unit") << QByteArray("3y") << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("too long") << QByteArray("999999999999") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
}

void tst_ServerBans::parseDuration()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, seconds);
    const std::optional<qint64> parsed = ServerBans::parseDuration(text);
    if (seconds < 0)
        QVERIFY(!parsed);
    else
        QCOMPARE(parsed.value_or(-1), seconds);
}

void tst_ServerBans::matches_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("nickUserHost");
    QTest::addColumn<QByteArray>("account");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("banned");
    QTest::newRow("hostmask") << QByteArray("troll!*@*") << QByteArray("Troll!~t@10.0.0.1") << QByteArray()
                              << QStringLiteral("10.0.0.1") << true;
    QTest::newRow("hostmask, other nick") << QByteArray("troll!*@*") << QByteArray("bob!~b@10.0.0.1")
                                          << QByteArray() << QStringLiteral("10.0.0.1") << false;
    QTest::newRow("account") << QByteArray("~a:mallory") << QByteArray("x!~x@h") << QByteArray("Mallory")
                             << QStringLiteral("10.0.0.1") << true;
    QTest::newRow("account, logged out") << QByteArray("~a:mallory") << QByteArray("mallory!~m@h") << QByteArray()
                                         << QStringLiteral("10.0.0.1") << false;
    QTest::newRow("network") << QByteArray("10.0.0.0/8") << QByteArray("a!~a@h") << QByteArray()
                             << QStringLiteral("10.20.30.40") << true;
    QTest::newRow("outside the network") << QByteArray("10.0.0.0/8") << QByteArray("a!~a@h") << QByteArray()
                                         << QStringLiteral("11.0.0.1") << false;
    QTest::newRow("ipv4-mapped") << QByteArray("10.0.0.0/8") << QByteArray("a!~a@h") << QByteArray()
                                 << QStringLiteral("::ffff:10.1.2.3") << true;
    QTest::newRow("ipv6") << QByteArray("2001:db8::/32") << QByteArray("a!~a@h") << QByteArray()
                          << QStringLiteral("2001:db8:1::5") << true;
    QTest::newRow("one address") << QByteArray("192.0.2.1") << QByteArray("a!~a@h") << QByteArray()
                                 << QStringLiteral("192.0.2.2") << false;
}

void tst_ServerBans::matches()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, nickUserHost);
    QFETCH(QByteArray, account);
    QFETCH(QString, address);
    QFETCH(bool, banned);
    ServerBan ban;
    ban.mask = mask;
    QCOMPARE(ServerBans::matches(ban, {nickUserHost, account, QHostAddress(address)}), banned);
}

void tst_ServerBans::expiresAndPersists()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.sqlite"));
    QString error;
    const ServerBanSubject troll{"troll!~t@10.0.0.1", {}, QHostAddress(QStringLiteral("10.0.0.1"))};
    {
        AccountStore store;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        ServerBans bans;
        QVERIFY2(bans.load(store.connectionName(), &error), qPrintable(error));
        QVERIFY(bans.add({"troll!*@*", "trolling", "alice", 1000, 0}));
        QVERIFY(bans.add({"10.0.0.0/8", "that network", "alice", 1000, 2000}));
        QVERIFY(bans.add({"TROLL!*@*", "trolling, again", "alice", 1001, 0})); // the same mask: replaced
        QCOMPARE(bans.active(1500).size(), 2);
        QCOMPARE(bans.match(troll, 1500)->mask, QByteArray("10.0.0.0/8")); // the older one first
        QVERIFY(bans.remove("troll!*@*"));
        QVERIFY(!bans.remove("troll!*@*"));
        QVERIFY(bans.add({"troll!*@*", "trolling", "alice", 1002, 0}));
    }
    AccountStore store;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    ServerBans bans;
    QVERIFY2(bans.load(store.connectionName(), &error), qPrintable(error));
    QCOMPARE(bans.active(1500).size(), 2);
    // At 2000 the network ban has expired: it is dropped, from the database too.
    QCOMPARE(bans.match(troll, 2000)->mask, QByteArray("troll!*@*"));
    QCOMPARE(bans.active(2000).size(), 1);
    ServerBans reloaded;
    QVERIFY(reloaded.load(store.connectionName(), &error));
    const QList<ServerBan> left = reloaded.active(0);
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().reason, QByteArray("trolling"));
    QCOMPARE(left.first().setBy, QByteArray("alice"));
    QVERIFY(!reloaded.match({"bob!~b@10.0.0.1", {}, QHostAddress(QStringLiteral("10.0.0.1"))}, 0));
}

QTEST_GUILESS_MAIN(tst_ServerBans)
#include "tst_serverbans.moc"
