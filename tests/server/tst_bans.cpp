// Bans (+b) by mask and by account (~a:), their exceptions (+e, +I), and what a ban does to a member:
// no speaking, no nick change to dodge it.

#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ChannelFixture;
using tktalk::test::commandWithParam;
using tktalk::test::seen;

class tst_Bans : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void banKeepsOut_data();
    void banKeepsOut();
    void banListIsShown();
    void unbanLetsIn();
    void bannedMemberCannotSpeak();
    void bannedMemberCannotDodgeByNick();
    void banByAccount();
    void exceptionOverridesBan();
    void inviteException();
    void listIsCapped();
};

void tst_Bans::banKeepsOut_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::newRow("nick") << QByteArray("dave");
    QTest::newRow("nick, other case") << QByteArray("DAVE");
    QTest::newRow("nick wildcard") << QByteArray("d?v*!*@*");
    QTest::newRow("user") << QByteArray("*!~dave@*");
    QTest::newRow("host") << QByteArray("*@127.0.0.*");
}

void tst_Bans::banKeepsOut()
{
    QFETCH(QByteArray, mask);
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+b " + mask));
    t.dave->sendLine("JOIN #lobby");
    QCOMPARE(seen(*t.dave), QByteArrayList{"474 #lobby"});
    for (auto *member : {t.alice.get(), t.bob.get(), t.carol.get()})
        QVERIFY(member->receivedNothing());
    // Others still join: a new client that the mask does not match.
    if (!mask.contains('@')) {
        auto erin = t.server.registeredClient("erin");
        QVERIFY(erin);
        QCOMPARE(seen(*t.alice), QByteArrayList{"erin JOIN #lobby"});
    }
}

void tst_Bans::banListIsShown()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+bb troll ~a:spammer"));
    // Anyone may read the list of a channel that is not secret: members and outsiders alike.
    const QByteArrayList list{"367 #lobby troll!*@* alice", "367 #lobby ~a:spammer alice", "368 #lobby"};
    t.bob->sendLine("MODE #lobby b");
    QCOMPARE(seen(*t.bob), list);
    t.dave->sendLine("MODE #lobby +b");
    QCOMPARE(seen(*t.dave), list);
    // Each entry says when it was set.
    const auto entry = t.dave->received().at(t.dave->received().size() - 4);
    QCOMPARE(entry.command, QByteArray("367"));
    QVERIFY(entry.param(4).toLongLong() > 1'600'000'000);
    // Asking twice in one command answers once.
    t.bob->sendLine("MODE #lobby bb");
    QCOMPARE(seen(*t.bob), list);
}

void tst_Bans::unbanLetsIn()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+b Dave"));
    // Removed by another spelling; the MODE line shows the entry as it was listed.
    t.alice->sendLine("MODE #lobby -b DAVE!*@*");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice MODE #lobby -b Dave!*@*"});
    QCOMPARE(seen(*t.bob), QByteArrayList{"alice MODE #lobby -b Dave!*@*"});
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.carol), QByteArrayList({"alice MODE #lobby -b Dave!*@*", "dave JOIN #lobby"}));
    t.alice->sendLine("MODE #lobby b");
    QCOMPARE(seen(*t.alice), QByteArrayList({"dave JOIN #lobby", "368 #lobby"}));
}

void tst_Bans::bannedMemberCannotSpeak()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+b bob"));
    // bob stays in, but is not heard: 404 for PRIVMSG, silence for NOTICE.
    t.bob->sendLine("PRIVMSG #lobby :let me talk");
    t.bob->sendLine("NOTICE #lobby :let me talk");
    QCOMPARE(seen(*t.bob), QByteArrayList{"404 #lobby"});
    QVERIFY(t.alice->receivedNothing());
    QVERIFY(t.carol->receivedNothing());
    // Voice lets a banned member speak (as on InspIRCd and ngircd).
    QVERIFY(t.setModes("+v bob"));
    t.bob->sendLine("PRIVMSG #lobby :voiced now");
    QVERIFY(t.bob->receivedNothing());
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob PRIVMSG #lobby voiced now"});
    QVERIFY(t.setModes("-v bob"));
    t.bob->sendLine("PRIVMSG #lobby :and now?");
    QCOMPARE(seen(*t.bob), QByteArrayList{"404 #lobby"});
    QVERIFY(t.carol->receivedNothing());
}

void tst_Bans::bannedMemberCannotDodgeByNick()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+b bob"));
    t.bob->sendLine("NICK robert");
    QCOMPARE(seen(*t.bob), QByteArrayList{"435 robert #lobby"});
    for (auto *other : {t.alice.get(), t.carol.get(), t.dave.get()})
        QVERIFY(other->receivedNothing());
    QVERIFY(t.server.server().registry().findUser("bob"));
    QVERIFY(!t.server.server().registry().findUser("robert"));
    // Still banned under the old nick: no speaking either.
    t.bob->sendLine("PRIVMSG #lobby :still me");
    QCOMPARE(seen(*t.bob), QByteArrayList{"404 #lobby"});
    // Once the ban is lifted, the nick change goes through.
    QVERIFY(t.setModes("-b bob"));
    t.bob->sendLine("NICK robert");
    QCOMPARE(seen(*t.bob), QByteArrayList{"bob NICK robert"});
    QCOMPARE(seen(*t.alice), QByteArrayList{"bob NICK robert"});
}

