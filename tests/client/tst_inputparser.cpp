#include "inputhistory.h"
#include "inputparser.h"
#include "textsplitter.h"

#include <QTest>

using namespace tktalk::client;
using Kind = InputCommand::Kind;

class tst_InputParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void split_data();
    void split();
    void history();
};

void tst_InputParser::parse_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "   " << Kind::None << "" << "";
    QTest::newRow("say") << "hello world" << Kind::Say << "" << "hello world";
    QTest::newRow("say keeps spaces") << "  indented" << Kind::Say << "" << "  indented";
    QTest::newRow("seed private") << "/@bob see you" << Kind::Private << "bob" << "see you";
    QTest::newRow("seed private needs text") << "/@bob" << Kind::Invalid << "" << "";
    QTest::newRow("seed who") << "/u" << Kind::Who << "" << "";
    QTest::newRow("seed exit") << ".exit" << Kind::Exit << "" << "";
    QTest::newRow("exit needs exact word") << ".exit now" << Kind::Say << "" << ".exit now";
    QTest::newRow("msg") << "/msg carol hi there" << Kind::Private << "carol" << "hi there";
    QTest::newRow("msg upper case") << "/MSG carol hi" << Kind::Private << "carol" << "hi";
    QTest::newRow("msg without text") << "/msg carol" << Kind::Invalid << "" << "";
    QTest::newRow("me") << "/me waves" << Kind::Action << "" << "waves";
    QTest::newRow("me without text") << "/me" << Kind::Invalid << "" << "";
    QTest::newRow("nick") << "/nick newname" << Kind::Nick << "newname" << "";
    QTest::newRow("nick two words") << "/nick a b" << Kind::Invalid << "" << "";
    QTest::newRow("join") << "/join #dev" << Kind::Join << "#dev" << "";
    QTest::newRow("join adds hash") << "/join dev" << Kind::Join << "#dev" << "";
    QTest::newRow("quit") << "/quit" << Kind::Quit << "" << "";
    QTest::newRow("quit reason") << "/quit off to bed" << Kind::Quit << "" << "off to bed";
    QTest::newRow("help") << "/help" << Kind::Help << "" << "";
    QTest::newRow("unknown") << "/frobnicate" << Kind::Invalid << "" << "";
    QTest::newRow("escaped slash") << "//not a command" << Kind::Say << "" << "/not a command";
}

void tst_InputParser::parse()
{
    QFETCH(QString, line);
    QFETCH(Kind, kind);
    QFETCH(QString, target);
    QFETCH(QString, text);
    const InputCommand command = parseInput(line);
    QCOMPARE(command.kind, kind);
    QCOMPARE(command.target, target);
    QCOMPARE(command.text, text);
    QCOMPARE(command.error.isEmpty(), kind != Kind::Invalid);
}

void tst_InputParser::split_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QStringList>("pieces");

    QTest::newRow("fits") << "short" << 20 << QStringList{"short"};
    QTest::newRow("at spaces") << "aaaa bbbb cccc dddd" << 10 << QStringList{"aaaa bbbb", "cccc dddd"};
    QTest::newRow("no spaces") << "abcdefghij" << 4 << QStringList{"abcd", "efgh", "ij"};
    QTest::newRow("lines") << "one\ntwo\r\n\nthree" << 20 << QStringList{"one", "two", "three"};
    // "é" is two bytes: a piece never ends inside it.
    QTest::newRow("utf8") << QString::fromUtf8("ééééé") << 5 << QStringList{QString::fromUtf8("éé"), QString::fromUtf8("éé"), QString::fromUtf8("é")};
}

void tst_InputParser::split()
{
    QFETCH(QString, text);
    QFETCH(int, maxBytes);
    QFETCH(QStringList, pieces);
    QStringList actual;
    for (const QByteArray &piece : splitMessage(text, maxBytes)) {
        QVERIFY(piece.size() <= maxBytes);
        actual << QString::fromUtf8(piece);
    }
    QCOMPARE(actual, pieces);
}

void tst_InputParser::history()
{
    InputHistory history;
    QCOMPARE(history.previous(QStringLiteral("draft")), QStringLiteral("draft"));
    history.add(QStringLiteral("first"));
    history.add(QStringLiteral("second"));
    QCOMPARE(history.previous(QStringLiteral("typing")), QStringLiteral("second"));
    QCOMPARE(history.previous(QString()), QStringLiteral("first"));
    QCOMPARE(history.previous(QString()), QStringLiteral("first"));
    QCOMPARE(history.next(), QStringLiteral("second"));
    QCOMPARE(history.next(), QStringLiteral("typing"));
}

QTEST_GUILESS_MAIN(tst_InputParser)
#include "tst_inputparser.moc"
