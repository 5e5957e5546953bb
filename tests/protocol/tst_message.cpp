#include "protocol/limits.h"
#include "protocol/message.h"
#include "protocol/names.h"

#include <QTest>

using tktalk::protocol::Message;
using tktalk::protocol::MessageError;
using tktalk::protocol::Tag;

Q_DECLARE_METATYPE(Message)
Q_DECLARE_METATYPE(MessageError)

class tst_Message : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void parseRejects_data();
    void parseRejects();
    void serialize_data();
    void serialize();
    void serializeRejects_data();
    void serializeRejects();
    void roundTrip_data();
    void roundTrip();
    void tagEscaping_data();
    void tagEscaping();
    void sourceNick();
    void shortenToFit_data();
    void shortenToFit();
    void makeMiddleParamsValid_data();
    void makeMiddleParamsValid();
};

namespace {
Message make(QList<Tag> tags, QByteArray source, QByteArray command, QByteArrayList params)
{
    Message m(std::move(command), std::move(params), std::move(source));
    m.tags = std::move(tags);
    return m;
}
} // namespace

void tst_Message::parse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<Message>("expected");

    QTest::newRow("command only") << QByteArray("QUIT") << make({}, {}, "QUIT", {});
    QTest::newRow("lower-case command is upper-cased") << QByteArray("privmsg #a :hi") << make({}, {}, "PRIVMSG", {"#a", "hi"});
    QTest::newRow("middle params") << QByteArray("USER guest 0 * :Real Name")
                                   << make({}, {}, "USER", {"guest", "0", "*", "Real Name"});
    QTest::newRow("source") << QByteArray(":nick!user@host PRIVMSG #chan :hello world")
                            << make({}, "nick!user@host", "PRIVMSG", {"#chan", "hello world"});
    QTest::newRow("numeric") << QByteArray(":irc.example 001 alice :Welcome")
                             << make({}, "irc.example", "001", {"alice", "Welcome"});
    QTest::newRow("empty trailing") << QByteArray("TOPIC #a :") << make({}, {}, "TOPIC", {"#a", ""});
    QTest::newRow("trailing with colons") << QByteArray("PRIVMSG #a ::-) :x") << make({}, {}, "PRIVMSG", {"#a", ":-) :x"});
    QTest::newRow("middle with colon inside") << QByteArray("PRIVMSG a:b c") << make({}, {}, "PRIVMSG", {"a:b", "c"});
    QTest::newRow("several spaces") << QByteArray("PRIVMSG   #a    :x  y") << make({}, {}, "PRIVMSG", {"#a", "x  y"});
    QTest::newRow("trailing space") << QByteArray("PING token ") << make({}, {}, "PING", {"token"});
    QTest::newRow("leading spaces") << QByteArray("   PING x") << make({}, {}, "PING", {"x"});
    QTest::newRow("tags") << QByteArray("@time=2026-01-01T00:00:00.000Z;+draft/x :s PRIVMSG #a :m")
                          << make({{"time", "2026-01-01T00:00:00.000Z"}, {"+draft/x", ""}}, "s", "PRIVMSG", {"#a", "m"});
    QTest::newRow("escaped tag value") << QByteArray("@a=x\\sy\\:z\\\\ QUIT")
                                       << make({{"a", "x y;z\\"}}, {}, "QUIT", {});
    QTest::newRow("duplicate tag: last wins") << QByteArray("@a=1;a=2 QUIT") << make({{"a", "2"}}, {}, "QUIT", {});
    QTest::newRow("vendor tag") << QByteArray("@example.com/foo=bar QUIT") << make({{"example.com/foo", "bar"}}, {}, "QUIT", {});
    QTest::newRow("utf-8 text") << QByteArray("PRIVMSG #a :h\xc3\xa9llo") << make({}, {}, "PRIVMSG", {"#a", "h\xc3\xa9llo"});
    // Tabs and the other control bytes below CR are no line breaks: they pass.
    QTest::newRow("tab and vertical tab") << QByteArray("PRIVMSG #a :a\tbcdefgh\x0bij\x0c")
                                          << make({}, {}, "PRIVMSG", {"#a", "a\tbcdefgh\x0bij\x0c"});
    QTest::newRow("fifteen middles")
        << QByteArray("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15")
        << make({}, {}, "CMD", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"});
}

