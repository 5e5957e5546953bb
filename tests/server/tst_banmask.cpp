// Ban masks, mask lists and channel modes as values, without a network: what +b/+e/+I accept, how
// entries match, and how 324 describes a channel.

#include "banmask.h"
#include "channelmodes.h"
#include "masklist.h"

#include <QTest>

using tktalk::server::BanMask;
using tktalk::server::BanSubject;
using tktalk::server::ChannelModes;
using tktalk::server::MaskList;

class tst_BanMask : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void matches_data();
    void matches();
    void listKeepsEachMaskOnce();
    void listIsCapped();
    void describe();
    void keys_data();
    void keys();
};

void tst_BanMask::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("text"); // empty: refused
    QTest::newRow("nick") << QByteArray("troll") << QByteArray("troll!*@*");
    QTest::newRow("host") << QByteArray("*!*@10.0.0.*") << QByteArray("*!*@10.0.0.*");
    QTest::newRow("user at host") << QByteArray("~t@1.2.3.4") << QByteArray("*!~t@1.2.3.4");
    QTest::newRow("account") << QByteArray("~a:Mallory") << QByteArray("~a:Mallory");
    QTest::newRow("account pattern") << QByteArray("~a:spam*") << QByteArray("~a:spam*");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("unknown extban") << QByteArray("~q:someone") << QByteArray();
    QTest::newRow("extban without account") << QByteArray("~a:") << QByteArray();
    QTest::newRow("tilde user, not an extban") << QByteArray("~bob@host.example") << QByteArray("*!~bob@host.example");
    QTest::newRow("tilde alone is a nick mask") << QByteArray("~") << QByteArray("~!*@*");
    QTest::newRow("hostmask as account") << QByteArray("~a:x!y@z") << QByteArray();
    QTest::newRow("space") << QByteArray("a b") << QByteArray();
    QTest::newRow("leading colon") << QByteArray(":a") << QByteArray();
    QTest::newRow("comma") << QByteArray("a,b") << QByteArray();
    QTest::newRow("control") << QByteArray("a\x01") << QByteArray();
    QTest::newRow("invalid utf-8") << QByteArray("a\xff") << QByteArray();
    QTest::newRow("too long") << QByteArray(BanMask::kMaxBytes + 1, 'a') << QByteArray();
    QTest::newRow("too long once completed") << QByteArray(BanMask::kMaxBytes - 2, 'a') << QByteArray();
}

void tst_BanMask::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, text);
    QByteArray why;
    const auto mask = BanMask::parse(input, &why);
    if (text.isEmpty()) {
        QVERIFY(!mask);
        QVERIFY(!why.isEmpty());
    } else {
        QVERIFY2(mask, why.constData());
        QCOMPARE(mask->text(), text);
    }
}

void tst_BanMask::matches_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("nickUserHost");
    QTest::addColumn<QByteArray>("account");
    QTest::addColumn<bool>("matches");
    QTest::newRow("nick") << QByteArray("troll") << QByteArray("troll!~t@1.2.3.4") << QByteArray() << true;
    QTest::newRow("nick, other case") << QByteArray("TROLL") << QByteArray("troll!~t@1.2.3.4") << QByteArray() << true;
    QTest::newRow("nick, rfc1459 case") << QByteArray("t[x]") << QByteArray("t{X}!~t@h") << QByteArray() << true;
    QTest::newRow("other nick") << QByteArray("troll") << QByteArray("trolly!~t@1.2.3.4") << QByteArray() << false;
    QTest::newRow("host wildcard") << QByteArray("*!*@1.2.*") << QByteArray("any!~u@1.2.3.4") << QByteArray() << true;
    QTest::newRow("host miss") << QByteArray("*!*@1.2.*") << QByteArray("any!~u@1.3.3.4") << QByteArray() << false;
    QTest::newRow("account") << QByteArray("~a:mallory") << QByteArray("x!~x@h") << QByteArray("Mallory") << true;
    QTest::newRow("account pattern") << QByteArray("~a:mal*") << QByteArray("x!~x@h") << QByteArray("malware") << true;
    QTest::newRow("other account") << QByteArray("~a:mallory") << QByteArray("x!~x@h") << QByteArray("alice") << false;
    QTest::newRow("not logged in") << QByteArray("~a:*") << QByteArray("x!~x@h") << QByteArray() << false;
    QTest::newRow("hostmask ignores account") << QByteArray("mallory") << QByteArray("x!~x@h") << QByteArray("mallory")
                                              << false;
}

