// MONITOR: lists of watched nicks, and the 730/731 notices when they come and go.

#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::seen;
using tktalk::test::TestServer;

class tst_Monitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addReportsStatus();
    void signOnNickChangeAndQuit();
    void casemapped();
    void guestRenameSignsOff();
    void removeClearAndList();
    void status();
    void fullList();
    void badInput_data();
    void badInput();
    void watcherLeaves();
    void beforeRegistration();
};

void tst_Monitor::addReportsStatus()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->sync() && bob->sync());
    alice->sendLine("MONITOR + bob,nobody");
    const auto online = alice->waitForCommand("730");
    QVERIFY(online);
    QCOMPARE(online->params, (QByteArrayList{"alice", "bob!~bob@127.0.0.1"}));
    const auto offline = alice->waitForCommand("731");
    QVERIFY(offline);
    QCOMPARE(offline->params, (QByteArrayList{"alice", "nobody"}));
    // Adding again adds nothing, but answers with the status again.
    alice->sendLine("MONITOR + bob");
    QCOMPARE(seen(*alice), QByteArrayList{"730 bob!~bob@127.0.0.1"});
    alice->sendLine("MONITOR L");
    QCOMPARE(seen(*alice), (QByteArrayList{"732 bob,nobody", "733"}));
    QCOMPARE(seen(*bob), QByteArrayList{});
}

void tst_Monitor::signOnNickChangeAndQuit()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->sync());
    alice->sendLine("MONITOR + carol,carol2");
    QCOMPARE(seen(*alice), QByteArrayList{"731 carol,carol2"});

    auto carol = server.registeredClient("carol");
    QVERIFY(carol);
    const auto signOn = alice->waitForCommand("730");
    QVERIFY(signOn);
    QCOMPARE(signOn->params, (QByteArrayList{"alice", "carol!~carol@127.0.0.1"}));
    QVERIFY(carol->sync());
    QCOMPARE(seen(*alice), QByteArrayList{"carol JOIN #lobby"});

    carol->sendLine("NICK carol2");
    QVERIFY(carol->waitForCommand("NICK"));
    QCOMPARE(seen(*alice), (QByteArrayList{"carol NICK carol2", "731 carol", "730 carol2!~carol@127.0.0.1"}));

    carol->sendLine("QUIT :bye");
    QVERIFY(carol->waitForError());
    QCOMPARE(alice->waitForCommand("731")->params, (QByteArrayList{"alice", "carol2"}));
    // bob watches nobody: he sees what the channel shows, never a 73x.
    const QByteArrayList bobSaw = seen(*bob);
    QVERIFY(test::containing(bobSaw, "73").isEmpty());
    QCOMPARE(bobSaw, (QByteArrayList{"carol JOIN #lobby", "carol NICK carol2", "carol2 QUIT Quit: bye"}));
}

void tst_Monitor::casemapped()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    alice->sendLine("MONITOR + CAROL[1]");
    QCOMPARE(seen(*alice), QByteArrayList{"731 CAROL[1]"});
    auto carol = server.registeredClient("carol{1}");
    QVERIFY(carol);
    QCOMPARE(alice->waitForCommand("730")->params.last(), QByteArray("carol{1}!~carol1@127.0.0.1"));
    QCOMPARE(seen(*alice), QByteArrayList{"carol{1} JOIN #lobby"});
    // A change of case alone is not a sign-off.
    carol->sendLine("NICK Carol{1}");
    QVERIFY(carol->waitForCommand("NICK"));
    QCOMPARE(seen(*alice), (QByteArrayList{"carol{1} NICK Carol{1}", "730 Carol{1}!~carol1@127.0.0.1"}));
    alice->sendLine("MONITOR - carol{1}");
    alice->sendLine("MONITOR L");
    QCOMPARE(seen(*alice), QByteArrayList{"733"});
}

void tst_Monitor::guestRenameSignsOff()
{
    // A registered nick held by someone not logged in to it is renamed after the grace period: for
    // those who watch it, its holder signs off.
    server::ServerConfig config = test::accountsTestConfig();
    config.nickGraceMs = 300;
    TestServer server(config);
    QVERIFY(server.addAccount("alice", "correct-horse"));
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("MONITOR + alice");
    QCOMPARE(seen(*bob), QByteArrayList{"731 alice"});
    auto squatter = server.registeredClient("alice");
    QVERIFY(squatter);
    QCOMPARE(bob->waitForCommand("730")->params.last(), QByteArray("alice!~alice@127.0.0.1"));
    const auto rename = squatter->waitForCommand("NICK");
    QVERIFY(rename);
    const auto signOff = bob->waitForCommand("731");
    QVERIFY(signOff);
    QCOMPARE(signOff->params.last(), QByteArray("alice"));
    QVERIFY(test::containing(seen(*bob), "73").isEmpty()); // nothing about the guest nick
}

