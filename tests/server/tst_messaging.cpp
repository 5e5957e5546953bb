#include "testserver.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;

namespace {

struct Trio
{
    TestServer server;
    std::unique_ptr<TestIrcClient> alice, bob, carol;
    bool ready()
    {
        alice = server.registeredClient("alice");
        bob = server.registeredClient("bob");
        carol = server.registeredClient("carol");
        if (!alice || !bob || !carol)
            return false;
        // Let the joins settle, then start everyone from a clean slate.
        for (TestIrcClient *c : {alice.get(), bob.get(), carol.get()}) {
            if (!c->sync())
                return false;
            c->skipReceived();
        }
        return true;
    }
};

} // namespace

class tst_Messaging : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void privateMessageReachesOnlyTarget();
    void privateMessageToSelf();
    void multipleTargets();
    void emptyTargetsAreSkipped();
    void noticeIsRelayedWithoutErrors();
    void echoMessage();
    void serverTime();
    void awayReply();
    void messageErrors_data();
    void messageErrors();
    void whois();
    void whoisUnknown();
    void who_data();
    void who();
    void userhostAndIson();
    void invisibleHiddenFromWhoStar();
    void motdLusersVersion();
};

void tst_Messaging::privateMessageReachesOnlyTarget()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("PRIVMSG Bob :psst, just you");
    const auto message = t.bob->waitForCommand("PRIVMSG");
    QVERIFY(message);
    QCOMPARE(message->source, QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(message->params, QByteArrayList({"bob", "psst, just you"}));
    QVERIFY(t.carol->receivedNothing());
    QVERIFY(t.alice->receivedNothing());
}

void tst_Messaging::privateMessageToSelf()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("PRIVMSG alice :note to self");
    const auto message = t.alice->waitForCommand("PRIVMSG");
    QVERIFY(message);
    QCOMPARE(message->param(1), QByteArray("note to self"));
}

void tst_Messaging::multipleTargets()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("PRIVMSG bob,carol,nobody :to both");
    QVERIFY(t.bob->waitFor(commandWithParam("PRIVMSG", 0, "bob")));
    QVERIFY(t.carol->waitFor(commandWithParam("PRIVMSG", 0, "carol")));
    QVERIFY(t.alice->waitFor(commandWithParam("401", 1, "nobody")));
    t.alice->sendLine("PRIVMSG a,b,c,d,e :too many");
    QVERIFY(t.alice->waitForCommand("407"));
    QVERIFY(t.bob->receivedNothing());
}

void tst_Messaging::emptyTargetsAreSkipped()
{
    Trio t;
    QVERIFY(t.ready());
    // Empty names between commas are no targets: they get no error and do not count towards the
    // four a message may have (six names in all here, two of them real).
    t.alice->sendLine("PRIVMSG ,bob,,,,carol, :mind the gaps");
    QVERIFY(t.bob->waitFor(commandWithParam("PRIVMSG", 1, "mind the gaps")));
    QVERIFY(t.carol->waitFor(commandWithParam("PRIVMSG", 1, "mind the gaps")));
    QVERIFY(t.alice->receivedNothing());
    // One real name among them is an ordinary private message.
    t.alice->sendLine("PRIVMSG bob, :just bob");
    const auto message = t.bob->waitForCommand("PRIVMSG");
    QVERIFY(message);
    QCOMPARE(message->params, QByteArrayList({"bob", "just bob"}));
    QVERIFY(t.carol->receivedNothing());
    QVERIFY(t.alice->receivedNothing());
}

void tst_Messaging::noticeIsRelayedWithoutErrors()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("NOTICE #lobby :heads up");
    const auto notice = t.bob->waitForCommand("NOTICE");
    QVERIFY(notice);
    QCOMPARE(notice->params, QByteArrayList({"#lobby", "heads up"}));
    QVERIFY(t.carol->waitForCommand("NOTICE"));
    // RFC 2812 3.3.2: no automatic reply to a NOTICE, not even an error.
    t.alice->sendLine("NOTICE nobody :hello?");
    t.alice->sendLine("NOTICE #nowhere :hello?");
    t.alice->sendLine("NOTICE");
    QVERIFY(t.alice->receivedNothing());
}

void tst_Messaging::echoMessage()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("CAP REQ echo-message");
    QVERIFY(t.alice->waitFor(commandWithParam("CAP", 1, "ACK")));
    t.alice->sendLine("PRIVMSG #lobby :echoed once");
    const auto echo = t.alice->waitForCommand("PRIVMSG");
    QVERIFY(echo);
    QCOMPARE(echo->source, QByteArray("alice!~alice@127.0.0.1"));
    QCOMPARE(echo->params, QByteArrayList({"#lobby", "echoed once"}));
    t.alice->sendLine("PRIVMSG bob :private echo");
    QVERIFY(t.alice->waitFor(commandWithParam("PRIVMSG", 0, "bob")));
    QVERIFY(t.alice->receivedNothing());
}

