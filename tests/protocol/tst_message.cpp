#include "protocol/message.h"

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

QTEST_APPLESS_MAIN(tst_Message)
#include "tst_message.moc"
