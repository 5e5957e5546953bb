// What others learn when a user changes: away-notify, setname, and the capabilities around them
// (cap-notify, standard-replies; chghost is not offered, since no user@host ever changes).

#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::test::ChannelFixture;
using tktalk::test::seen;

namespace {

/// @p client asks for @p caps after registration; true once the server acknowledged them.
bool requestCaps(test::TestIrcClient &client, const QByteArray &caps)
{
    client.sendLine("CAP REQ :" + caps);
    const auto answer = client.waitFor(
        [](const protocol::Message &m) { return m.command == "CAP" && (m.param(1) == "ACK" || m.param(1) == "NAK"); });
    return answer && answer->param(1) == "ACK";
}

/// The capabilities CAP LIST shows for @p client.
QByteArrayList listedCaps(test::TestIrcClient &client)
{
    client.sendLine("CAP LIST");
    const auto list = client.waitFor(test::commandWithParam("CAP", 1, "LIST"));
    return list ? list->param(2).split(' ') : QByteArrayList{"<no answer>"};
}

} // namespace

class tst_UserState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void advertised();
    void isupport();
    void capNotifyImplicitWith302();
    void capNotifyExplicitWithout302();
    void capNotifyOnReload();
    void awayNotify();
    void awayNotifyOnJoin();
    void setname();
    void setnameWithoutCap();
    void setnameRefused_data();
    void setnameRefused();
};

void tst_UserState::advertised()
{
    test::TestServer server;
    auto client = server.connectClient();
    const auto caps = client->advertisedCapabilities();
    QVERIFY(caps);
    for (const char *cap : {"away-notify", "cap-notify", "setname", "standard-replies"})
        QVERIFY2(caps->contains(cap), cap);
    QVERIFY(!caps->contains("chghost"));
}

void tst_UserState::isupport()
{
    test::TestServer server;
    auto client = server.registeredClient("alice");
    QVERIFY(client);
    const QByteArrayList tokens = test::isupportTokens(*client);
    QVERIFY(tokens.contains("NAMELEN=150"));
    QVERIFY(tokens.contains("MONITOR=100"));
    QVERIFY(tokens.contains("WHOX"));
}

void tst_UserState::capNotifyImplicitWith302()
{
    test::TestServer server;
    auto client = server.connectClient();
    QVERIFY(client->advertisedCapabilities("302"));
    QVERIFY(listedCaps(*client).contains("cap-notify"));
    // It cannot be turned off: the request is refused whole, and nothing changes.
    client->sendLine("CAP REQ :server-time -cap-notify");
    QVERIFY(client->waitFor(test::commandWithParam("CAP", 1, "NAK")));
    QCOMPARE(listedCaps(*client), QByteArrayList{"cap-notify"});
    // Asking for it again is acknowledged without effect.
    QVERIFY(requestCaps(*client, "cap-notify"));
    QCOMPARE(listedCaps(*client), QByteArrayList{"cap-notify"});
    // A later CAP LS without a version does not take it away.
    QVERIFY(client->advertisedCapabilities(""));
    QCOMPARE(listedCaps(*client), QByteArrayList{"cap-notify"});
    client->sendLine("CAP END");
    QVERIFY(client->registerAs("alice"));
}

void tst_UserState::capNotifyExplicitWithout302()
{
    test::TestServer server;
    auto client = server.connectClient();
    QVERIFY(client->advertisedCapabilities(""));
    QCOMPARE(listedCaps(*client), QByteArrayList{""});
    QVERIFY(requestCaps(*client, "cap-notify"));
    QCOMPARE(listedCaps(*client), QByteArrayList{"cap-notify"});
    QVERIFY(requestCaps(*client, "-cap-notify"));
    QCOMPARE(listedCaps(*client), QByteArrayList{""});
}

