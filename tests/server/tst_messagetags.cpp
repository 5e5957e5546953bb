// IRCv3 message-tags (client-only tags, TAGMSG), msgid, account-tag, batch and labeled-response.

#include "clientsetup.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;
using tktalk::test::connectWithCaps;
using tktalk::test::settled;

namespace {

/// What @p client received up to a sync, as raw lines (a server's lines all parse: the raw lines
/// and the messages go in step).
QByteArrayList rawUntilSync(TestIrcClient &client)
{
    const auto seen = client.sync();
    if (!seen)
        return {"(no PONG)"};
    const QList<Message> &received = client.received();
    qsizetype pong = received.size() - 1;
    while (pong >= 0 && !(received.at(pong).command == "PONG" && received.at(pong).param(1).startsWith("sync-")))
        --pong;
    return client.rawLines().mid(pong - seen->size(), seen->size());
}

/// The last raw line @p client received that contains @p text.
QByteArray rawLineWith(const TestIrcClient &client, const QByteArray &text)
{
    const QByteArrayList lines = client.rawLines();
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        if (lines.at(i).contains(text))
            return lines.at(i);
    }
    return {};
}

QByteArray tagOf(const Message &message, const QByteArray &key)
{
    return message.tag(key).value_or("(none)");
}

} // namespace

class tst_MessageTags : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void advertised();
    void clientTagsRelayedAndStripped();
    void tagmsgOnlyToTagClients();
    void msgidSameForEveryRecipient();
    void accountTag_data();
    void accountTag();
    void labeledResponses_data();
    void labeledResponses();
    void labeledEcho();
    void labelNeedsBatch();
    void labelTooLong();
    void oversizedClientTags();
    void malformedTags_data();
    void malformedTags();
    void tagmsgErrors_data();
    void tagmsgErrors();
};

void tst_MessageTags::advertised()
{
    TestServer server;
    auto client = server.connectClient();
    const auto caps = client->advertisedCapabilities();
    QVERIFY(caps);
    for (const char *cap : {"message-tags", "account-tag", "batch", "labeled-response"})
        QVERIFY2(caps->contains(cap), cap);
    client->sendLine("CAP END");
    QVERIFY(client->registerAs("alice"));
    const QList<Message> &received = client->received();
    const bool denyStated = std::any_of(received.begin(), received.end(), [](const Message &m) {
        return m.command == "005" && m.params.contains("CLIENTTAGDENY=");
    });
    QVERIFY(denyStated);
}

void tst_MessageTags::clientTagsRelayedAndStripped()
{
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "message-tags");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    auto carol = connectWithCaps(server, "carol", "");
    QVERIFY(alice && bob && carol);
    QVERIFY(settled({alice.get(), bob.get(), carol.get()}));

    // A client-only tag with escapes, a valueless one, a draft one, and a server tag that a client
    // may not set (it is dropped).
    alice->sendLine("@+example=raw+:=,escaped\\:\\s\\\\;+draft/reply=abc;+typing;verified=yes PRIVMSG #lobby :hi");
    const auto tagged = bob->waitForCommand("PRIVMSG");
    QVERIFY(tagged);
    QCOMPARE(tagOf(*tagged, "+example"), QByteArray("raw+:=,escaped; \\"));
    QCOMPARE(tagOf(*tagged, "+draft/reply"), QByteArray("abc"));
    QCOMPARE(tagOf(*tagged, "+typing"), QByteArray());
    QCOMPARE(tagOf(*tagged, "verified"), QByteArray("(none)"));
    QVERIFY(tagged->tag("msgid"));
    QVERIFY(!tagged->tag("account")); // alice is not logged in
    const QByteArray raw = rawLineWith(*bob, "PRIVMSG #lobby hi");
    QVERIFY2(raw.contains(";+example=raw+:=,escaped\\:\\s\\\\;+draft/reply=abc;+typing "), raw.constData());
    QVERIFY2(raw.startsWith("@msgid="), raw.constData()); // server tags come first

    // carol negotiated nothing: the very same line as before message-tags existed.
    QCOMPARE(rawUntilSync(*carol), QByteArrayList{":alice!~alice@127.0.0.1 PRIVMSG #lobby hi"});
    // And a NOTICE carries them as well.
    alice->sendLine("@+draft/react=\xF0\x9F\x91\x8D NOTICE bob :seen");
    const auto notice = bob->waitForCommand("NOTICE");
    QVERIFY(notice);
    QCOMPARE(tagOf(*notice, "+draft/react"), QByteArray("\xF0\x9F\x91\x8D"));
    QVERIFY(alice->receivedNothing());
}