void tst_Message::parse()
{
    QFETCH(QByteArray, line);
    QFETCH(Message, expected);
    MessageError error = MessageError::BadTags;
    const std::optional<Message> parsed = Message::parse(line, &error);
    QVERIFY(parsed);
    QCOMPARE(error, MessageError::None);
    QCOMPARE(parsed->tags, expected.tags);
    QCOMPARE(parsed->source, expected.source);
    QCOMPARE(parsed->command, expected.command);
    QCOMPARE(parsed->params, expected.params);
}

void tst_Message::parseRejects_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<MessageError>("error");

    QTest::newRow("empty") << QByteArray("") << MessageError::Empty;
    QTest::newRow("spaces") << QByteArray("   ") << MessageError::Empty;
    QTest::newRow("source only") << QByteArray(":nick!u@h") << MessageError::Empty;
    QTest::newRow("tags only") << QByteArray("@a=b") << MessageError::Empty;
    QTest::newRow("NUL") << QByteArray("PRIVMSG #a :x\0y", 16) << MessageError::ForbiddenCharacter;
    QTest::newRow("bare CR") << QByteArray("PRIVMSG #a :x\rQUIT") << MessageError::ForbiddenCharacter;
    QTest::newRow("LF") << QByteArray("PRIVMSG #a :x\nQUIT") << MessageError::ForbiddenCharacter;
    // The scan looks at eight bytes at a time: a forbidden byte at every offset of a word, and in
    // the tail after the last whole word.
    for (const char forbidden : {'\0', '\r', '\n'}) {
        for (int offset = 0; offset < 18; ++offset) {
            QByteArray line = "PRIVMSG #a :" + QByteArray(offset, 'x') + forbidden + "yz";
            QTest::addRow("byte %d after %d bytes of text", int(forbidden), offset) << line
                                                                                   << MessageError::ForbiddenCharacter;
        }
    }
    QTest::newRow("digits not three") << QByteArray("12 x") << MessageError::BadCommand;
    QTest::newRow("punctuation") << QByteArray("PRIV-MSG x") << MessageError::BadCommand;
    QTest::newRow("non-ascii command") << QByteArray("\xc3\xa9T\xc3\xa9 x") << MessageError::BadCommand;
    QTest::newRow("empty tags") << QByteArray("@ QUIT") << MessageError::BadTags;
    QTest::newRow("bad tag key") << QByteArray("@a$b=1 QUIT") << MessageError::BadTags;
}

void tst_Message::parseRejects()
{
    QFETCH(QByteArray, line);
    QFETCH(MessageError, error);
    MessageError actual = MessageError::None;
    QVERIFY(!Message::parse(line, &actual));
    QCOMPARE(actual, error);
}

void tst_Message::serialize_data()
{
    QTest::addColumn<Message>("message");
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("simple") << make({}, {}, "QUIT", {}) << QByteArray("QUIT");
    QTest::newRow("one word last param has no colon") << make({}, "srv", "PING", {"tok"}) << QByteArray(":srv PING tok");
    QTest::newRow("spaces get trailing") << make({}, "n!u@h", "PRIVMSG", {"#a", "hi there"})
                                         << QByteArray(":n!u@h PRIVMSG #a :hi there");
    QTest::newRow("empty last") << make({}, {}, "TOPIC", {"#a", ""}) << QByteArray("TOPIC #a :");
    QTest::newRow("leading colon last") << make({}, {}, "PRIVMSG", {"#a", ":)"}) << QByteArray("PRIVMSG #a ::)");
    QTest::newRow("tags escaped") << make({{"time", "x"}, {"k", "a b;c"}, {"flag", ""}}, "s", "PRIVMSG", {"#a", "m"})
                                  << QByteArray("@time=x;k=a\\sb\\:c;flag :s PRIVMSG #a m");
}

