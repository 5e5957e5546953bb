#include "protocol/names.h"

#include <QTest>

namespace protocol = tktalk::protocol;

class tst_Names : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nicks_data();
    void nicks();
    void channels_data();
    void channels();
    void casemapping();
    void masks_data();
    void masks();
    void canonicalHostmasks_data();
    void canonicalHostmasks();
    void utf8_data();
    void utf8();
};

void tst_Names::nicks_data()
{
    QTest::addColumn<QByteArray>("nick");
    QTest::addColumn<bool>("valid");
    QTest::newRow("letters") << QByteArray("alice") << true;
    QTest::newRow("specials") << QByteArray("[a]\\`_^{|}-9") << true;
    QTest::newRow("starts with special") << QByteArray("_bot") << true;
    QTest::newRow("30 bytes") << QByteArray(30, 'n') << true;
    QTest::newRow("31 bytes") << QByteArray(31, 'n') << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("starts with digit") << QByteArray("9lives") << false;
    QTest::newRow("starts with dash") << QByteArray("-x") << false;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("comma") << QByteArray("a,b") << false;
    QTest::newRow("channel") << QByteArray("#a") << false;
    QTest::newRow("colon") << QByteArray(":a") << false;
    QTest::newRow("bang") << QByteArray("a!b") << false;
    QTest::newRow("at") << QByteArray("a@b") << false;
    QTest::newRow("non-ascii") << QByteArray("j\xc3\xb6rg") << false;
}

void tst_Names::nicks()
{
    QFETCH(QByteArray, nick);
    QFETCH(bool, valid);
    QCOMPARE(protocol::isValidNick(nick), valid);
}

void tst_Names::channels_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QByteArray("#lobby") << true;
    QTest::newRow("punctuation") << QByteArray("#c++-dev.2") << true;
    QTest::newRow("utf-8") << QByteArray("#caf\xc3\xa9") << true;
    QTest::newRow("50 bytes") << "#" + QByteArray(49, 'c') << true;
    QTest::newRow("51 bytes") << "#" + QByteArray(50, 'c') << false;
    QTest::newRow("hash only") << QByteArray("#") << false;
    QTest::newRow("no prefix") << QByteArray("lobby") << false;
    QTest::newRow("other prefix") << QByteArray("&lobby") << false;
    QTest::newRow("space") << QByteArray("#a b") << false;
    QTest::newRow("comma") << QByteArray("#a,b") << false;
    QTest::newRow("bell") << QByteArray("#a\x07") << false;
    QTest::newRow("colon") << QByteArray("#a:b") << false;
    QTest::newRow("invalid utf-8") << QByteArray("#a\xff") << false;
}

void tst_Names::channels()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    QCOMPARE(protocol::isValidChannelName(name), valid);
}

void tst_Names::casemapping()
{
    QCOMPARE(protocol::foldCase("Alice[]\\^"), QByteArray("alice{}|~"));
    QVERIFY(protocol::equalsFolded("NICK[1]", "nick{1}"));
    QVERIFY(!protocol::equalsFolded("nick", "nicks"));
    QVERIFY(!protocol::equalsFolded("a_", "A-"));
    QCOMPARE(protocol::foldCase("#LoBBY"), QByteArray("#lobby"));
    // What other servers may announce, for the client.
    using protocol::Casemapping;
    QCOMPARE(protocol::foldCase("Alice[]\\^", Casemapping::Ascii), QByteArray("alice[]\\^"));
    QCOMPARE(protocol::foldCase("Alice[]\\^", Casemapping::StrictRfc1459), QByteArray("alice{}|^"));
    QCOMPARE(protocol::foldCase("J\xc3\x96RG", Casemapping::Rfc1459), QByteArray("j\xc3\x96rg"));
    QCOMPARE(protocol::casemappingFromName("ascii"), Casemapping::Ascii);
    QCOMPARE(protocol::casemappingFromName("strict-rfc1459"), Casemapping::StrictRfc1459);
    QCOMPARE(protocol::casemappingFromName("rfc1459"), Casemapping::Rfc1459);
    QCOMPARE(protocol::casemappingFromName("rfc7613"), Casemapping::Rfc1459); // unknown: the RFC default
}