void tst_BanMask::matches()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, nickUserHost);
    QFETCH(QByteArray, account);
    QFETCH(bool, matches);
    const auto parsed = BanMask::parse(mask);
    QVERIFY(parsed);
    QCOMPARE(parsed->matches(BanSubject{nickUserHost, account}), matches);
}

void tst_BanMask::listKeepsEachMaskOnce()
{
    MaskList list;
    QCOMPARE(list.add(*BanMask::parse("Troll"), "op", 1), MaskList::AddResult::Added);
    QCOMPARE(list.add(*BanMask::parse("troll!*@*"), "op", 2), MaskList::AddResult::AlreadyListed);
    QCOMPARE(list.entries().size(), 1);
    QCOMPARE(list.entries().first().mask.text(), QByteArray("Troll!*@*"));
    QCOMPARE(list.entries().first().setBy, QByteArray("op"));
    QVERIFY(list.matches(BanSubject{"TROLL!~t@h", {}}));
    // Removing by another spelling removes the entry as it was listed.
    const auto removed = list.remove(*BanMask::parse("TROLL"));
    QVERIFY(removed);
    QCOMPARE(removed->text(), QByteArray("Troll!*@*"));
    QVERIFY(list.isEmpty());
    QVERIFY(!list.remove(*BanMask::parse("troll")));
}

void tst_BanMask::listIsCapped()
{
    MaskList list;
    for (qsizetype i = 0; i < MaskList::kMaxEntries; ++i)
        QCOMPARE(list.add(*BanMask::parse("n" + QByteArray::number(i)), "op", 0), MaskList::AddResult::Added);
    QCOMPARE(list.add(*BanMask::parse("one-more"), "op", 0), MaskList::AddResult::Full);
    QCOMPARE(list.add(*BanMask::parse("n0"), "op", 0), MaskList::AddResult::AlreadyListed);
    QCOMPARE(list.entries().size(), MaskList::kMaxEntries);
}

void tst_BanMask::describe()
{
    ChannelModes modes;
    QCOMPARE(modes.describe(true), QByteArrayList{"+nt"});
    QVERIFY(!modes.setFlag(ChannelModes::Flag::NoExternal, true)); // already set
    QVERIFY(modes.setFlag(ChannelModes::Flag::Secret, true));
    QVERIFY(modes.setFlag(ChannelModes::Flag::InviteOnly, true));
    QVERIFY(modes.setKey("sesame"));
    QVERIFY(modes.setLimit(10));
    QCOMPARE(modes.describe(true), QByteArrayList({"+iklnst", "sesame", "10"}));
    QCOMPARE(modes.describe(false), QByteArrayList({"+iklnst", "*", "10"}));
    QVERIFY(modes.setKey({}));
    QVERIFY(modes.setLimit(0));
    QVERIFY(modes.setFlag(ChannelModes::Flag::TopicLock, false));
    QCOMPARE(modes.describe(true), QByteArrayList{"+ins"});
    QCOMPARE(ChannelModes::flagForLetter('m'), ChannelModes::Flag::Moderated);
    QCOMPARE(ChannelModes::flagForLetter('k'), std::nullopt);
    QCOMPARE(modes.list('b'), &modes.bans());
    QCOMPARE(modes.list('I'), &modes.inviteExceptions());
    QCOMPARE(modes.list('o'), nullptr);
}

void tst_BanMask::keys_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("valid");
    QTest::newRow("word") << QByteArray("sesame") << true;
    QTest::newRow("longest") << QByteArray(ChannelModes::kMaxKeyBytes, 'k') << true;
    QTest::newRow("too long") << QByteArray(ChannelModes::kMaxKeyBytes + 1, 'k') << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("space") << QByteArray("open sesame") << false;
    QTest::newRow("comma") << QByteArray("a,b") << false;
    QTest::newRow("leading colon") << QByteArray(":a") << false;
    QTest::newRow("control") << QByteArray("a\tb") << false;
}

void tst_BanMask::keys()
{
    QFETCH(QByteArray, key);
    QFETCH(bool, valid);
    QCOMPARE(ChannelModes::isValidKey(key), valid);
}

QTEST_APPLESS_MAIN(tst_BanMask)
#include "tst_banmask.moc"