void tst_Messaging::serverTime()
{
    Trio t;
    QVERIFY(t.ready());
    t.bob->sendLine("CAP REQ server-time");
    QVERIFY(t.bob->waitFor(commandWithParam("CAP", 1, "ACK")));
    // The tag says when the server relayed the message: between sending and receiving it, to the
    // millisecond it carries, however long that took.
    const QDateTime sent = QDateTime::currentDateTimeUtc();
    t.alice->sendLine("PRIVMSG #lobby :what time is it");
    const auto timed = t.bob->waitForCommand("PRIVMSG");
    QVERIFY(timed);
    const QDateTime received = QDateTime::currentDateTimeUtc();
    const auto time = timed->tag("time");
    QVERIFY(time);
    const QDateTime parsed = QDateTime::fromString(QString::fromLatin1(*time), Qt::ISODateWithMs);
    QVERIFY(parsed.isValid());
    QVERIFY2(parsed >= sent.addMSecs(-1) && parsed <= received, time->constData());
    // carol did not ask: same message, no tag.
    const auto plain = t.carol->waitForCommand("PRIVMSG");
    QVERIFY(plain);
    QVERIFY(plain->tags.isEmpty());
    QCOMPARE(plain->params, timed->params);
}

void tst_Messaging::awayReply()
{
    Trio t;
    QVERIFY(t.ready());
    t.bob->sendLine("AWAY :at lunch");
    QVERIFY(t.bob->waitForCommand("306"));
    t.alice->sendLine("PRIVMSG bob :are you there?");
    const auto away = t.alice->waitForCommand("301");
    QVERIFY(away);
    QCOMPARE(away->params.mid(1), QByteArrayList({"bob", "at lunch"}));
    QVERIFY(t.bob->waitForCommand("PRIVMSG")); // the message is still delivered
    t.bob->sendLine("AWAY");
    QVERIFY(t.bob->waitForCommand("305"));
}

void tst_Messaging::messageErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("numeric");
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("no recipient") << QByteArray("PRIVMSG") << QByteArray("411") << QByteArray("No recipient given (PRIVMSG)");
    QTest::newRow("no text") << QByteArray("PRIVMSG bob") << QByteArray("412") << QByteArray("No text to send");
    QTest::newRow("empty text") << QByteArray("PRIVMSG bob :") << QByteArray("412") << QByteArray("No text to send");
    QTest::newRow("unknown nick") << QByteArray("PRIVMSG nobody :hi") << QByteArray("401") << QByteArray("nobody");
    QTest::newRow("unknown channel") << QByteArray("PRIVMSG #nowhere :hi") << QByteArray("403") << QByteArray("#nowhere");
    QTest::newRow("channel not joined") << QByteArray("PRIVMSG #private :hi") << QByteArray("404") << QByteArray("#private");
    QTest::newRow("whois without nick") << QByteArray("WHOIS") << QByteArray("461") << QByteArray("WHOIS");
}

void tst_Messaging::messageErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, numeric);
    QFETCH(QByteArray, subject);
    Trio t;
    QVERIFY(t.ready());
    t.carol->sendLine("JOIN #private");
    QVERIFY(t.carol->waitFor(commandWithParam("366", 1, "#private")));
    t.carol->skipReceived();
    t.alice->sendLine(line);
    const auto error = t.alice->waitForCommand(numeric);
    QVERIFY(error);
    QCOMPARE(error->param(0), QByteArray("alice"));
    QCOMPARE(error->param(1), subject);
    QVERIFY(t.bob->receivedNothing());
    QVERIFY(t.carol->receivedNothing());
    // Still serving the sender.
    t.alice->sendLine("PRIVMSG bob :after the error");
    QVERIFY(t.bob->waitFor(commandWithParam("PRIVMSG", 1, "after the error")));
}

void tst_Messaging::whois()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("WHOIS BOB");
    const auto user = t.alice->waitForCommand("311");
    QVERIFY(user);
    QCOMPARE(user->params.mid(1), QByteArrayList({"bob", "~bob", "127.0.0.1", "*", "Test user bob"}));
    const auto channels = t.alice->waitForCommand("319");
    QVERIFY(channels);
    QCOMPARE(channels->param(2), QByteArray("#lobby"));
    QVERIFY(t.alice->waitForCommand("312"));
    QVERIFY(t.alice->waitForCommand("671"));
    const auto idle = t.alice->waitForCommand("317");
    QVERIFY(idle);
    QVERIFY(idle->param(3).toLongLong() > 1'600'000'000);
    QVERIFY(t.alice->waitFor(commandWithParam("318", 1, "bob")));
}

