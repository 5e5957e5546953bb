// Channel operators and MODE: who founds a channel, what ISUPPORT announces, the MODE query, changes
// by operators (merged and split as MODES= says), refusals to others, and every bad parameter.

#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ChannelFixture;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;
using tktalk::test::seen;

class tst_ChannelModes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void founderIsOperator();
    void emptyDefaultChannelStartsOver();
    void isupportAnnouncesModes();
    void queryShowsModesAndCreationTime();
    void operatorChangesModes_data();
    void operatorChangesModes();
    void othersAreRefused_data();
    void othersAreRefused();
    void changesAreMerged();
    void changesAreSplitAtModes();
    void nothingChangedNothingSent();
    void operatorAndVoice();
    void badParameters_data();
    void badParameters();
    void multiPrefix();
};

void tst_ChannelModes::founderIsOperator()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    QVERIFY(alice && bob);
    // alice founded #lobby at login; bob, who came second, sees her as its operator.
    const auto lobby = std::find_if(bob->received().begin(), bob->received().end(),
                                    [](const Message &m) { return m.command == "353"; });
    QVERIFY(lobby != bob->received().end());
    QCOMPARE(lobby->param(3), QByteArray("@alice bob"));
    // bob founds #new; alice joins it as an ordinary member.
    bob->sendLine("JOIN #new");
    QVERIFY(bob->waitFor(commandWithParam("366", 1, "#new")));
    alice->sendLine("JOIN #new");
    const auto names = alice->waitFor(commandWithParam("353", 2, "#new"));
    QVERIFY(names);
    QCOMPARE(names->param(3), QByteArray("@bob alice"));
    // No MODE line announces a founder: the JOIN and NAMES say it all, as on other servers.
    QVERIFY(alice->waitFor(commandWithParam("366", 1, "#new")));
    QVERIFY(alice->receivedNothing());
}

void tst_ChannelModes::emptyDefaultChannelStartsOver()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    alice->sendLine("MODE #lobby +mi");
    QVERIFY(alice->waitForCommand("MODE"));
    alice->sendLine("PART #lobby");
    QVERIFY(alice->waitForCommand("PART"));
    // The default channel outlives its members, but not the modes they set: the next one in
    // founds it anew, with a new channel's +nt, and runs it.
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    const auto names = std::find_if(bob->received().begin(), bob->received().end(),
                                    [](const Message &m) { return m.command == "353"; });
    QVERIFY(names != bob->received().end());
    QCOMPARE(names->param(3), QByteArray("@bob"));
    bob->sendLine("MODE #lobby");
    const auto modes = bob->waitForCommand("324");
    QVERIFY(modes);
    QCOMPARE(modes->params.mid(1), QByteArrayList({"#lobby", "+nt"}));
}

void tst_ChannelModes::isupportAnnouncesModes()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    const QByteArrayList tokens = test::isupportTokens(*alice);
    for (const char *token : {"PREFIX=(ov)@+", "CHANMODES=beI,k,l,imnst", "MODES=6", "EXCEPTS=e", "INVEX=I",
                              "EXTBAN=~,a", "ACCOUNTEXTBAN=a", "MAXLIST=b:100,e:100,I:100", "KEYLEN=32",
                              "KICKLEN=255", "TARGMAX=JOIN:,KICK:4,NAMES:1,NOTICE:4,PART:,PRIVMSG:4,TAGMSG:4,WHOIS:1"})
        QVERIFY2(tokens.contains(token), token);
    const auto myInfo = std::find_if(alice->received().begin(), alice->received().end(),
                                     [](const Message &m) { return m.command == "004"; });
    QVERIFY(myInfo != alice->received().end());
    QCOMPARE(myInfo->params.mid(3), QByteArrayList({"iow", "beIiklmnostv", "beIklov"}));
    // Both capabilities of this part of the protocol are offered.
    auto other = server.connectClient();
    const auto caps = other->advertisedCapabilities();
    QVERIFY(caps);
    QVERIFY(caps->contains("multi-prefix"));
    QVERIFY(caps->contains("invite-notify"));
}

