// What the channel modes do once set: +m and +n decide who speaks, +t who sets the topic, +s who
// learns that the channel exists.

#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::test::ChannelFixture;
using tktalk::test::commandWithParam;
using tktalk::test::seen;

class tst_ChannelRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void moderatedChannel();
    void noExternalMessages();
    void topicLock();
    void secretChannelIsHidden();
    void invisibleMembersHiddenFromOutsiders();
};

void tst_ChannelRules::moderatedChannel()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+mv carol"));
    // bob has no voice: his PRIVMSG is refused with 404, his NOTICE dropped without a word.
    t.bob->sendLine("PRIVMSG #lobby :may I?");
    t.bob->sendLine("NOTICE #lobby :may I?");
    QCOMPARE(seen(*t.bob), QByteArrayList{"404 #lobby"});
    QVERIFY(t.alice->receivedNothing());
    QVERIFY(t.carol->receivedNothing());
    // carol (+v) and alice (+o) speak.
    t.carol->sendLine("PRIVMSG #lobby :voiced");
    QVERIFY(t.carol->receivedNothing());
    QCOMPARE(seen(*t.alice), QByteArrayList{"carol PRIVMSG #lobby voiced"});
    t.alice->sendLine("NOTICE #lobby :operator");
    QVERIFY(t.alice->receivedNothing());
    QCOMPARE(seen(*t.carol), QByteArrayList{"alice NOTICE #lobby operator"});
    QCOMPARE(seen(*t.bob), QByteArrayList({"carol PRIVMSG #lobby voiced", "alice NOTICE #lobby operator"}));
    // Lifting +m lets bob speak again.
    QVERIFY(t.setModes("-m"));
    t.bob->sendLine("PRIVMSG #lobby :thanks");
    QVERIFY(t.bob->receivedNothing());
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob PRIVMSG #lobby thanks"});
}

void tst_ChannelRules::noExternalMessages()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // +n is a new channel's default: dave, outside, is refused.
    t.dave->sendLine("PRIVMSG #lobby :from outside");
    QCOMPARE(seen(*t.dave), QByteArrayList{"404 #lobby"});
    QVERIFY(t.bob->receivedNothing());
    QVERIFY(t.setModes("-n"));
    t.dave->sendLine("PRIVMSG #lobby :from outside");
    QVERIFY(t.dave->receivedNothing());
    for (auto *member : {t.alice.get(), t.bob.get(), t.carol.get()})
        QCOMPARE(seen(*member), QByteArrayList{"dave PRIVMSG #lobby from outside"});
    // Even without +n, +m keeps outsiders quiet.
    QVERIFY(t.setModes("+m"));
    t.dave->sendLine("PRIVMSG #lobby :again");
    QCOMPARE(seen(*t.dave), QByteArrayList{"404 #lobby"});
    QVERIFY(t.bob->receivedNothing());
}

void tst_ChannelRules::topicLock()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // +t is a new channel's default: bob may read the topic but not set it.
    t.bob->sendLine("TOPIC #lobby :bob's topic");
    QCOMPARE(seen(*t.bob), QByteArrayList{"482 #lobby"});
    QVERIFY(t.carol->receivedNothing());
    t.bob->sendLine("TOPIC #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList{"331 #lobby"});
    t.alice->sendLine("TOPIC #lobby :alice's topic");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice TOPIC #lobby alice's topic"});
    QCOMPARE(seen(*t.bob), QByteArrayList{"alice TOPIC #lobby alice's topic"});
    QVERIFY(t.setModes("-t"));
    t.bob->sendLine("TOPIC #lobby :now mine");
    QCOMPARE(seen(*t.bob), QByteArrayList{"bob TOPIC #lobby now mine"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob TOPIC #lobby now mine"});
}

void tst_ChannelRules::secretChannelIsHidden()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+s"));
    // Members see it as before, marked secret ('@') in NAMES.
    t.bob->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.bob), QByteArrayList({"353 @ #lobby @alice bob carol", "366 #lobby"}));
    t.bob->sendLine("LIST");
    QCOMPARE(seen(*t.bob), QByteArrayList({"321 Channel", "322 #lobby 3", "323"}));
    // To dave, outside, the channel does not exist.
    t.dave->sendLine("LIST");
    QCOMPARE(seen(*t.dave), QByteArrayList({"321 Channel", "323"}));
    t.dave->sendLine("LIST #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList({"321 Channel", "323"}));
    t.dave->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList{"366 #lobby"});
    t.dave->sendLine("WHO #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList{"315 #lobby"});
    for (const QByteArray &line : {QByteArray("TOPIC #lobby"), QByteArray("MODE #lobby"), QByteArray("MODE #lobby b"),
                                   QByteArray("KICK #lobby bob"), QByteArray("INVITE carol #lobby"),
                                   QByteArray("PART #lobby")}) {
        t.dave->sendLine(line);
        QCOMPARE(seen(*t.dave), QByteArrayList{"403 #lobby"});
    }
    // NAMES without a channel lists its members among those in no visible channel.
    t.dave->sendLine("NAMES");
    QCOMPARE(seen(*t.dave), QByteArrayList({"353 * * alice bob carol dave", "366 *"}));
    // WHOIS leaves the channel out for dave, not for a fellow member.
    t.dave->sendLine("WHOIS bob");
    const QByteArrayList whois = seen(*t.dave);
    QVERIFY(test::containing(whois, "319").isEmpty());
    QVERIFY(whois.contains("318 bob"));
    t.carol->sendLine("WHOIS bob");
    QVERIFY(seen(*t.carol).contains("319 bob #lobby"));
    // dave still joins it when he knows its name.
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("353", 1, "@")));
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.alice), QByteArrayList{"dave JOIN #lobby"});
}

void tst_ChannelRules::invisibleMembersHiddenFromOutsiders()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    t.bob->sendLine("MODE bob +i");
    QCOMPARE(seen(*t.bob), QByteArrayList{"bob MODE bob +i"});
    // Modern IRC: +i users appear in a channel's NAMES and WHO only to those in the channel.
    t.dave->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList({"353 = #lobby @alice carol", "366 #lobby"}));
    t.dave->sendLine("WHO #lobby");
    const QByteArrayList who = seen(*t.dave);
    QCOMPARE(who.size(), 3);
    QVERIFY(test::containing(who, " bob ").isEmpty());
    t.carol->sendLine("NAMES #lobby");
    QCOMPARE(seen(*t.carol), QByteArrayList({"353 = #lobby @alice bob carol", "366 #lobby"}));
}

QTEST_MAIN(tst_ChannelRules)
#include "tst_channelrules.moc"