void tst_MessageTags::tagmsgOnlyToTagClients()
{
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "message-tags echo-message");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    auto carol = connectWithCaps(server, "carol", "echo-message");
    QVERIFY(alice && bob && carol);
    QVERIFY(settled({alice.get(), bob.get(), carol.get()}));

    alice->sendLine("@+typing=active TAGMSG #lobby");
    const auto typing = bob->waitForCommand("TAGMSG");
    QVERIFY(typing);
    QCOMPARE(typing->source, QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(typing->params, QByteArrayList{"#lobby"});
    QCOMPARE(tagOf(*typing, "+typing"), QByteArray("active"));
    const auto echo = alice->waitForCommand("TAGMSG");
    QVERIFY(echo);
    QCOMPARE(tagOf(*echo, "msgid"), tagOf(*typing, "msgid"));
    QVERIFY(carol->receivedNothing());

    // In private: nothing reaches a plain client, and the sender hears no error either.
    alice->sendLine("@+draft/typing=paused TAGMSG carol");
    QVERIFY(alice->waitFor(commandWithParam("TAGMSG", 0, "carol")));
    QVERIFY(alice->receivedNothing());
    QVERIFY(carol->receivedNothing());
    // carol's own TAGMSG is echoed to nobody, her included, but bob gets it.
    carol->sendLine("@+typing=done TAGMSG #lobby");
    QVERIFY(bob->waitFor(commandWithParam("TAGMSG", 0, "#lobby")));
    QVERIFY(carol->receivedNothing());
}

void tst_MessageTags::msgidSameForEveryRecipient()
{
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "message-tags echo-message");
    auto bob = connectWithCaps(server, "bob", "message-tags server-time");
    auto carol = connectWithCaps(server, "carol", "message-tags");
    QVERIFY(alice && bob && carol);
    QVERIFY(settled({alice.get(), bob.get(), carol.get()}));

    QByteArrayList ids;
    for (const QByteArray &text : {QByteArray("first"), QByteArray("second")}) {
        alice->sendLine("PRIVMSG #lobby :" + text);
        const auto echo = alice->waitForCommand("PRIVMSG");
        const auto atBob = bob->waitForCommand("PRIVMSG");
        const auto atCarol = carol->waitForCommand("PRIVMSG");
        QVERIFY(echo && atBob && atCarol);
        const QByteArray id = tagOf(*echo, "msgid");
        QVERIFY(id != "(none)" && !id.isEmpty());
        QCOMPARE(tagOf(*atBob, "msgid"), id);
        QCOMPARE(tagOf(*atCarol, "msgid"), id);
        QVERIFY(atBob->tag("time")); // server-time and message-tags together
        ids << id;
    }
    QVERIFY(ids.at(0) != ids.at(1));
    // A private message: the recipient and the echo share the id too, a new one.
    alice->sendLine("PRIVMSG bob :private");
    const auto echo = alice->waitForCommand("PRIVMSG");
    const auto atBob = bob->waitForCommand("PRIVMSG");
    QVERIFY(echo && atBob);
    QCOMPARE(tagOf(*atBob, "msgid"), tagOf(*echo, "msgid"));
    QVERIFY(!ids.contains(tagOf(*echo, "msgid")));
    // Channel events carry one as well.
    alice->sendLine("TOPIC #lobby :new topic");
    const auto topic = carol->waitForCommand("TOPIC");
    QVERIFY(topic && topic->tag("msgid"));
    // A JOIN, in both of its forms (extended-join or not), is one event with one id.
    auto dave = connectWithCaps(server, "dave", "message-tags extended-join");
    QVERIFY(dave);
    const auto joinAtCarol = carol->waitFor(commandWithParam("JOIN", 0, "#lobby"));
    QVERIFY(joinAtCarol);
    QCOMPARE(joinAtCarol->params.size(), 1);
    QVERIFY(joinAtCarol->tag("msgid"));
    const QList<Message> &daveSeen = dave->received();
    const auto extended = std::find_if(daveSeen.begin(), daveSeen.end(),
                                       [](const Message &m) { return m.command == "JOIN"; });
    QVERIFY(extended != daveSeen.end());
    QCOMPARE(extended->params.size(), 3);
    QCOMPARE(tagOf(*extended, "msgid"), tagOf(*joinAtCarol, "msgid"));
}

