// KICK and INVITE by channel operators, and the joins that +i, +k and +l refuse (473, 475, 471).

#include "channel.h"
#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ChannelFixture;
using tktalk::test::TestIrcClient;
using tktalk::test::commandWithParam;
using tktalk::test::seen;

class tst_KickInvite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void operatorKicks();
    void kickSeveral();
    void kickErrors_data();
    void kickErrors();
    void inviteOnlyChannel();
    void inviteNotify();
    void inviteList();
    void inviteErrors_data();
    void inviteErrors();
    void keyedChannel();
    void limitedChannel();
};

void tst_KickInvite::operatorKicks()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.alice->sendLine("KICK #lobby bob :behave");
    // Everyone in the channel sees it, bob included; the outsider does not.
    for (auto *client : {t.alice.get(), t.bob.get(), t.carol.get()})
        QCOMPARE(seen(*client), QByteArrayList{"alice KICK #lobby bob behave"});
    QVERIFY(t.dave->receivedNothing());
    // bob is out: the channel is +n, so he cannot speak in it, and carol hears nothing more of him.
    t.bob->sendLine("PRIVMSG #lobby :hey");
    QCOMPARE(seen(*t.bob), QByteArrayList{"404 #lobby"});
    QVERIFY(t.carol->receivedNothing());
    t.alice->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList({"353 = #lobby @alice carol", "366 #lobby"}));
    // Without a reason, the kicker's nick is the reason; he may come back.
    t.bob->sendLine("JOIN #lobby");
    QVERIFY(t.bob->waitFor(commandWithParam("366", 1, "#lobby")));
    QVERIFY(t.settle());
    t.alice->sendLine("KICK #lobby bob");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice KICK #lobby bob alice"});
}

void tst_KickInvite::kickSeveral()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // One KICK line per nick (modern IRC: never several nicks in one KICK sent to clients).
    t.alice->sendLine("KICK #lobby bob,ghost,dave,carol :out");
    QCOMPARE(seen(*t.alice), QByteArrayList({"alice KICK #lobby bob out", "401 ghost", "441 dave #lobby",
                                             "alice KICK #lobby carol out"}));
    QCOMPARE(seen(*t.carol), QByteArrayList({"alice KICK #lobby bob out", "alice KICK #lobby carol out"}));
    // An operator who kicks herself leaves an empty channel; #lobby, the default channel, stays.
    t.alice->sendLine("KICK #lobby alice");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice KICK #lobby alice alice"});
    QVERIFY(t.server.server().registry().findChannel("#lobby"));
    QVERIFY(t.server.server().registry().findChannel("#lobby")->isEmpty());
}

void tst_KickInvite::kickErrors_data()
{
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("reply");
    QTest::newRow("not an operator") << QByteArray("bob") << QByteArray("KICK #lobby carol") << QByteArray("482 #lobby");
    QTest::newRow("not an operator, kicks the operator") << QByteArray("bob") << QByteArray("KICK #lobby alice :bye")
                                                         << QByteArray("482 #lobby");
    QTest::newRow("not a member") << QByteArray("dave") << QByteArray("KICK #lobby bob") << QByteArray("442 #lobby");
    QTest::newRow("no such channel") << QByteArray("alice") << QByteArray("KICK #nowhere bob") << QByteArray("403 #nowhere");
    QTest::newRow("no such nick") << QByteArray("alice") << QByteArray("KICK #lobby ghost") << QByteArray("401 ghost");
    QTest::newRow("nick not in the channel") << QByteArray("alice") << QByteArray("KICK #lobby dave")
                                             << QByteArray("441 dave #lobby");
    QTest::newRow("no nick") << QByteArray("alice") << QByteArray("KICK #lobby") << QByteArray("461 KICK");
}

void tst_KickInvite::kickErrors()
{
    QFETCH(QByteArray, sender);
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, reply);
    ChannelFixture t;
    QVERIFY(t.ready());
    TestIrcClient &client = sender == "alice" ? *t.alice : sender == "bob" ? *t.bob : *t.dave;
    client.sendLine(line);
    QCOMPARE(seen(client), QByteArrayList{reply});
    for (auto *other : t.all()) {
        if (other != &client)
            QVERIFY(other->receivedNothing());
    }
    t.alice->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList({"353 = #lobby @alice bob carol", "366 #lobby"}));
}

