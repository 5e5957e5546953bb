#include "protocol/modes.h"

#include <QTest>

using tktalk::protocol::ChannelModeSyntax;
using tktalk::protocol::ModeChange;
using tktalk::protocol::ModeKind;

Q_DECLARE_METATYPE(QList<ModeChange>)
Q_DECLARE_METATYPE(QList<QByteArrayList>)

namespace {

ModeChange change(bool adding, char letter, std::optional<QByteArray> param = std::nullopt)
{
    return ModeChange{adding, letter, std::move(param)};
}

const ChannelModeSyntax kTktalk("beI,k,l,imnst", "(ov)@+");

} // namespace

class tst_Modes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void syntaxFromIsupport();
    void defaultsAreRfc2812();
    void parse_data();
    void parse();
    void format_data();
    void format();
    void formatKeepsLinesUnderTheByteLimit();
};

void tst_Modes::syntaxFromIsupport()
{
    QCOMPARE(kTktalk.kind('b'), ModeKind::List);
    QCOMPARE(kTktalk.kind('I'), ModeKind::List);
    QCOMPARE(kTktalk.kind('k'), ModeKind::AlwaysParam);
    QCOMPARE(kTktalk.kind('l'), ModeKind::ParamWhenSet);
    QCOMPARE(kTktalk.kind('t'), ModeKind::Flag);
    QCOMPARE(kTktalk.kind('o'), ModeKind::Membership);
    QCOMPARE(kTktalk.kind('z'), ModeKind::Unknown);
    QVERIFY(kTktalk.takesParameter('l', true));
    QVERIFY(!kTktalk.takesParameter('l', false));
    QVERIFY(kTktalk.takesParameter('k', false));
    QVERIFY(!kTktalk.takesParameter('z', true));
    QCOMPARE(kTktalk.symbolFor('o'), '@');
    QCOMPARE(kTktalk.symbolFor('v'), '+');
    QCOMPARE(kTktalk.symbolFor('b'), '\0');
    QCOMPARE(kTktalk.chanmodesToken(), QByteArray("beI,k,l,imnst"));
    QCOMPARE(kTktalk.prefixToken(), QByteArray("(ov)@+"));
    // Another server's richer set; a malformed PREFIX gives no membership modes rather than wrong ones.
    const ChannelModeSyntax other("beIq,k,flj,CTimnpst", "(qaohv)~&@%+");
    QCOMPARE(other.membershipSymbols(), QByteArray("~&@%+"));
    QCOMPARE(other.kind('h'), ModeKind::Membership);
    QCOMPARE(other.kind('f'), ModeKind::ParamWhenSet);
    QCOMPARE(ChannelModeSyntax("b,k,l,n", "ov@+").membershipModes(), QByteArray());
    QCOMPARE(ChannelModeSyntax("b,k,l,n", "(ov)@").membershipModes(), QByteArray("o"));
}

void tst_Modes::defaultsAreRfc2812()
{
    const ChannelModeSyntax rfc;
    QCOMPARE(rfc.kind('p'), ModeKind::Flag);
    QCOMPARE(rfc.kind('e'), ModeKind::List);
    QCOMPARE(rfc.membershipModes(), QByteArray("ov"));
}

