#include "channelcommands.h"
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
    void roomCommands_data();
    void roomCommands();
    void roomCommandLines_data();
    void roomCommandLines();
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

void tst_InputParser::roomCommands_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("text");

    QTest::newRow("op") << "/op bob" << Kind::Op << "" << QStringList{"bob"} << "" << "";
    QTest::newRow("op several, spaced") << "/OP  bob   carol" << Kind::Op << "" << QStringList{"bob", "carol"} << "" << "";
    QTest::newRow("op in a room") << "/op #dev bob" << Kind::Op << "#dev" << QStringList{"bob"} << "" << "";
    QTest::newRow("deop") << "/deop bob" << Kind::Deop << "" << QStringList{"bob"} << "" << "";
    QTest::newRow("voice") << "/voice bob" << Kind::Voice << "" << QStringList{"bob"} << "" << "";
    QTest::newRow("devoice") << "/devoice bob" << Kind::Devoice << "" << QStringList{"bob"} << "" << "";
    QTest::newRow("ban") << "/ban troll" << Kind::Ban << "" << QStringList{"troll"} << "" << "";
    QTest::newRow("ban account") << "/ban ~a:mallory" << Kind::Ban << "" << QStringList{"~a:mallory"} << "" << "";
    QTest::newRow("unban") << "/unban #dev *!*@10.0.0.1" << Kind::Unban << "#dev" << QStringList{"*!*@10.0.0.1"} << ""
                           << "";
    QTest::newRow("kick") << "/kick bob" << Kind::Kick << "" << QStringList{} << "bob" << "";
    QTest::newRow("kick with reason") << "/kick bob  be nice  " << Kind::Kick << "" << QStringList{} << "bob"
                                      << "be nice";
    QTest::newRow("kick in a room") << "/kick #dev bob bye" << Kind::Kick << "#dev" << QStringList{} << "bob" << "bye";
    QTest::newRow("mode query") << "/mode" << Kind::Mode << "" << QStringList{} << "" << "";
    QTest::newRow("mode change") << "/mode +kl secret 5" << Kind::Mode << "" << QStringList{"+kl", "secret", "5"} << ""
                                 << "";
    QTest::newRow("mode in a room") << "/mode #dev +m" << Kind::Mode << "#dev" << QStringList{"+m"} << "" << "";
    QTest::newRow("user mode") << "/mode alice +i" << Kind::Mode << "" << QStringList{"alice", "+i"} << "" << "";
    QTest::newRow("topic query") << "/topic" << Kind::Topic << "" << QStringList{} << "" << "";
    QTest::newRow("topic") << "/topic Welcome, all  " << Kind::Topic << "" << QStringList{} << "" << "Welcome, all";
    QTest::newRow("topic in a room") << "/topic #dev Build day" << Kind::Topic << "#dev" << QStringList{} << ""
                                     << "Build day";
    QTest::newRow("invite") << "/invite dave" << Kind::Invite << "" << QStringList{} << "dave" << "";
    QTest::newRow("invite to a room") << "/invite dave #dev" << Kind::Invite << "#dev" << QStringList{} << "dave" << "";
    for (const char *bad : {"/op", "/deop #dev", "/voice", "/devoice", "/ban", "/unban #dev", "/kick", "/kick #dev",
                            "/invite", "/invite #dev", "/invite dave dev", "/invite dave #a #b"})
        QTest::newRow(bad) << QString::fromLatin1(bad) << Kind::Invalid << "" << QStringList{} << "" << "";
}

void tst_InputParser::roomCommands()
{
    QFETCH(QString, line);
    QFETCH(Kind, kind);
    QFETCH(QString, room);
    QFETCH(QStringList, args);
    QFETCH(QString, target);
    QFETCH(QString, text);
    const InputCommand command = parseInput(line);
    QCOMPARE(command.kind, kind);
    QCOMPARE(command.error.isEmpty(), kind != Kind::Invalid);
    if (kind == Kind::Invalid) {
        QVERIFY(command.error.startsWith(QStringLiteral("Usage: /")));
        return;
    }
    QCOMPARE(command.room, room);
    QCOMPARE(command.args, args);
    QCOMPARE(command.target, target);
    QCOMPARE(command.text, text);
}