void tst_MessageTags::accountTag_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("params"); ///< what the sender sends after the command
    QTest::newRow("PRIVMSG") << QByteArray("PRIVMSG") << QByteArray("#lobby :hello there");
    QTest::newRow("AWAY") << QByteArray("AWAY") << QByteArray(":gone fishing");
    QTest::newRow("SETNAME") << QByteArray("SETNAME") << QByteArray(":Somebody Else");
}

void tst_MessageTags::accountTag()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, params);
    // Everyone hears of AWAY and SETNAME; only the tags they asked for differ.
    const QByteArray notify = " away-notify setname";
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("bob", "correct-horse"));
    auto alice = connectWithCaps(server, "alice", "account-tag" + notify);
    auto bob = connectWithCaps(server, "bob", "sasl", "bob", "correct-horse");
    auto carol = connectWithCaps(server, "carol", "message-tags" + notify);
    auto dave = connectWithCaps(server, "dave", notify.trimmed());
    QVERIFY(alice && bob && carol && dave);
    QVERIFY(settled({alice.get(), bob.get(), carol.get(), dave.get()}));

    bob->sendLine(command + ' ' + params);
    const auto atAlice = alice->waitForCommand(command);
    QVERIFY(atAlice);
    QCOMPARE(atAlice->tags, (QList<protocol::Tag>{{"account", "bob"}})); // account-tag alone: no msgid
    const auto atCarol = carol->waitForCommand(command);
    QVERIFY(atCarol);
    QVERIFY(!atCarol->tag("account"));
    QVERIFY(atCarol->tag("msgid"));
    QCOMPARE(rawUntilSync(*dave), QByteArrayList{":bob!~bob@127.0.0.1 " + command + ' ' + params});

    // A sender who is not logged in: no account tag.
    dave->sendLine(command + ' ' + params);
    const auto anonymous = alice->waitForCommand(command);
    QVERIFY(anonymous);
    QCOMPARE(anonymous->source, QByteArray("dave!~dave@127.0.0.1"));
    QVERIFY(anonymous->tags.isEmpty());
}

void tst_MessageTags::labeledResponses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArrayList>("commands"); ///< the response's commands, BATCH lines apart
    QTest::newRow("no reply: ACK") << QByteArray("@label=a1 PONG :x") << QByteArrayList{"ACK"};
    QTest::newRow("one line") << QByteArray("@label=b2 PING :token") << QByteArrayList{"PONG"};
    QTest::newRow("an error") << QByteArray("@label=c3 PRIVMSG nobody :hi") << QByteArrayList{"401"};
    QTest::newRow("unknown command") << QByteArray("@label=c4 FROB") << QByteArrayList{"421"};
    QTest::newRow("mode query") << QByteArray("@label=d4 MODE #lobby") << QByteArrayList{"324", "329"};
    QTest::newRow("whois") << QByteArray("@label=e5;+other=x WHOIS bob")
                           << QByteArrayList{"311", "319", "312", "671", "317", "318"};
    QTest::newRow("escaped label") << QByteArray("@label=f\\s6 PING :t") << QByteArrayList{"PONG"};
}