void tst_Message::serialize()
{
    QFETCH(Message, message);
    QFETCH(QByteArray, line);
    QCOMPARE(message.serialize(), line);
    QCOMPARE(message.wireLine(), line + "\r\n");
}

void tst_Message::serializeRejects_data()
{
    QTest::addColumn<Message>("message");
    QTest::addColumn<MessageError>("error");

    QTest::newRow("CR LF in text") << make({}, {}, "PRIVMSG", {"#a", "hi\r\nQUIT"}) << MessageError::ForbiddenCharacter;
    QTest::newRow("NUL in text") << make({}, {}, "PRIVMSG", {"#a", QByteArray("a\0b", 3)}) << MessageError::ForbiddenCharacter;
    QTest::newRow("LF in source") << make({}, "a\nb", "PING", {"x"}) << MessageError::ForbiddenCharacter;
    QTest::newRow("space in middle") << make({}, {}, "PRIVMSG", {"#a b", "x"}) << MessageError::BadParameter;
    QTest::newRow("empty middle") << make({}, {}, "PRIVMSG", {"", "x"}) << MessageError::BadParameter;
    QTest::newRow("no command") << make({}, {}, "", {}) << MessageError::BadCommand;
    QTest::newRow("bad tag key") << make({{"bad key", "v"}}, {}, "QUIT", {}) << MessageError::BadTags;
}

void tst_Message::serializeRejects()
{
    QFETCH(Message, message);
    QFETCH(MessageError, error);
    MessageError actual = MessageError::None;
    QVERIFY(message.serialize(&actual).isEmpty());
    QCOMPARE(actual, error);
    actual = MessageError::None;
    QVERIFY(message.wireLine(&actual).isEmpty());
    QCOMPARE(actual, error);
}

void tst_Message::roundTrip_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("privmsg") << QByteArray(":a!b@c PRIVMSG #x :hello there");
    QTest::newRow("numeric") << QByteArray(":srv 353 me = #x :a b c");
    QTest::newRow("tags") << QByteArray("@time=2026-11-24T20:00:00.000Z;id=a\\sb :n!u@h NOTICE me :hi there");
    QTest::newRow("empty trailing") << QByteArray("TOPIC #x :");
    QTest::newRow("colon trailing") << QByteArray("PRIVMSG #x ::x");
}

void tst_Message::roundTrip()
{
    QFETCH(QByteArray, line);
    const std::optional<Message> parsed = Message::parse(line);
    QVERIFY(parsed);
    QCOMPARE(parsed->serialize(), line);
    QCOMPARE(Message::parse(parsed->serialize()), parsed);
}

void tst_Message::tagEscaping_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << QByteArray("abc") << QByteArray("abc");
    QTest::newRow("semicolon") << QByteArray(";") << QByteArray("\\:");
    QTest::newRow("space") << QByteArray(" ") << QByteArray("\\s");
    QTest::newRow("backslash") << QByteArray("\\") << QByteArray("\\\\");
    QTest::newRow("CR LF") << QByteArray("\r\n") << QByteArray("\\r\\n");
}

void tst_Message::tagEscaping()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, escaped);
    QCOMPARE(tktalk::protocol::escapeTagValue(raw), escaped);
    QCOMPARE(tktalk::protocol::unescapeTagValue(escaped), raw);
    // Unescaping is lenient: unknown escapes stand for the character, a lone trailing backslash goes.
    QCOMPARE(tktalk::protocol::unescapeTagValue("a\\b"), QByteArray("ab"));
    QCOMPARE(tktalk::protocol::unescapeTagValue("ab\\"), QByteArray("ab"));
}

void tst_Message::sourceNick()
{
    QCOMPARE(Message::parse(":nick!user@host QUIT")->sourceNick(), QByteArray("nick"));
    QCOMPARE(Message::parse(":nick@host QUIT")->sourceNick(), QByteArray("nick"));
    QCOMPARE(Message::parse(":irc.server QUIT")->sourceNick(), QByteArray("irc.server"));
}