void tst_InputParser::roomCommandLines_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("currentRoom");
    QTest::addColumn<QByteArrayList>("wire");     // as sent, without CR LF
    QTest::addColumn<bool>("refused");

    QTest::newRow("op") << "/op bob" << "#lobby" << QByteArrayList{"MODE #lobby +o bob"} << false;
    QTest::newRow("op several") << "/op bob carol" << "#lobby" << QByteArrayList{"MODE #lobby +oo bob carol"} << false;
    // The server announced MODES=3: four nicks take two lines.
    QTest::newRow("voice past MODES") << "/voice a b c d" << "#lobby"
                                      << QByteArrayList{"MODE #lobby +vvv a b c", "MODE #lobby +v d"} << false;
    QTest::newRow("deop in another room") << "/deop #dev bob" << "#lobby" << QByteArrayList{"MODE #dev -o bob"} << false;
    QTest::newRow("devoice") << "/devoice bob" << "#lobby" << QByteArrayList{"MODE #lobby -v bob"} << false;
    QTest::newRow("ban") << "/ban troll" << "#lobby" << QByteArrayList{"MODE #lobby +b troll"} << false;
    QTest::newRow("unban") << "/unban *!*@10.0.0.1" << "#lobby" << QByteArrayList{"MODE #lobby -b *!*@10.0.0.1"}
                           << false;
    QTest::newRow("kick") << "/kick bob" << "#lobby" << QByteArrayList{"KICK #lobby bob"} << false;
    QTest::newRow("kick with reason") << "/kick bob be nice" << "#lobby" << QByteArrayList{"KICK #lobby bob :be nice"}
                                      << false;
    QTest::newRow("mode query") << "/mode" << "#lobby" << QByteArrayList{"MODE #lobby"} << false;
    QTest::newRow("mode change") << "/mode +kl secret 5" << "#lobby" << QByteArrayList{"MODE #lobby +kl secret 5"}
                                 << false;
    QTest::newRow("ban list") << "/mode b" << "#lobby" << QByteArrayList{"MODE #lobby b"} << false;
    QTest::newRow("user mode, no room needed") << "/mode alice +i" << "" << QByteArrayList{"MODE alice +i"} << false;
    QTest::newRow("own user modes") << "/mode Me" << "#lobby" << QByteArrayList{"MODE Me"} << false;
    QTest::newRow("someone else's modes") << "/mode bob -i" << "#lobby" << QByteArrayList{"MODE bob -i"} << false;
    QTest::newRow("topic query") << "/topic" << "#lobby" << QByteArrayList{"TOPIC #lobby"} << false;
    QTest::newRow("topic") << "/topic Welcome, all" << "#lobby" << QByteArrayList{"TOPIC #lobby :Welcome, all"}
                           << false;
    QTest::newRow("topic one word") << "/topic hi" << "#lobby" << QByteArrayList{"TOPIC #lobby hi"} << false;
    QTest::newRow("invite") << "/invite dave" << "#lobby" << QByteArrayList{"INVITE dave #lobby"} << false;
    QTest::newRow("invite elsewhere") << "/invite dave #dev" << "#lobby" << QByteArrayList{"INVITE dave #dev"} << false;
    QTest::newRow("no room") << "/op bob" << "" << QByteArrayList{} << true;
    QTest::newRow("no room for a topic") << "/topic hi" << "" << QByteArrayList{} << true;
    QTest::newRow("bad room") << "/op #a,b bob" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("leading colon") << "/ban :x y" << "#lobby" << QByteArrayList{} << true;
    // Every room command checks the room it names and the words it would send.
    QTest::newRow("kick in a bad room") << "/kick #a,b bob" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("kick a colon nick") << "/kick :bob go" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("no room for a kick") << "/kick bob" << "" << QByteArrayList{} << true;
    QTest::newRow("mode in a bad room") << "/mode #a,b +m" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("mode with a colon word") << "/mode +b :x" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("no room for a room mode") << "/mode +m" << "" << QByteArrayList{} << true;
    QTest::newRow("topic in a bad room") << "/topic #a,b hi" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("invite to a bad room") << "/invite dave #a,b" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("invite a colon nick") << "/invite :dave" << "#lobby" << QByteArrayList{} << true;
    QTest::newRow("deop a colon nick") << "/deop bob :carol" << "#lobby" << QByteArrayList{} << true;
}

void tst_InputParser::roomCommandLines()
{
    QFETCH(QString, line);
    QFETCH(QString, currentRoom);
    QFETCH(QByteArrayList, wire);
    QFETCH(bool, refused);
    const ChannelCommandLines lines = channelCommandLines(parseInput(line), currentRoom, 3, QStringLiteral("me"));
    QCOMPARE(!lines.error.isEmpty(), refused);
    QByteArrayList actual;
    for (const auto &message : lines.messages)
        actual << message.serialize();
    QCOMPARE(actual, wire);
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