void tst_KickInvite::inviteOnlyChannel()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+i"));
    t.dave->sendLine("JOIN #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList{"473 #lobby"});
    QVERIFY(t.alice->receivedNothing());
    // Under +i, only operators invite.
    t.bob->sendLine("INVITE dave #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList{"482 #lobby"});
    QVERIFY(t.dave->receivedNothing());
    t.alice->sendLine("INVITE dave #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList{"341 dave #lobby"});
    QCOMPARE(seen(*t.dave), QByteArrayList{"alice INVITE dave #lobby"});
    QVERIFY(t.bob->receivedNothing()); // no invite-notify asked for
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave JOIN #lobby"});
    // The invitation is used up: once out, dave needs another.
    QVERIFY(t.settle());
    t.dave->sendLine("PART #lobby");
    t.dave->sendLine("JOIN #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList({"dave PART #lobby", "473 #lobby"}));
}

void tst_KickInvite::inviteNotify()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.carol->sendLine("CAP REQ invite-notify");
    QCOMPARE(seen(*t.carol), QByteArrayList{"irc.test CAP carol ACK invite-notify"});
    // An open channel: any member may invite, so members with invite-notify hear of it.
    t.bob->sendLine("INVITE dave #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList{"341 dave #lobby"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob INVITE dave #lobby"});
    QVERIFY(t.alice->receivedNothing());
    QCOMPARE(seen(*t.dave), QByteArrayList{"bob INVITE dave #lobby"});
    // Under +i only operators may invite, so only operators hear of it.
    QVERIFY(t.setModes("+i"));
    t.alice->sendLine("INVITE dave #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList{"341 dave #lobby"});
    QVERIFY(t.carol->receivedNothing());
    QVERIFY(t.setModes("+o carol"));
    t.alice->sendLine("INVITE dave #lobby");
    QCOMPARE(seen(*t.alice), QByteArrayList{"341 dave #lobby"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"alice INVITE dave #lobby"});
}

void tst_KickInvite::inviteList()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.dave->sendLine("INVITE");
    QCOMPARE(seen(*t.dave), QByteArrayList{"337"});
    t.bob->sendLine("JOIN #other");
    QVERIFY(t.bob->waitFor(commandWithParam("366", 1, "#other")));
    t.bob->sendLine("INVITE dave #other");
    QVERIFY(t.bob->waitForCommand("341"));
    t.alice->sendLine("INVITE dave #lobby");
    QVERIFY(t.alice->waitForCommand("341"));
    t.dave->sendLine("INVITE");
    QCOMPARE(seen(*t.dave), QByteArrayList({"bob INVITE dave #other", "alice INVITE dave #lobby", "336 #other",
                                            "336 #lobby", "337"}));
    // An invitation ends with its channel: a new #other is another channel.
    t.bob->sendLine("PART #other");
    QVERIFY(t.bob->waitFor(commandWithParam("PART", 0, "#other")));
    t.carol->sendLine("JOIN #other");
    QVERIFY(t.carol->waitFor(commandWithParam("366", 1, "#other")));
    t.dave->sendLine("INVITE");
    QCOMPARE(seen(*t.dave), QByteArrayList({"336 #lobby", "337"}));
}

void tst_KickInvite::inviteErrors_data()
{
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("reply");
    QTest::newRow("no such nick") << QByteArray("bob") << QByteArray("INVITE ghost #lobby") << QByteArray("401 ghost");
    QTest::newRow("no such channel") << QByteArray("bob") << QByteArray("INVITE dave #nowhere") << QByteArray("403 #nowhere");
    QTest::newRow("not a member") << QByteArray("dave") << QByteArray("INVITE dave #lobby") << QByteArray("442 #lobby");
    QTest::newRow("already there") << QByteArray("bob") << QByteArray("INVITE carol #lobby") << QByteArray("443 carol #lobby");
    QTest::newRow("no channel") << QByteArray("bob") << QByteArray("INVITE dave") << QByteArray("461 INVITE");
}

void tst_KickInvite::inviteErrors()
{
    QFETCH(QByteArray, sender);
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, reply);
    ChannelFixture t;
    QVERIFY(t.ready());
    TestIrcClient &client = sender == "bob" ? *t.bob : *t.dave;
    client.sendLine(line);
    QCOMPARE(seen(client), QByteArrayList{reply});
    for (auto *other : t.all()) {
        if (other != &client)
            QVERIFY(other->receivedNothing());
    }
}

void tst_KickInvite::keyedChannel()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+k sesame"));
    t.dave->sendLine("JOIN #lobby");
    t.dave->sendLine("JOIN #lobby wrong");
    QCOMPARE(seen(*t.dave), QByteArrayList({"475 #lobby", "475 #lobby"}));
    QVERIFY(t.alice->receivedNothing());
    // Keys go with channels in order: #open takes none, #lobby takes the second.
    t.dave->sendLine("JOIN #open,#lobby x,sesame");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.alice), QByteArrayList{"dave JOIN #lobby"});
    // An invitation stands for the key. (erin's join at login, without a key, is refused.)
    auto erin = t.server.connectClient();
    QVERIFY(erin->registerAs("erin", false));
    QVERIFY(erin->waitFor(commandWithParam("475", 1, "#lobby")));
    t.alice->sendLine("INVITE erin #lobby");
    QVERIFY(erin->waitForCommand("INVITE"));
    erin->sendLine("JOIN #lobby");
    QVERIFY(erin->waitFor(commandWithParam("366", 1, "#lobby")));
}

void tst_KickInvite::limitedChannel()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+l 3"));
    t.dave->sendLine("JOIN #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList{"471 #lobby"});
    QVERIFY(t.alice->receivedNothing());
    // Operators may invite past the limit.
    t.alice->sendLine("INVITE dave #lobby");
    QVERIFY(t.alice->waitForCommand("341"));
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave JOIN #lobby"});
    // With room again, anyone joins.
    QVERIFY(t.setModes("+l 10"));
    t.carol->sendLine("PART #lobby");
    t.carol->sendLine("JOIN #lobby");
    QVERIFY(t.carol->waitFor(commandWithParam("366", 1, "#lobby")));
}

QTEST_MAIN(tst_KickInvite)
#include "tst_kickinvite.moc"