void tst_ChannelModes::queryShowsModesAndCreationTime()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.bob->sendLine("MODE #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList({"324 #lobby +nt", "329 #lobby"}));
    const auto created = std::find_if(t.bob->received().begin(), t.bob->received().end(),
                                      [](const Message &m) { return m.command == "329"; });
    QVERIFY(created != t.bob->received().end());
    QVERIFY(created->param(2).toLongLong() > 1'600'000'000);
    t.alice->sendLine("MODE #lobby +kl sesame 10");
    QVERIFY(t.alice->waitForCommand("MODE"));
    // Members see the key; others only that there is one.
    t.bob->sendLine("MODE #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList({"alice MODE #lobby +kl sesame 10", "324 #lobby +klnt sesame 10", "329 #lobby"}));
    t.dave->sendLine("MODE #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList({"324 #lobby +klnt * 10", "329 #lobby"}));
    // Whatever key comes with -k, the key goes, and the MODE line names the one removed.
    t.alice->sendLine("MODE #lobby -kl whatever");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice MODE #lobby -kl sesame"});
    QCOMPARE(seen(*t.bob), QByteArrayList{"alice MODE #lobby -kl sesame"});
}

void tst_ChannelModes::operatorChangesModes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("broadcast");
    QTest::addColumn<QByteArray>("modesAfter");
    QTest::newRow("+i") << QByteArray("MODE #lobby +i") << QByteArray("alice MODE #lobby +i") << QByteArray("+int");
    QTest::newRow("+m") << QByteArray("MODE #lobby +m") << QByteArray("alice MODE #lobby +m") << QByteArray("+mnt");
    QTest::newRow("+s") << QByteArray("MODE #lobby +s") << QByteArray("alice MODE #lobby +s") << QByteArray("+nst");
    QTest::newRow("-n") << QByteArray("MODE #lobby -n") << QByteArray("alice MODE #lobby -n") << QByteArray("+t");
    QTest::newRow("-t") << QByteArray("MODE #lobby -t") << QByteArray("alice MODE #lobby -t") << QByteArray("+n");
    QTest::newRow("+k") << QByteArray("MODE #lobby +k sesame") << QByteArray("alice MODE #lobby +k sesame")
                        << QByteArray("+knt sesame");
    QTest::newRow("+l") << QByteArray("MODE #lobby +l 25") << QByteArray("alice MODE #lobby +l 25")
                        << QByteArray("+lnt 25");
    QTest::newRow("+l with a plus sign") << QByteArray("MODE #lobby +l +7") << QByteArray("alice MODE #lobby +l 7")
                                         << QByteArray("+lnt 7");
    QTest::newRow("+b") << QByteArray("MODE #lobby +b troll") << QByteArray("alice MODE #lobby +b troll!*@*")
                        << QByteArray("+nt");
    QTest::newRow("no sign") << QByteArray("MODE #lobby m") << QByteArray("alice MODE #lobby +m")
                             << QByteArray("+mnt");
}

void tst_ChannelModes::operatorChangesModes()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, broadcast);
    QFETCH(QByteArray, modesAfter);
    ChannelFixture t;
    QVERIFY(t.ready());
    t.alice->sendLine(line);
    // The operator and every member see the change once; the outsider sees nothing.
    for (auto *member : {t.alice.get(), t.bob.get(), t.carol.get()})
        QCOMPARE(seen(*member), QByteArrayList{broadcast});
    QVERIFY(t.dave->receivedNothing());
    t.alice->sendLine("MODE #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList({"324 #lobby " + modesAfter, "329 #lobby"}));
}

void tst_ChannelModes::othersAreRefused_data()
{
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArrayList>("reply");
    const QByteArrayList refused{"482 #lobby"};
    QTest::newRow("member sets a flag") << QByteArray("bob") << QByteArray("MODE #lobby +m") << refused;
    QTest::newRow("member ops itself") << QByteArray("bob") << QByteArray("MODE #lobby +o bob") << refused;
    QTest::newRow("member deops the operator") << QByteArray("bob") << QByteArray("MODE #lobby -o alice") << refused;
    QTest::newRow("member bans") << QByteArray("bob") << QByteArray("MODE #lobby +b alice") << refused;
    QTest::newRow("member sets a key") << QByteArray("bob") << QByteArray("MODE #lobby +k x") << refused;
    QTest::newRow("member sets a limit") << QByteArray("bob") << QByteArray("MODE #lobby +l 2") << refused;
    QTest::newRow("member lifts +t") << QByteArray("bob") << QByteArray("MODE #lobby -t") << refused;
    QTest::newRow("outsider sets a flag") << QByteArray("dave") << QByteArray("MODE #lobby +i") << refused;
    // Queries in the same command are still answered; the changes are not made.
    QTest::newRow("member mixes a query") << QByteArray("bob") << QByteArray("MODE #lobby b+m")
                                          << QByteArrayList{"368 #lobby", "482 #lobby"};
    QTest::newRow("unknown letter by a member") << QByteArray("bob") << QByteArray("MODE #lobby +zm")
                                                << QByteArrayList{"472 z", "482 #lobby"};
}

void tst_ChannelModes::othersAreRefused()
{
    QFETCH(QByteArray, sender);
    QFETCH(QByteArray, line);
    QFETCH(QByteArrayList, reply);
    ChannelFixture t;
    QVERIFY(t.ready());
    test::TestIrcClient &client = sender == "bob" ? *t.bob : *t.dave;
    client.sendLine(line);
    QCOMPARE(seen(client), reply);
    for (auto *other : t.all()) {
        if (other != &client)
            QVERIFY(other->receivedNothing());
    }
    // Nothing changed: the modes, the operators, the bans.
    t.alice->sendLine("MODE #lobby");
    t.alice->sendLine("NAMES #lobby");
    t.alice->sendLine("MODE #lobby b");
    QCOMPARE(seen(*t.alice), QByteArrayList({"324 #lobby +nt", "329 #lobby", "353 = #lobby @alice bob carol",
                                             "366 #lobby", "368 #lobby"}));
}

void tst_ChannelModes::changesAreMerged()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.alice->sendLine("MODE #lobby +ov-t+mk bob carol sesame");
    for (auto *member : {t.alice.get(), t.bob.get(), t.carol.get()})
        QCOMPARE(seen(*member), QByteArrayList{"alice MODE #lobby +ov-t+mk bob carol sesame"});
    QVERIFY(t.dave->receivedNothing());
    t.alice->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList({"353 = #lobby @alice @bob +carol", "366 #lobby"}));
}