void tst_Message::shortenToFit_data()
{
    // A reply echoes what the client sent; with the server's name, the numeric and the client's
    // nick in front, it must still fit 512 bytes (fuzz_server found the 421 and 401 cases).
    QTest::addColumn<Message>("message");
    QTest::addColumn<bool>("fits");
    const QByteArray server = "irc.example.org";
    QTest::newRow("short: unchanged") << Message("PRIVMSG", {"#a", "hello"}, "n!u@h") << true;
    QTest::newRow("unknown command echoed")
        << Message("421", {"alice", QByteArray(500, 'A'), "Unknown command"}, server) << true;
    QTest::newRow("long trailing text")
        << Message("TOPIC", {"#room", QByteArray(600, 't')}, "nick!~user@2001:db8::1") << true;
    QTest::newRow("no such nick, long nick")
        << Message("401", {"alice", QByteArray(490, 'x'), "No such nick/channel"}, server) << true;
    QTest::newRow("UTF-8 text cut between characters")
        << Message("PRIVMSG", {"#a", QByteArray(300, 'a') + QByteArray("\xc3\xa9").repeated(200)}, "n!u@h") << true;
    QTest::newRow("two echoed parameters")
        << Message("441", {"alice", QByteArray(300, 'b'), QByteArray(300, 'c'), "They aren't on that channel"}, server)
        << true;
    QTest::newRow("source too long") << Message("PING", {"x"}, QByteArray(600, 's')) << false;
}

void tst_Message::shortenToFit()
{
    QFETCH(Message, message);
    QFETCH(bool, fits);
    const Message original = message;
    QCOMPARE(tktalk::protocol::shortenToFit(message), fits);
    if (!fits)
        return;
    const QByteArray line = message.wireLine();
    QVERIFY2(line.size() <= tktalk::protocol::kMaxLineBytes, line.constData());
    QCOMPARE(message.command, original.command);
    QCOMPARE(message.params.size(), original.params.size());
    for (qsizetype i = 0; i < message.params.size(); ++i) {
        QVERIFY(original.params.at(i).startsWith(message.params.at(i)));
        QVERIFY(!message.params.at(i).isEmpty() || original.params.at(i).isEmpty());
        QVERIFY(tktalk::protocol::isValidUtf8(message.params.at(i)));
    }
    if (original.wireLine().size() <= tktalk::protocol::kMaxLineBytes)
        QCOMPARE(message, original);
    // The message still parses back to itself.
    QCOMPARE(*Message::parse(line.chopped(2)), message);
}

void tst_Message::makeMiddleParamsValid_data()
{
    // Echoed words that cannot be middle parameters (fuzz_server found "CAP :a topic" getting no
    // 410 at all: the reply could not be serialised and was dropped).
    QTest::addColumn<QByteArray>("echoed");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("valid: unchanged") << QByteArray("#room") << QByteArray("#room");
    QTest::newRow("colon inside: unchanged") << QByteArray("a:b") << QByteArray("a:b");
    QTest::newRow("two words") << QByteArray("a topic") << QByteArray("a");
    QTest::newRow("leading spaces") << QByteArray("  padded word") << QByteArray("padded");
    QTest::newRow("leading colon") << QByteArray(":x") << QByteArray("x");
    QTest::newRow("empty") << QByteArray() << QByteArray("*");
    QTest::newRow("only spaces") << QByteArray("   ") << QByteArray("*");
}

void tst_Message::makeMiddleParamsValid()
{
    QFETCH(QByteArray, echoed);
    QFETCH(QByteArray, expected);
    Message reply("410", {"alice", echoed, "Invalid CAP command"}, "irc.test");
    tktalk::protocol::makeMiddleParamsValid(reply);
    QCOMPARE(reply.params, (QByteArrayList{"alice", expected, "Invalid CAP command"}));
    QVERIFY(!reply.serialize().isEmpty());
}

QTEST_APPLESS_MAIN(tst_Message)
#include "tst_message.moc"