void tst_Modes::parse_data()
{
    QTest::addColumn<QByteArray>("modes");
    QTest::addColumn<QByteArrayList>("arguments");
    QTest::addColumn<QList<ModeChange>>("expected");
    QTest::newRow("flags") << QByteArray("+mn-t") << QByteArrayList{}
                           << QList<ModeChange>{change(true, 'm'), change(true, 'n'), change(false, 't')};
    QTest::newRow("no sign means adding") << QByteArray("i") << QByteArrayList{}
                                          << QList<ModeChange>{change(true, 'i')};
    QTest::newRow("membership") << QByteArray("+ov") << QByteArrayList{"alice", "bob"}
                                << QList<ModeChange>{change(true, 'o', "alice"), change(true, 'v', "bob")};
    QTest::newRow("limit only when set") << QByteArray("+l-l+k") << QByteArrayList{"10", "key"}
                                         << QList<ModeChange>{change(true, 'l', "10"), change(false, 'l'),
                                                              change(true, 'k', "key")};
    QTest::newRow("key when unset") << QByteArray("-k") << QByteArrayList{"old"}
                                    << QList<ModeChange>{change(false, 'k', "old")};
    QTest::newRow("list query") << QByteArray("b") << QByteArrayList{} << QList<ModeChange>{change(true, 'b')};
    QTest::newRow("missing argument") << QByteArray("+bo") << QByteArrayList{"*!*@x"}
                                      << QList<ModeChange>{change(true, 'b', "*!*@x"), change(true, 'o')};
    QTest::newRow("unknown takes nothing") << QByteArray("+zo") << QByteArrayList{"alice"}
                                           << QList<ModeChange>{change(true, 'z'), change(true, 'o', "alice")};
    QTest::newRow("extra arguments ignored") << QByteArray("+n") << QByteArrayList{"x", "y"}
                                             << QList<ModeChange>{change(true, 'n')};
    QTest::newRow("signs only") << QByteArray("+-+") << QByteArrayList{} << QList<ModeChange>{};
}

void tst_Modes::parse()
{
    QFETCH(QByteArray, modes);
    QFETCH(QByteArrayList, arguments);
    QFETCH(QList<ModeChange>, expected);
    QCOMPARE(tktalk::protocol::parseModeChanges(kTktalk, modes, arguments), expected);
}

void tst_Modes::format_data()
{
    QTest::addColumn<QList<ModeChange>>("changes");
    QTest::addColumn<int>("maxPerLine");
    QTest::addColumn<QList<QByteArrayList>>("lines");
    QTest::newRow("merged") << QList<ModeChange>{change(true, 'o', "a"), change(true, 'v', "b")} << 6
                            << QList<QByteArrayList>{{"+ov", "a", "b"}};
    QTest::newRow("signs switch") << QList<ModeChange>{change(true, 'n'), change(false, 't'), change(false, 'o', "a"),
                                                       change(true, 'l', "5")}
                                  << 6 << QList<QByteArrayList>{{"+n-to+l", "a", "5"}};
    QTest::newRow("split at the limit")
        << QList<ModeChange>{change(true, 'b', "1"), change(true, 'b', "2"), change(true, 'b', "3"),
                             change(false, 'b', "4"), change(true, 'm')}
        << 2 << QList<QByteArrayList>{{"+bb", "1", "2"}, {"+b-b", "3", "4"}, {"+m"}};
    QTest::newRow("nothing") << QList<ModeChange>{} << 6 << QList<QByteArrayList>{};
}

void tst_Modes::format()
{
    QFETCH(QList<ModeChange>, changes);
    QFETCH(int, maxPerLine);
    QFETCH(QList<QByteArrayList>, lines);
    QCOMPARE(tktalk::protocol::formatModeLines(changes, maxPerLine, 400), lines);
}

void tst_Modes::formatKeepsLinesUnderTheByteLimit()
{
    QList<ModeChange> changes;
    for (char c = 'a'; c < 'a' + 6; ++c)
        changes << change(true, 'b', QByteArray(100, c));
    const QList<QByteArrayList> lines = tktalk::protocol::formatModeLines(changes, 6, 400);
    QCOMPARE(lines.size(), 2);
    for (const QByteArrayList &line : lines)
        QVERIFY(line.join(' ').size() <= 400);
    QCOMPARE(lines.at(0).at(0), QByteArray("+bbb"));
    QCOMPARE(lines.at(1).at(0), QByteArray("+bbb"));
    // One parameter longer than the limit still gets its line.
    const auto huge = tktalk::protocol::formatModeLines({change(true, 'b', QByteArray(500, 'x'))}, 6, 400);
    QCOMPARE(huge.size(), 1);
}

QTEST_APPLESS_MAIN(tst_Modes)
#include "tst_modes.moc"