void tst_UserState::capNotifyOnReload()
{
    // A reload that turns account registration off and on again: clients with cap-notify hear
    // CAP DEL and CAP NEW (with the value after CAP LS 302), the removed capability is dropped
    // from what they enabled; a client without cap-notify hears nothing.
    test::TestServer server;
    bool registration = true;
    server.server().setConfigReloader([&registration](server::ServerConfig &config, QStringList *) {
        config.accountRegistration = registration;
        return true;
    });
    auto carol = server.connectClient();
    QVERIFY(carol->advertisedCapabilities("302"));
    QVERIFY(requestCaps(*carol, "draft/account-registration"));
    carol->sendLine("CAP END");
    QVERIFY(carol->registerAs("carol"));
    auto dave = server.registeredClient("dave");
    QVERIFY(dave);
    QVERIFY(carol->sync());

    registration = false;
    server.server().reload(QStringLiteral("test"));
    const auto removed = carol->waitFor(test::commandWithParam("CAP", 1, "DEL"));
    QVERIFY(removed);
    QCOMPARE(removed->params, (QByteArrayList{"carol", "DEL", "draft/account-registration"}));
    QCOMPARE(listedCaps(*carol), QByteArrayList{"cap-notify"});
    QVERIFY(dave->receivedNothing());

    // The same reload again changes nothing, and says nothing.
    server.server().reload(QStringLiteral("test"));
    QVERIFY(carol->receivedNothing());

    registration = true;
    server.server().reload(QStringLiteral("test"));
    const auto added = carol->waitFor(test::commandWithParam("CAP", 1, "NEW"));
    QVERIFY(added);
    QCOMPARE(added->params,
             (QByteArrayList{"carol", "NEW", "draft/account-registration=before-connect,custom-account-name"}));
    QVERIFY(dave->receivedNothing());
}

void tst_UserState::awayNotify()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    // carol shares two channels with alice; dave asked too but shares none; bob did not ask.
    QVERIFY(requestCaps(*t.carol, "away-notify"));
    QVERIFY(requestCaps(*t.dave, "away-notify"));
    QVERIFY(requestCaps(*t.alice, "away-notify"));
    t.alice->sendLine("JOIN #second");
    QVERIFY(t.alice->waitForCommand("366"));
    t.carol->sendLine("JOIN #second");
    QVERIFY(t.carol->waitForCommand("366"));
    QVERIFY(t.settle());

    t.alice->sendLine("AWAY :out to lunch");
    QCOMPARE(seen(*t.alice), QByteArrayList{"306"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"alice AWAY out to lunch"});
    QCOMPARE(seen(*t.bob), QByteArrayList{});
    QCOMPARE(seen(*t.dave), QByteArrayList{});

    // The same message again is no news; a new one is.
    t.alice->sendLine("AWAY :out to lunch");
    QCOMPARE(seen(*t.alice), QByteArrayList{"306"});
    QCOMPARE(seen(*t.carol), QByteArrayList{});
    t.alice->sendLine("AWAY :back at two");
    QCOMPARE(seen(*t.alice), QByteArrayList{"306"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"alice AWAY back at two"});

    t.alice->sendLine("AWAY");
    QCOMPARE(seen(*t.alice), QByteArrayList{"305"});
    const auto back = t.carol->sync();
    QVERIFY(back);
    QCOMPARE(back->size(), 1);
    QCOMPARE(back->first().command, QByteArray("AWAY"));
    QCOMPARE(back->first().source, QByteArray("alice!~alice@127.0.0.1"));
    QVERIFY(back->first().params.isEmpty());
    QCOMPARE(seen(*t.bob), QByteArrayList{});
    QCOMPARE(seen(*t.dave), QByteArrayList{});

    // Coming back when not away is no news either.
    t.alice->sendLine("AWAY");
    QCOMPARE(seen(*t.alice), QByteArrayList{"305"});
    QCOMPARE(seen(*t.carol), QByteArrayList{});
}