void tst_Monitor::removeClearAndList()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    alice->sendLine("MONITOR + ann,ben,cat");
    QCOMPARE(seen(*alice), QByteArrayList{"731 ann,ben,cat"});
    alice->sendLine("MONITOR - ben,nobody");
    QCOMPARE(seen(*alice), QByteArrayList{});
    alice->sendLine("MONITOR L");
    QCOMPARE(seen(*alice), (QByteArrayList{"732 ann,cat", "733"}));
    alice->sendLine("MONITOR C");
    QCOMPARE(seen(*alice), QByteArrayList{});
    alice->sendLine("MONITOR l");
    QCOMPARE(seen(*alice), QByteArrayList{"733"});
    // Nobody removed is watched any more.
    auto ben = server.registeredClient("ben");
    auto ann = server.registeredClient("ann");
    QVERIFY(ben && ann);
    QVERIFY(ann->sync());
    QCOMPARE(seen(*alice), (QByteArrayList{"ben JOIN #lobby", "ann JOIN #lobby"}));
}

void tst_Monitor::status()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->sync());
    alice->sendLine("MONITOR S");
    QCOMPARE(seen(*alice), QByteArrayList{}); // an empty list has no status
    alice->sendLine("MONITOR + bob,zed");
    QVERIFY(alice->sync());
    alice->sendLine("MONITOR S");
    QCOMPARE(seen(*alice), (QByteArrayList{"730 bob!~bob@127.0.0.1", "731 zed"}));
}

void tst_Monitor::fullList()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QByteArrayList hundred;
    for (int i = 0; i < 100; ++i)
        hundred << "n" + QByteArray::number(i);
    alice->sendLine("MONITOR + " + hundred.join(','));
    QVERIFY(alice->sync());
    alice->sendLine("MONITOR + bob,extra");
    QCOMPARE(seen(*alice), QByteArrayList{"734 100 bob,extra"});
    // One already in the list is no addition, full or not.
    alice->sendLine("MONITOR + N5");
    QCOMPARE(seen(*alice), QByteArrayList{"731 N5"});
    // With one place free, the first fits and the rest are refused.
    alice->sendLine("MONITOR - n0");
    alice->sendLine("MONITOR + bob,extra,more");
    QCOMPARE(seen(*alice), (QByteArrayList{"734 100 extra,more", "730 bob!~bob@127.0.0.1"}));
    alice->sendLine("MONITOR L");
    const auto list = alice->sync();
    QVERIFY(list);
    QByteArrayList listed;
    for (const Message &m : *list) {
        if (m.command == "732")
            listed += m.params.last().split(',');
    }
    QCOMPARE(listed.size(), 100);
    QVERIFY(listed.contains("bob") && !listed.contains("n0") && !listed.contains("extra"));
    QCOMPARE(list->last().command, QByteArray("733"));
    QCOMPARE(seen(*bob), QByteArrayList{});
}

void tst_Monitor::badInput_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArrayList>("replies");
    QTest::newRow("no parameters") << QByteArray("MONITOR") << QByteArrayList{"461 MONITOR"};
    QTest::newRow("no targets") << QByteArray("MONITOR +") << QByteArrayList{"461 MONITOR"};
    QTest::newRow("only commas") << QByteArray("MONITOR - ,,,") << QByteArrayList{"461 MONITOR"};
    QTest::newRow("unknown modifier") << QByteArray("MONITOR X bob")
                                      << QByteArrayList{"irc.test FAIL MONITOR INVALID_PARAMS X "
                                                        "Unknown MONITOR modifier; use +, -, C, L or S"};
    QTest::newRow("two modifiers") << QByteArray("MONITOR +- bob")
                                   << QByteArrayList{"irc.test FAIL MONITOR INVALID_PARAMS +- "
                                                     "Unknown MONITOR modifier; use +, -, C, L or S"};
    QTest::newRow("bad nicks") << QByteArray("MONITOR + 1bad,good,#chan,way-too-long-nickname-for-this-server-x")
                               << QByteArrayList{"irc.test WARN MONITOR INVALID_PARAMS "
                                                 "1bad,#chan,way-too-long-nickname-for-this-server-x "
                                                 "Not valid nicknames, so not monitored",
                                                 "731 good"};
}

void tst_Monitor::badInput()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArrayList, replies);
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    QVERIFY(alice->sync() && bob->sync());
    alice->sendLine(line);
    QCOMPARE(seen(*alice), replies);
    QCOMPARE(seen(*bob), QByteArrayList{});
    // Only valid nicks made it into the list, and the server still serves.
    alice->sendLine("MONITOR L");
    const QByteArrayList listed = seen(*alice);
    QCOMPARE(listed.last(), QByteArray("733"));
    QVERIFY(!listed.join(' ').contains("bad"));
}

void tst_Monitor::watcherLeaves()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    alice->sendLine("MONITOR + carol,bob");
    QVERIFY(alice->sync());
    alice->sendLine("QUIT");
    QVERIFY(alice->waitForDisconnected());
    // The watcher is gone from every list: these sign-ons and sign-offs reach nobody.
    auto carol = server.registeredClient("carol");
    QVERIFY(carol);
    bob->sendLine("QUIT");
    QVERIFY(bob->waitForDisconnected());
    QCOMPARE(seen(*carol), QByteArrayList{"bob QUIT Quit:"});
    carol->sendLine("MONITOR + carol");
    QCOMPARE(seen(*carol), QByteArrayList{"730 carol!~carol@127.0.0.1"});
}

void tst_Monitor::beforeRegistration()
{
    TestServer server;
    auto client = server.connectClient();
    client->sendLine("MONITOR + bob");
    const auto refused = client->waitForCommand("451");
    QVERIFY(refused);
    QVERIFY(client->registerAs("alice"));
}

QTEST_MAIN(tst_Monitor)
#include "tst_monitor.moc"