void tst_MessageTags::labeledResponses()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArrayList, commands);
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "labeled-response batch");
    auto bob = connectWithCaps(server, "bob", "labeled-response batch message-tags");
    QVERIFY(alice && bob);
    QVERIFY(settled({alice.get(), bob.get()}));

    const QByteArray label = Message::parse(line)->tag("label").value();
    const qsizetype before = alice->received().size();
    alice->sendLine(line);
    QVERIFY(alice->sync());
    QList<Message> response = alice->received().mid(before);
    response.removeLast(); // the PONG of the sync
    QVERIFY(!response.isEmpty());
    if (commands.size() == 1) {
        QCOMPARE(response.size(), 1);
        QCOMPARE(response.at(0).command, commands.at(0));
        QCOMPARE(tagOf(response.at(0), "label"), label);
        if (commands.at(0) == "ACK")
            QCOMPARE(response.at(0).source, QByteArray("irc.test"));
    } else {
        const Message start = response.takeFirst();
        const Message end = response.takeLast();
        QCOMPARE(start.command, QByteArray("BATCH"));
        QCOMPARE(tagOf(start, "label"), label);
        QCOMPARE(start.params.size(), 2);
        QVERIFY(start.params.at(0).startsWith('+'));
        QCOMPARE(start.params.at(1), QByteArray("labeled-response"));
        const QByteArray id = start.params.at(0).mid(1);
        QCOMPARE(end.command, QByteArray("BATCH"));
        QCOMPARE(end.params, QByteArrayList{"-" + id});
        QVERIFY(end.tags.isEmpty());
        QByteArrayList seen;
        for (const Message &m : std::as_const(response)) {
            QCOMPARE(m.tags, (QList<protocol::Tag>{{"batch", id}}));
            seen << m.command;
        }
        QCOMPARE(seen, commands);
    }
    // Unlabelled lines stay unlabelled, and bob (labeled-response too) never sees alice's label.
    alice->sendLine("PING :plain");
    const auto plain = alice->waitFor(commandWithParam("PONG", 1, "plain"));
    QVERIFY(plain && plain->tags.isEmpty());
    QVERIFY(bob->receivedNothing());
}

void tst_MessageTags::labeledEcho()
{
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "labeled-response batch echo-message message-tags");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    QVERIFY(alice && bob);
    QVERIFY(settled({alice.get(), bob.get()}));
    alice->sendLine("@label=pQraCjj82e;+typing=done PRIVMSG #lobby :Hello!");
    const auto echo = alice->waitForCommand("PRIVMSG");
    QVERIFY(echo);
    QCOMPARE(tagOf(*echo, "label"), QByteArray("pQraCjj82e"));
    QCOMPARE(tagOf(*echo, "+typing"), QByteArray("done"));
    const auto relayed = bob->waitForCommand("PRIVMSG");
    QVERIFY(relayed);
    QVERIFY(!relayed->tag("label"));
    QCOMPARE(tagOf(*relayed, "msgid"), tagOf(*echo, "msgid"));
    QVERIFY(alice->receivedNothing()); // the echo was the whole response: no ACK besides
}

void tst_MessageTags::labelNeedsBatch()
{
    // labeled-response depends on batch: without it a label is ignored, and the reply plain.
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "labeled-response");
    QVERIFY(alice);
    alice->sendLine("@label=x PING :t");
    const auto pong = alice->waitFor(commandWithParam("PONG", 1, "t"));
    QVERIFY(pong);
    QVERIFY(pong->tags.isEmpty());
}

void tst_MessageTags::labelTooLong()
{
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "labeled-response batch");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    QVERIFY(alice && bob);
    QVERIFY(settled({alice.get(), bob.get()}));
    // 65 bytes: refused, and the command is not run.
    alice->sendLine("@label=" + QByteArray(65, 'x') + " PRIVMSG #lobby :not sent");
    const auto fail = alice->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->params.mid(0, 2), (QByteArrayList{"PRIVMSG", "INVALID_LABEL"}));
    QVERIFY(fail->tags.isEmpty());
    alice->sendLine("@label= PING :empty");
    const auto empty = alice->waitForCommand("FAIL");
    QVERIFY(empty);
    QCOMPARE(empty->params.mid(0, 2), (QByteArrayList{"PING", "INVALID_LABEL"}));
    QVERIFY(alice->receivedNothing());
    QVERIFY(bob->receivedNothing());
    // 64 bytes is fine.
    const QByteArray longest(64, 'y');
    alice->sendLine("@label=" + longest + " PING :t");
    const auto pong = alice->waitForCommand("PONG");
    QVERIFY(pong);
    QCOMPARE(tagOf(*pong, "label"), longest);
}