void tst_Bans::banByAccount()
{
    ChannelFixture t(test::accountsTestConfig());
    QVERIFY(t.server.addAccount("mallory", "correct-horse"));
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+b ~a:Mallory"));
    // Logged in to the account under another nick: the auto-join at login is refused, and so is JOIN.
    auto sneaky = t.server.connectClient();
    sneaky->sendLine("CAP LS 302");
    sneaky->sendLine("NICK sneaky");
    sneaky->sendLine("USER sneaky 0 * :Sneaky");
    sneaky->sendLine("AUTHENTICATE PLAIN");
    sneaky->sendLine("AUTHENTICATE " + test::saslPlain("mallory", "correct-horse"));
    sneaky->sendLine("CAP END");
    QVERIFY(sneaky->waitForCommand("001"));
    QVERIFY(sneaky->waitFor(commandWithParam("474", 1, "#lobby")));
    sneaky->sendLine("JOIN #lobby");
    QCOMPARE(seen(*sneaky), QByteArrayList{"474 #lobby"});
    for (auto *member : {t.alice.get(), t.bob.get(), t.carol.get()})
        QVERIFY(member->receivedNothing());
    // A member who logs in to it is banned from then on: no speaking.
    t.carol->sendLine("REGISTER * * correct-horse-carol");
    QVERIFY(t.carol->waitFor(commandWithParam("REGISTER", 0, "SUCCESS")));
    QVERIFY(t.setModes("+b ~a:car*"));
    t.carol->sendLine("PRIVMSG #lobby :hello?");
    QCOMPARE(seen(*t.carol), QByteArrayList{"404 #lobby"});
    QVERIFY(t.bob->receivedNothing());
    // Guests are not touched by account bans: dave joins.
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave JOIN #lobby"});
}

void tst_Bans::exceptionOverridesBan()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // Everyone from this host is banned, except dave.
    QVERIFY(t.setModes("+be *!*@127.0.0.1 dave"));
    t.alice->sendLine("MODE #lobby e");
    QCOMPARE(seen(*t.alice), QByteArrayList({"348 #lobby dave!*@* alice", "349 #lobby"}));
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave JOIN #lobby"});
    t.dave->sendLine("PRIVMSG #lobby :excepted");
    QVERIFY(t.dave->receivedNothing());
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave PRIVMSG #lobby excepted"});
    // carol is not excepted: she may not speak, and once out, may not come back.
    QVERIFY(t.settle());
    t.carol->sendLine("PRIVMSG #lobby :me too?");
    t.carol->sendLine("PART #lobby");
    t.carol->sendLine("JOIN #lobby");
    QCOMPARE(seen(*t.carol), QByteArrayList({"404 #lobby", "carol PART #lobby", "474 #lobby"}));
    QCOMPARE(seen(*t.bob), QByteArrayList{"carol PART #lobby"});
    QVERIFY(t.settle());
    // The operator herself is banned by the mask, but +o speaks regardless.
    t.alice->sendLine("PRIVMSG #lobby :operators speak");
    QVERIFY(t.alice->receivedNothing());
    QCOMPARE(seen(*t.bob), QByteArrayList{"alice PRIVMSG #lobby operators speak"});
}

void tst_Bans::inviteException()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(t.setModes("+iI *!~dave@*"));
    t.alice->sendLine("MODE #lobby I");
    QCOMPARE(seen(*t.alice), QByteArrayList({"346 #lobby *!~dave@* alice", "347 #lobby"}));
    // dave matches +I: no invitation needed. carol, once out, needs one.
    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitFor(commandWithParam("366", 1, "#lobby")));
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave JOIN #lobby"});
    QVERIFY(t.settle());
    t.carol->sendLine("PART #lobby");
    t.carol->sendLine("JOIN #lobby");
    QCOMPARE(seen(*t.carol), QByteArrayList({"carol PART #lobby", "473 #lobby"}));
}

void tst_Bans::listIsCapped()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    for (int i = 0; i < 100; i += 5) {
        QByteArray line = "MODE #lobby +bbbbb";
        for (int j = i; j < i + 5; ++j)
            line += " n" + QByteArray::number(j);
        t.alice->sendLine(line);
    }
    QVERIFY(t.settle());
    t.alice->sendLine("MODE #lobby +b one-too-many");
    QCOMPARE(seen(*t.alice), QByteArrayList{"478 #lobby one-too-many!*@*"});
    QVERIFY(t.bob->receivedNothing());
    // Removing one makes room again.
    t.alice->sendLine("MODE #lobby -b+b n0 one-too-many");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice MODE #lobby -b+b n0!*@* one-too-many!*@*"});
}

QTEST_MAIN(tst_Bans)
#include "tst_bans.moc"