void tst_UserState::awayNotifyOnJoin()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(requestCaps(*t.carol, "away-notify"));
    QVERIFY(requestCaps(*t.dave, "away-notify"));
    QVERIFY(t.settle());
    t.dave->sendLine("AWAY :gone fishing");
    QCOMPARE(seen(*t.dave), QByteArrayList{"306"});
    QCOMPARE(seen(*t.carol), QByteArrayList{}); // no channel in common yet

    t.dave->sendLine("JOIN #lobby");
    QVERIFY(t.dave->waitForCommand("366"));
    QCOMPARE(seen(*t.carol), (QByteArrayList{"dave JOIN #lobby", "dave AWAY gone fishing"}));
    QCOMPARE(seen(*t.bob), QByteArrayList{"dave JOIN #lobby"});
    QVERIFY(!seen(*t.dave).contains("dave AWAY gone fishing"));

    // A user who is not away joins without an AWAY.
    t.bob->sendLine("PART #lobby");
    QVERIFY(t.bob->waitForCommand("PART"));
    QVERIFY(t.settle());
    t.bob->sendLine("JOIN #lobby");
    QVERIFY(t.bob->waitForCommand("366"));
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob JOIN #lobby"});
    QCOMPARE(seen(*t.dave), QByteArrayList{"bob JOIN #lobby"});
}

void tst_UserState::setname()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(requestCaps(*t.alice, "setname"));
    QVERIFY(requestCaps(*t.carol, "setname"));
    QVERIFY(requestCaps(*t.dave, "setname"));
    QVERIFY(t.settle());

    t.alice->sendLine("SETNAME :Alice Liddell <alice@example.org>");
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice SETNAME Alice Liddell <alice@example.org>"});
    QCOMPARE(seen(*t.carol), QByteArrayList{"alice SETNAME Alice Liddell <alice@example.org>"});
    QCOMPARE(seen(*t.bob), QByteArrayList{});  // did not ask
    QCOMPARE(seen(*t.dave), QByteArrayList{}); // shares no channel

    t.bob->sendLine("WHOIS alice");
    const auto whois = t.bob->waitForCommand("311");
    QVERIFY(whois);
    QCOMPARE(whois->params.last(), QByteArray("Alice Liddell <alice@example.org>"));
    t.bob->sendLine("WHO alice");
    const auto who = t.bob->waitForCommand("352");
    QVERIFY(who);
    QCOMPARE(who->params.last(), QByteArray("0 Alice Liddell <alice@example.org>"));

    // The longest allowed is NAMELEN bytes.
    const QByteArray longest(150, 'x');
    t.alice->sendLine("SETNAME :" + longest);
    QCOMPARE(seen(*t.alice), QByteArrayList{"alice SETNAME " + longest});
}

void tst_UserState::setnameWithoutCap()
{
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(requestCaps(*t.carol, "setname"));
    QVERIFY(t.settle());
    // A client without the capability is not answered, but the change is made and announced.
    t.bob->sendLine("SETNAME :Robert");
    QCOMPARE(seen(*t.bob), QByteArrayList{});
    QCOMPARE(seen(*t.carol), QByteArrayList{"bob SETNAME Robert"});
    QCOMPARE(seen(*t.alice), QByteArrayList{});
}

void tst_UserState::setnameRefused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("reply");
    QTest::newRow("too long") << "SETNAME :" + QByteArray(151, 'x') << QByteArray("FAIL SETNAME INVALID_REALNAME");
    QTest::newRow("empty") << QByteArray("SETNAME :") << QByteArray("FAIL SETNAME INVALID_REALNAME");
    QTest::newRow("missing") << QByteArray("SETNAME") << QByteArray("461 SETNAME");
}

void tst_UserState::setnameRefused()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, reply);
    ChannelFixture t;
    QVERIFY(t.ready());
    QVERIFY(requestCaps(*t.alice, "setname"));
    QVERIFY(requestCaps(*t.carol, "setname"));
    QVERIFY(t.settle());

    t.alice->sendLine(line);
    const QByteArrayList aliceSaw = seen(*t.alice);
    QCOMPARE(aliceSaw.size(), 1);
    QVERIFY2(aliceSaw.first().startsWith(reply) || aliceSaw.first().startsWith("irc.test " + reply),
             aliceSaw.first().constData());
    QCOMPARE(seen(*t.carol), QByteArrayList{});
    QCOMPARE(seen(*t.bob), QByteArrayList{});
    // Nothing changed, and the server still serves.
    t.bob->sendLine("WHOIS alice");
    const auto whois = t.bob->waitForCommand("311");
    QVERIFY(whois);
    QCOMPARE(whois->params.last(), QByteArray("Test user alice"));
}

QTEST_MAIN(tst_UserState)
#include "tst_userstate.moc"