void tst_Messaging::whoisUnknown()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("WHOIS ghost");
    QVERIFY(t.alice->waitFor(commandWithParam("401", 1, "ghost")));
    QVERIFY(t.alice->waitFor(commandWithParam("318", 1, "ghost")));
}

void tst_Messaging::who_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QByteArrayList>("nicks");
    QTest::newRow("channel") << QByteArray("#lobby") << QByteArrayList{"alice", "bob", "carol"};
    QTest::newRow("nick") << QByteArray("Carol") << QByteArrayList{"carol"};
    QTest::newRow("wildcard") << QByteArray("*o*") << QByteArrayList{"bob", "carol"};
    QTest::newRow("nobody") << QByteArray("zed") << QByteArrayList{};
    QTest::newRow("unknown channel") << QByteArray("#nowhere") << QByteArrayList{};
}

void tst_Messaging::who()
{
    QFETCH(QByteArray, mask);
    QFETCH(QByteArrayList, nicks);
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("WHO " + mask);
    const auto end = t.alice->waitForCommand("315");
    QVERIFY(end);
    QCOMPARE(end->param(1), mask);
    QByteArrayList seen;
    for (const Message &m : t.alice->received()) {
        if (m.command == "352") {
            seen << m.param(5);
            QCOMPARE(m.param(2), "~" + m.param(5));
            QCOMPARE(m.param(3), QByteArray("127.0.0.1"));
            // alice founded #lobby: in its list she is "H@" (here, operator).
            const bool operatorHere = m.param(5) == "alice" && m.param(1) == "#lobby";
            QCOMPARE(m.param(6), QByteArray(operatorHere ? "H@" : "H"));
            QCOMPARE(m.param(7), "0 Test user " + m.param(5));
        }
    }
    std::sort(seen.begin(), seen.end());
    QCOMPARE(seen, nicks);
}

void tst_Messaging::userhostAndIson()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("USERHOST bob ghost carol");
    const auto userhost = t.alice->waitForCommand("302");
    QVERIFY(userhost);
    QCOMPARE(userhost->param(1), QByteArray("bob=+~bob@127.0.0.1 carol=+~carol@127.0.0.1"));
    t.alice->sendLine("ISON :bob ghost CAROL");
    const auto ison = t.alice->waitForCommand("303");
    QVERIFY(ison);
    QCOMPARE(ison->param(1), QByteArray("bob carol"));
}

void tst_Messaging::invisibleHiddenFromWhoStar()
{
    Trio t;
    QVERIFY(t.ready());
    t.bob->sendLine("MODE bob +i");
    const auto mode = t.bob->waitForCommand("MODE");
    QVERIFY(mode);
    QCOMPARE(mode->params, QByteArrayList({"bob", "+i"}));
    t.bob->sendLine("PART #lobby");
    QVERIFY(t.bob->waitForCommand("PART"));
    t.alice->sendLine("WHO *");
    QVERIFY(t.alice->waitForCommand("315"));
    for (const Message &m : t.alice->received())
        QVERIFY(m.command != "352" || m.param(5) != "bob");
}

void tst_Messaging::motdLusersVersion()
{
    Trio t;
    QVERIFY(t.ready());
    t.alice->sendLine("MOTD");
    QVERIFY(t.alice->waitForCommand("375"));
    const auto line = t.alice->waitFor([](const Message &m) {
        return m.command == "372" && m.param(1).contains("/@nick message");
    });
    QVERIFY(line);
    QVERIFY(t.alice->waitForCommand("376"));
    t.alice->sendLine("LUSERS");
    const auto lusers = t.alice->waitForCommand("251");
    QVERIFY(lusers);
    QVERIFY(lusers->param(1).contains("There are 3 users"));
    // A connection still registering counts as unknown until it registers or leaves.
    auto pending = t.server.connectClient();
    pending->sendLine("NICK pending");
    QVERIFY(pending->sync());
    t.alice->sendLine("LUSERS");
    const auto unknown = t.alice->waitForCommand("253");
    QVERIFY(unknown);
    QCOMPARE(unknown->param(1), QByteArray("1"));
    pending->sendLine("QUIT");
    QVERIFY(pending->waitForDisconnected());
    QTRY_COMPARE(t.server.server().connectionCount(), 3);
    t.alice->skipReceived();
    t.alice->sendLine("LUSERS");
    QVERIFY(t.alice->waitForCommand("266"));
    for (const Message &m : t.alice->received().mid(t.alice->received().size() - 6))
        QVERIFY(m.command != "253");
    t.alice->sendLine("VERSION");
    const auto version = t.alice->waitForCommand("351");
    QVERIFY(version);
    QVERIFY(version->param(1).startsWith("tktalk-"));
}

QTEST_MAIN(tst_Messaging)
#include "tst_messaging.moc"