void tst_Names::masks_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("star") << QByteArray("*") << QByteArray("anything") << true;
    QTest::newRow("exact, other case") << QByteArray("ALICE") << QByteArray("alice") << true;
    QTest::newRow("prefix") << QByteArray("al*") << QByteArray("alice") << true;
    QTest::newRow("suffix") << QByteArray("*ce") << QByteArray("alice") << true;
    QTest::newRow("question") << QByteArray("b?b") << QByteArray("bob") << true;
    QTest::newRow("backtrack") << QByteArray("*a*b") << QByteArray("xaxxab") << true;
    QTest::newRow("miss") << QByteArray("bob") << QByteArray("bobby") << false;
    QTest::newRow("miss star") << QByteArray("*x") << QByteArray("alice") << false;
    QTest::newRow("empty mask") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("hostmask") << QByteArray("*!*@10.0.*") << QByteArray("bob!~bob@10.0.0.7") << true;
    QTest::newRow("hostmask, rfc1459 case") << QByteArray("NICK[1]!*@*") << QByteArray("nick{1}!~u@h") << true;
    QTest::newRow("hostmask, other host") << QByteArray("*!*@10.0.*") << QByteArray("bob!~bob@10.1.0.7") << false;
}

void tst_Names::masks()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, text);
    QFETCH(bool, matches);
    QCOMPARE(protocol::matchesMask(mask, text), matches);
}

void tst_Names::canonicalHostmasks_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("nick") << QByteArray("alice") << QByteArray("alice!*@*");
    QTest::newRow("nick pattern") << QByteArray("tr*ll") << QByteArray("tr*ll!*@*");
    QTest::newRow("host name") << QByteArray("example.org") << QByteArray("*!*@example.org");
    QTest::newRow("ipv6 host") << QByteArray("0::1") << QByteArray("*!*@0::1");
    QTest::newRow("user at host") << QByteArray("~bob@10.0.0.1") << QByteArray("*!~bob@10.0.0.1");
    QTest::newRow("at host") << QByteArray("@10.0.0.*") << QByteArray("*!*@10.0.0.*");
    QTest::newRow("nick and user") << QByteArray("bob!~b") << QByteArray("bob!~b@*");
    QTest::newRow("full") << QByteArray("a!b@c") << QByteArray("a!b@c");
    QTest::newRow("empty parts") << QByteArray("!@") << QByteArray("*!*@*");
    QTest::newRow("at in host") << QByteArray("a!b@c@d") << QByteArray("a!b@c@d");
}

void tst_Names::canonicalHostmasks()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArray, canonical);
    QCOMPARE(protocol::canonicalHostmask(mask), canonical);
}

void tst_Names::utf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("two-byte") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("three-byte") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("four-byte emoji") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("latin-1") << QByteArray("caf\xe9") << false;
    QTest::newRow("0xff") << QByteArray("\xff") << false;
    // Longer text, read eight ASCII bytes at a time: what comes after an ASCII run still counts.
    QTest::newRow("long ascii") << QByteArray("PRIVMSG #main :a long line of plain text") << true;
    QTest::newRow("latin-1 after eight ascii") << QByteArray("abcdefgh\xe9") << false;
    QTest::newRow("latin-1 after sixteen ascii") << QByteArray("abcdefghijklmnop\xe9xyz") << false;
    QTest::newRow("euro across the eighth byte") << QByteArray("abcdefg\xe2\x82\xac and more") << true;
    QTest::newRow("truncated at the end of a long line") << QByteArray("abcdefghijklmno\xe2\x82") << false;
    QTest::newRow("0xff inside a long ascii run") << QByteArray("abcdefghij\xffklmnopqrstuvwxyz") << false;
}

void tst_Names::utf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(protocol::isValidUtf8(bytes), valid);
}

QTEST_APPLESS_MAIN(tst_Names)
#include "tst_names.moc"
