// WHOX: WHO <mask> %<fields>[,<token>] answers with exactly the fields asked for, in 354.

#include "channelfixture.h"

#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ChannelFixture;
using tktalk::test::seen;

namespace {

/// The 354 replies (without the target) and whether 315 ended them, for @p query sent by @p client.
QList<QByteArrayList> whox(test::TestIrcClient &client, const QByteArray &query, bool *ended = nullptr)
{
    client.sendLine(query);
    const auto messages = client.sync();
    QList<QByteArrayList> rows;
    if (!messages)
        return rows;
    for (const Message &m : *messages) {
        if (m.command == "354")
            rows << m.params.mid(1);
        if (ended && m.command == "315")
            *ended = true;
    }
    return rows;
}

} // namespace

class tst_Whox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void allFields();
    void fields_data();
    void fields();
    void byNick();
    void plainWhoUnchanged();
    void badToken_data();
    void badToken();

private:
    std::unique_ptr<ChannelFixture> t;
};

void tst_Whox::init()
{
    t = std::make_unique<ChannelFixture>(test::accountsTestConfig());
    QVERIFY(t->ready());
    // alice logs in to an account of her own; bob is away.
    t->alice->sendLine("REGISTER * * correct-horse");
    QVERIFY(t->alice->waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")));
    t->bob->sendLine("AWAY :busy");
    QVERIFY(t->bob->waitForCommand("306"));
    QVERIFY(t->settle());
}

void tst_Whox::cleanup()
{
    t.reset();
}

void tst_Whox::allFields()
{
    bool ended = false;
    const QList<QByteArrayList> rows = whox(*t->carol, "WHO #lobby %tcuihsnfdlaor,42", &ended);
    QVERIFY(ended);
    QCOMPARE(rows.size(), 3);
    QByteArrayList alice = rows.at(0);
    QCOMPARE(alice.size(), 13);
    bool numeric = false;
    alice.at(9).toLongLong(&numeric); // idle seconds: a number, whatever its value
    QVERIFY(numeric);
    alice[9] = "<idle>";
    QCOMPARE(alice, (QByteArrayList{"42", "#lobby", "~alice", "127.0.0.1", "127.0.0.1", "irc.test", "alice", "H@",
                                    "0", "<idle>", "alice", "n/a", "Test user alice"}));
    QCOMPARE(rows.at(1).at(6), QByteArray("bob"));
    QCOMPARE(rows.at(1).at(7), QByteArray("G"));  // away
    QCOMPARE(rows.at(1).at(10), QByteArray("0")); // no account
    QCOMPARE(seen(*t->alice), QByteArrayList{});
}

void tst_Whox::fields_data()
{
    QTest::addColumn<QByteArray>("options");
    QTest::addColumn<QByteArrayList>("aliceRow");
    QTest::newRow("nick") << QByteArray("%n") << QByteArrayList{"alice"};
    QTest::newRow("nick and account") << QByteArray("%na") << QByteArrayList{"alice", "alice"};
    QTest::newRow("order asked does not matter") << QByteArray("%an") << QByteArrayList{"alice", "alice"};
    QTest::newRow("real name with spaces") << QByteArray("%rn") << QByteArrayList{"alice", "Test user alice"};
    QTest::newRow("channel user host") << QByteArray("%chu") << QByteArrayList{"#lobby", "~alice", "127.0.0.1"};
    QTest::newRow("flags hops op level") << QByteArray("%odf") << QByteArrayList{"H@", "0", "n/a"};
    QTest::newRow("server and ip") << QByteArray("%si") << QByteArrayList{"127.0.0.1", "irc.test"};
    QTest::newRow("unknown letters ignored") << QByteArray("%nXyz9!") << QByteArrayList{"alice"};
    QTest::newRow("letters repeated") << QByteArray("%nnn") << QByteArrayList{"alice"};
    QTest::newRow("flags before the percent") << QByteArray("o%n") << QByteArrayList{"alice"};
    QTest::newRow("token") << QByteArray("%tn,7") << QByteArrayList{"7", "alice"};
    QTest::newRow("three-digit token") << QByteArray("%nt,999") << QByteArrayList{"999", "alice"};
    QTest::newRow("token without t is unused") << QByteArray("%n,abcd") << QByteArrayList{"alice"};
    QTest::newRow("no fields") << QByteArray("%") << QByteArrayList{};
}

void tst_Whox::fields()
{
    QFETCH(QByteArray, options);
    QFETCH(QByteArrayList, aliceRow);
    bool ended = false;
    const QList<QByteArrayList> rows = whox(*t->carol, "WHO #lobby " + options, &ended);
    QVERIFY(ended);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.first(), aliceRow);
}

void tst_Whox::byNick()
{
    // By nick, the channel is one the asker may see the user in, or "*".
    QCOMPARE(whox(*t->dave, "WHO alice %cna"), (QList<QByteArrayList>{{"#lobby", "alice", "alice"}}));
    t->alice->sendLine("PART #lobby");
    QVERIFY(t->alice->waitForCommand("PART"));
    QCOMPARE(whox(*t->dave, "WHO alice %cn"), (QList<QByteArrayList>{{"*", "alice"}}));
    QCOMPARE(whox(*t->dave, "WHO nobody %cn"), QList<QByteArrayList>{});
}

void tst_Whox::plainWhoUnchanged()
{
    t->carol->sendLine("WHO #lobby o");
    QCOMPARE(seen(*t->carol), (QByteArrayList{"352 #lobby ~alice 127.0.0.1 irc.test alice H@ 0 Test user alice",
                                              "352 #lobby ~bob 127.0.0.1 irc.test bob G 0 Test user bob",
                                              "352 #lobby ~carol 127.0.0.1 irc.test carol H 0 Test user carol",
                                              "315 #lobby"}));
}

void tst_Whox::badToken_data()
{
    QTest::addColumn<QByteArray>("options");
    QTest::newRow("none") << QByteArray("%tn");
    QTest::newRow("empty") << QByteArray("%tn,");
    QTest::newRow("four digits") << QByteArray("%tn,1234");
    QTest::newRow("letters") << QByteArray("%tn,abc");
    QTest::newRow("sign") << QByteArray("%tn,-1");
}

void tst_Whox::badToken()
{
    QFETCH(QByteArray, options);
    t->carol->sendLine("WHO #lobby " + options);
    QCOMPARE(seen(*t->carol), (QByteArrayList{"irc.test FAIL WHO INVALID_PARAMS " + options
                                                  + " A WHOX token must be one to three digits",
                                              "315 #lobby"}));
    QCOMPARE(seen(*t->alice), QByteArrayList{});
    // Still serving.
    QCOMPARE(whox(*t->carol, "WHO carol %n"), (QList<QByteArrayList>{{"carol"}}));
}

QTEST_MAIN(tst_Whox)
#include "tst_whox.moc"