void tst_ChannelModes::changesAreSplitAtModes()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // Ten changes, MODES=6: every member sees two lines, the first with six changes.
    t.alice->sendLine("MODE #lobby +bbbbbbb-t+vv a b c d e f g bob carol");
    const QByteArrayList lines{"alice MODE #lobby +bbbbbb a!*@* b!*@* c!*@* d!*@* e!*@* f!*@*",
                               "alice MODE #lobby +b-t+vv g!*@* bob carol"};
    for (auto *member : {t.alice.get(), t.bob.get(), t.carol.get()})
        QCOMPARE(seen(*member), lines);
    t.alice->sendLine("MODE #lobby b");
    const QByteArrayList bans = seen(*t.alice);
    QCOMPARE(bans.size(), 8);
    QCOMPARE(bans.first(), QByteArray("367 #lobby a!*@* alice"));
    QCOMPARE(bans.last(), QByteArray("368 #lobby"));
}

void tst_ChannelModes::nothingChangedNothingSent()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // Already so: +n and +t are set, alice is an operator, there is no key, no limit, no such ban.
    t.alice->sendLine("MODE #lobby +nt+o-kl-b alice x troll");
    for (auto *client : t.all())
        QVERIFY(client->receivedNothing());
}

void tst_ChannelModes::operatorAndVoice()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // Each sender syncs first: then the others' round trips come after what it caused.
    t.alice->sendLine("MODE #lobby +v carol");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice MODE #lobby +v carol"});
    QCOMPARE(seen(*t.bob), QByteArrayList{"alice MODE #lobby +v carol"});
    t.alice->sendLine("MODE #lobby +o bob");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice MODE #lobby +o bob"});
    QCOMPARE(seen(*t.bob), QByteArrayList{"alice MODE #lobby +o bob"});
    QCOMPARE(seen(*t.carol), QByteArrayList({"alice MODE #lobby +v carol", "alice MODE #lobby +o bob"}));
    // bob now runs the channel too: he takes alice's status and sets a mode.
    t.bob->sendLine("MODE #lobby -o+m alice");
    QCOMPARE(seen(*t.bob), QByteArrayList{"bob MODE #lobby -o+m alice"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob MODE #lobby -o+m alice"});
    t.alice->sendLine("MODE #lobby -m");
    QCOMPARE(seen(*t.alice), QByteArrayList({"bob MODE #lobby -o+m alice", "482 #lobby"}));
    QVERIFY(t.dave->receivedNothing());
    t.bob->sendLine("WHO #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList({"352 #lobby ~alice 127.0.0.1 irc.test alice H 0 Test user alice",
                                           "352 #lobby ~bob 127.0.0.1 irc.test bob H@ 0 Test user bob",
                                           "352 #lobby ~carol 127.0.0.1 irc.test carol H+ 0 Test user carol",
                                           "315 #lobby"}));
    // WHOIS shows each channel with the member's highest prefix.
    t.dave->sendLine("WHOIS bob");
    QVERIFY(t.dave->waitFor(commandWithParam("319", 2, "@#lobby")));
}