void tst_MessageTags::oversizedClientTags()
{
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "message-tags");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    QVERIFY(alice && bob);
    QVERIFY(settled({alice.get(), bob.get()}));
    // Tag data (between '@' and the space) of 4095 bytes: refused whole.
    const QByteArray tooBig = "+big=" + QByteArray(4095 - 5, 'a');
    alice->sendLine("@" + tooBig + " PRIVMSG #lobby :too much");
    const auto error = alice->waitForCommand("417");
    QVERIFY(error);
    QCOMPARE(error->params, (QByteArrayList{"alice", "Input line was too long"}));
    QVERIFY(bob->receivedNothing());
    alice->sendLine("@" + tooBig + " TAGMSG #lobby");
    QVERIFY(alice->waitForCommand("417"));
    QVERIFY(bob->receivedNothing());
    // 4094 bytes: relayed, whole.
    const QByteArray biggest = "+big=" + QByteArray(4094 - 5, 'b');
    alice->sendLine("@" + biggest + " PRIVMSG #lobby :just fits");
    const auto relayed = bob->waitForCommand("PRIVMSG");
    QVERIFY(relayed);
    QCOMPARE(tagOf(*relayed, "+big").size(), 4094 - 5);
    QVERIFY(alice->receivedNothing());
}

void tst_MessageTags::malformedTags_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("no tags after @") << QByteArray("@ PRIVMSG #lobby :x");
    QTest::newRow("empty key") << QByteArray("@=v PRIVMSG #lobby :x");
    QTest::newRow("only the client prefix") << QByteArray("@+ TAGMSG #lobby");
    QTest::newRow("space in key") << QByteArray("@+a\tb=1 TAGMSG #lobby");
    QTest::newRow("tags and nothing else") << QByteArray("@+typing=active");
}

void tst_MessageTags::malformedTags()
{
    QFETCH(QByteArray, line);
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "message-tags");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    QVERIFY(alice && bob);
    QVERIFY(settled({alice.get(), bob.get()}));
    alice->sendLine(line);
    const QByteArrayList seen = rawUntilSync(*alice);
    if (line == "@+typing=active") {
        QCOMPARE(seen, QByteArrayList{}); // an empty message is ignored, as RFC 1459 says
    } else {
        QCOMPARE(seen.size(), 1);
        QVERIFY2(seen.at(0).startsWith(":irc.test 400 alice * :Line rejected: malformed message tags"),
                 seen.at(0).constData());
    }
    QVERIFY(bob->receivedNothing());
    // Still serving.
    alice->sendLine("@+typing=active TAGMSG bob");
    QVERIFY(bob->waitForCommand("TAGMSG"));
}

void tst_MessageTags::tagmsgErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("no target") << QByteArray("@+typing=active TAGMSG") << QByteArray("411")
                               << QByteArray("No recipient given (TAGMSG)");
    QTest::newRow("unknown nick") << QByteArray("@+typing=active TAGMSG nobody") << QByteArray("401")
                                  << QByteArray("nobody");
    QTest::newRow("unknown channel") << QByteArray("@+typing=active TAGMSG #nowhere") << QByteArray("403")
                                     << QByteArray("#nowhere");
    QTest::newRow("+n channel from outside") << QByteArray("@+typing=active TAGMSG #private") << QByteArray("404")
                                             << QByteArray("#private");
    QTest::newRow("too many targets") << QByteArray("TAGMSG a,b,c,d,e") << QByteArray("407")
                                      << QByteArray("a,b,c,d,e");
}

void tst_MessageTags::tagmsgErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    QFETCH(QByteArray, subject);
    TestServer server;
    auto alice = connectWithCaps(server, "alice", "message-tags");
    auto bob = connectWithCaps(server, "bob", "message-tags");
    QVERIFY(alice && bob);
    QVERIFY(settled({alice.get(), bob.get()}));
    bob->sendLine("JOIN #private");
    QVERIFY(bob->waitFor(commandWithParam("366", 1, "#private")));
    bob->skipReceived();
    alice->sendLine(line);
    const auto error = alice->waitForCommand(numeric);
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("alice"));
    QCOMPARE(error->param(1), subject);
    QVERIFY(alice->receivedNothing());
    QVERIFY(bob->receivedNothing());
    alice->sendLine("@+typing=active TAGMSG bob");
    QVERIFY(bob->waitForCommand("TAGMSG"));
}

QTEST_GUILESS_MAIN(tst_MessageTags)
#include "tst_messagetags.moc"