void tst_ChannelModes::badParameters_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArrayList>("reply");
    QTest::newRow("unknown letter") << QByteArray("MODE #lobby +z") << QByteArrayList{"472 z"};
    QTest::newRow("unknown letters once each") << QByteArray("MODE #lobby +zyz") << QByteArrayList{"472 z", "472 y"};
    QTest::newRow("limit not a number") << QByteArray("MODE #lobby +l many") << QByteArrayList{"696 #lobby l many"};
    QTest::newRow("limit zero") << QByteArray("MODE #lobby +l 0") << QByteArrayList{"696 #lobby l 0"};
    QTest::newRow("limit negative") << QByteArray("MODE #lobby +l -5") << QByteArrayList{"696 #lobby l -5"};
    QTest::newRow("limit huge") << QByteArray("MODE #lobby +l 99999999999") << QByteArrayList{"696 #lobby l 99999999999"};
    QTest::newRow("limit past the largest") << QByteArray("MODE #lobby +l 100001") << QByteArrayList{"696 #lobby l 100001"};
    QTest::newRow("limit missing") << QByteArray("MODE #lobby +l") << QByteArrayList{"696 #lobby l *"};
    QTest::newRow("key missing") << QByteArray("MODE #lobby +k") << QByteArrayList{"696 #lobby k *"};
    QTest::newRow("key with a comma") << QByteArray("MODE #lobby +k a,b") << QByteArrayList{"696 #lobby k a,b"};
    QTest::newRow("key with a space") << QByteArray("MODE #lobby +k :a b") << QByteArrayList{"696 #lobby k *"};
    QTest::newRow("key too long") << "MODE #lobby +k " + QByteArray(33, 'k')
                                  << QByteArrayList{"696 #lobby k " + QByteArray(33, 'k')};
    QTest::newRow("op missing nick") << QByteArray("MODE #lobby +o") << QByteArrayList{"696 #lobby o *"};
    QTest::newRow("op nobody") << QByteArray("MODE #lobby +o ghost") << QByteArrayList{"401 ghost"};
    QTest::newRow("op a non-member") << QByteArray("MODE #lobby +v dave") << QByteArrayList{"441 dave #lobby"};
    QTest::newRow("bad ban mask") << QByteArray("MODE #lobby +b :a b") << QByteArrayList{"696 #lobby b *"};
    QTest::newRow("ban mask too long") << "MODE #lobby +b " + QByteArray(161, 'x')
                                       << QByteArrayList{"696 #lobby b " + QByteArray(161, 'x')};
    QTest::newRow("account extban without account") << QByteArray("MODE #lobby +b ~a:")
                                                    << QByteArrayList{"696 #lobby b ~a:"};
    QTest::newRow("unknown extban") << QByteArray("MODE #lobby +b ~q:x") << QByteArrayList{"696 #lobby b ~q:x"};
    QTest::newRow("no such channel") << QByteArray("MODE #nowhere +m") << QByteArrayList{"403 #nowhere"};
    QTest::newRow("no parameters") << QByteArray("MODE") << QByteArrayList{"461 MODE"};
    // The good changes of a command still happen around a bad one.
    QTest::newRow("good and bad") << QByteArray("MODE #lobby +lm zero")
                                  << QByteArrayList{"696 #lobby l zero", "alice MODE #lobby +m"};
}

void tst_ChannelModes::badParameters()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArrayList, reply);
    ChannelFixture t;
    QVERIFY(t.ready());
    t.alice->sendLine(line);
    QCOMPARE(seen(*t.alice), reply);
    // Members see only a change that was made; the outsider nothing.
    const QByteArrayList changes = test::containing(reply, "alice MODE");
    QCOMPARE(seen(*t.bob), changes);
    QCOMPARE(seen(*t.carol), changes);
    QVERIFY(t.dave->receivedNothing());
    // The server still serves alice.
    t.alice->sendLine("PRIVMSG #lobby :still here");
    QVERIFY(t.bob->waitFor(commandWithParam("PRIVMSG", 1, "still here")));
}

void tst_ChannelModes::multiPrefix()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.alice->sendLine("MODE #lobby +vo bob bob");
    QVERIFY(t.alice->waitForCommand("MODE"));
    t.carol->sendLine("CAP REQ multi-prefix");
    QVERIFY(t.carol->waitFor(commandWithParam("CAP", 1, "ACK")));
    QVERIFY(t.bob->sync());
    t.bob->skipReceived();
    t.carol->skipReceived();
    // Without the capability, only the highest prefix; with it, every one, highest first.
    t.bob->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList({"353 = #lobby @alice @bob carol", "366 #lobby"}));
    t.carol->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.carol), QByteArrayList({"353 = #lobby @alice @+bob carol", "366 #lobby"}));
    t.carol->sendLine("WHO #lobby");
    const QByteArrayList who = seen(*t.carol);
    QCOMPARE(who.size(), 4);
    QCOMPARE(who.at(1), QByteArray("352 #lobby ~bob 127.0.0.1 irc.test bob H@+ 0 Test user bob"));
    // With userhost-in-names as well, the prefixes come before nick!user@host.
    t.carol->sendLine("CAP REQ userhost-in-names");
    QVERIFY(t.carol->waitFor(commandWithParam("CAP", 1, "ACK")));
    t.carol->sendLine("NAMES #lobby");
    const auto names = t.carol->waitForCommand("353");
    QVERIFY(names);
    QCOMPARE(names->param(3),
             QByteArray("@alice!~alice@127.0.0.1 @+bob!~bob@127.0.0.1 carol!~carol@127.0.0.1"));
}

QTEST_MAIN(tst_ChannelModes)
#include "tst_channelmodes.moc"
