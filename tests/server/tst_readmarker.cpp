// IRCv3 draft/read-marker: MARKREAD sets and queries an account's read marker per target, which
// never moves back and reaches every connection of the account that asked for read markers; a
// JOIN brings the channel's marker; guests keep none; bad input is refused with a FAIL.

#include "clientsetup.h"
#include "testserver.h"

#include "accounts/accountstore.h"

#include <QDateTime>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::settled;

namespace {

constexpr const char *kPassword = "correct-horse";
const QByteArray kEarly = "timestamp=2019-01-04T14:33:26.123Z";
const QByteArray kLate = "timestamp=2020-06-30T08:00:00.000Z";

/// A client registered as @p nick (in #lobby) after CAP REQ @p caps and, when @p account is given,
/// a SASL login to it; its cursor at the end.
std::unique_ptr<TestIrcClient> connectWith(TestServer &server, const QByteArray &nick, const QByteArray &caps,
                                           const QByteArray &account = {})
{
    const QByteArray requested = (caps + (account.isEmpty() ? "" : " sasl")).trimmed();
    return test::connectWithCaps(server, nick, requested, account, kPassword);
}

/// What @p client received up to a sync, one line per message: "COMMAND params..." (numerics
/// without the client's nick), PONGs of syncs left out.
QByteArrayList seen(TestIrcClient &client)
{
    const auto messages = client.sync();
    if (!messages)
        return {"<no answer to the sync>"};
    QByteArrayList lines;
    for (const Message &m : *messages) {
        const bool numeric = m.command.at(0) >= '0' && m.command.at(0) <= '9';
        lines << (QByteArrayList{m.command} + (numeric ? m.params.mid(1) : m.params)).join(' ');
    }
    return lines;
}

/// The marker @p client is told for @p target when it asks.
QByteArray query(TestIrcClient &client, const QByteArray &target)
{
    client.sendLine("MARKREAD " + target);
    const QByteArrayList lines = seen(client);
    return lines.size() == 1 ? lines.first() : "<" + lines.join(" | ") + ">";
}

/// alice and bob have accounts.
/// A server with the accounts alice and bob. With @p devicesShareUser false, each connection logged
/// in to an account is a user of its own (max-sessions-per-account 1), so that markers can be seen
/// reaching connections under different nicks.
std::unique_ptr<TestServer> serverWithAccounts(bool devicesShareUser = true)
{
    server::ServerConfig config = test::accountsTestConfig();
    if (!devicesShareUser)
        config.maxSessionsPerAccount = 1;
    auto server = std::make_unique<TestServer>(config);
    if (!server->addAccount("alice", kPassword) || !server->addAccount("bob", kPassword))
        return nullptr;
    return server;
}

} // namespace

class tst_ReadMarker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void advertised();
    void setAndQuery();
    void neverBackwards();
    void futureIsClamped();
    void everyConnectionOfTheAccount();
    void everyDeviceOfOneUser();
    void joinBringsTheMarker();
    void guest();
    void badInput_data();
    void badInput();
    void databaseFailure();
};

void tst_ReadMarker::advertised()
{
    TestServer server;
    auto client = server.connectClient();
    const auto caps = client->advertisedCapabilities();
    QVERIFY(caps);
    QVERIFY(caps->contains("draft/read-marker"));
}

void tst_ReadMarker::setAndQuery()
{
    auto server = serverWithAccounts();
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    QVERIFY(alice);

    QCOMPARE(query(*alice, "#lobby"), QByteArray("MARKREAD #lobby *"));
    alice->sendLine("MARKREAD #lobby " + kEarly);
    const auto reply = alice->waitForCommand("MARKREAD");
    QVERIFY(reply);
    QCOMPARE(reply->source, QByteArray("irc.test"));
    QCOMPARE(reply->params, (QByteArrayList{"#lobby", kEarly}));
    QCOMPARE(seen(*alice), QByteArrayList());
    // One marker per target, whatever its case; a nick is a target like a channel.
    QCOMPARE(query(*alice, "#LOBBY"), "MARKREAD #LOBBY " + kEarly);
    QCOMPARE(query(*alice, "bob"), QByteArray("MARKREAD bob *"));
    alice->sendLine("MARKREAD Bob " + kLate);
    QCOMPARE(seen(*alice), QByteArrayList{"MARKREAD Bob " + kLate});
    QCOMPARE(query(*alice, "BOB"), "MARKREAD BOB " + kLate);
    QCOMPARE(query(*alice, "#lobby"), "MARKREAD #lobby " + kEarly);
}

void tst_ReadMarker::neverBackwards()
{
    auto server = serverWithAccounts();
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto phone = connectWith(*server, "alicephone", "draft/read-marker", "alice");
    QVERIFY(settled({alice.get(), phone.get()}));

    alice->sendLine("MARKREAD #lobby " + kLate);
    QCOMPARE(seen(*alice), QByteArrayList{"MARKREAD #lobby " + kLate});
    QCOMPARE(seen(*phone), QByteArrayList{"MARKREAD #lobby " + kLate});
    // Older, and the same again: the sender is told the newer one it keeps, nobody else anything.
    alice->sendLine("MARKREAD #lobby " + kEarly);
    alice->sendLine("MARKREAD #lobby " + kLate);
    QCOMPARE(seen(*alice), (QByteArrayList{"MARKREAD #lobby " + kLate, "MARKREAD #lobby " + kLate}));
    QCOMPARE(seen(*phone), QByteArrayList());
    QCOMPARE(query(*phone, "#lobby"), "MARKREAD #lobby " + kLate);
}

void tst_ReadMarker::futureIsClamped()
{
    auto server = serverWithAccounts();
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    QVERIFY(alice);
    // A marker from a clock far ahead would stop every later one: it is kept as now instead.
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    alice->sendLine("MARKREAD #lobby timestamp=2999-01-01T00:00:00.000Z");
    const auto reply = alice->waitForCommand("MARKREAD");
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(reply);
    const QByteArray stored = reply->param(1);
    QVERIFY2(stored.startsWith("timestamp="), stored.constData());
    const qint64 storedMs =
        QDateTime::fromString(QString::fromLatin1(stored.mid(10)), Qt::ISODateWithMs).toMSecsSinceEpoch();
    QVERIFY2(storedMs >= before - 1 && storedMs <= after, stored.constData());
    QCOMPARE(query(*alice, "#lobby"), "MARKREAD #lobby " + stored);
}

void tst_ReadMarker::everyConnectionOfTheAccount()
{
    auto server = serverWithAccounts(false);
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto phone = connectWith(*server, "alicephone", "draft/read-marker", "alice");
    auto oldClient = connectWith(*server, "aliceold", "", "alice");           // same account, no cap
    auto bob = connectWith(*server, "bob", "draft/read-marker", "bob");       // another account
    auto guest = connectWith(*server, "guest", "draft/read-marker");          // no account
    QVERIFY(settled({alice.get(), phone.get(), oldClient.get(), bob.get(), guest.get()}));

    alice->sendLine("MARKREAD #lobby " + kEarly);
    QCOMPARE(seen(*alice), QByteArrayList{"MARKREAD #lobby " + kEarly});
    QCOMPARE(seen(*phone), QByteArrayList{"MARKREAD #lobby " + kEarly});
    QCOMPARE(seen(*oldClient), QByteArrayList());
    QCOMPARE(seen(*bob), QByteArrayList());
    QCOMPARE(seen(*guest), QByteArrayList());
    // The connection without the cap may still ask, and set: it asked, so it is answered.
    QCOMPARE(query(*oldClient, "#lobby"), "MARKREAD #lobby " + kEarly);
    oldClient->sendLine("MARKREAD #lobby " + kLate);
    QCOMPARE(seen(*oldClient), QByteArrayList{"MARKREAD #lobby " + kLate});
    QCOMPARE(seen(*alice), QByteArrayList{"MARKREAD #lobby " + kLate});
    QCOMPARE(seen(*phone), QByteArrayList{"MARKREAD #lobby " + kLate});
    // Markers are the account's own: bob's is untouched and he heard nothing.
    QCOMPARE(query(*bob, "#lobby"), QByteArray("MARKREAD #lobby *"));
    QCOMPARE(seen(*bob), QByteArrayList());
}

void tst_ReadMarker::everyDeviceOfOneUser()
{
    // Devices sharing one user: the first is the lead, which runs the others' commands. Whichever
    // sets the marker, each connection hears of it once.
    auto server = serverWithAccounts(true);
    QVERIFY(server);
    auto laptop = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto phone = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto oldClient = connectWith(*server, "alice", "", "alice"); // same user, no cap
    QVERIFY(laptop && phone && oldClient);
    QVERIFY(settled({laptop.get(), phone.get(), oldClient.get()}));

    phone->sendLine("MARKREAD #lobby " + kEarly);
    QCOMPARE(seen(*phone), QByteArrayList{"MARKREAD #lobby " + kEarly});
    QCOMPARE(seen(*laptop), QByteArrayList{"MARKREAD #lobby " + kEarly});
    QCOMPARE(seen(*oldClient), QByteArrayList());
    laptop->sendLine("MARKREAD #lobby " + kLate);
    QCOMPARE(seen(*laptop), QByteArrayList{"MARKREAD #lobby " + kLate});
    QCOMPARE(seen(*phone), QByteArrayList{"MARKREAD #lobby " + kLate});
    QCOMPARE(seen(*oldClient), QByteArrayList());
}

void tst_ReadMarker::joinBringsTheMarker()
{
    auto server = serverWithAccounts(false);
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto oldClient = connectWith(*server, "aliceold", "", "alice");
    auto guest = connectWith(*server, "guest", "draft/read-marker");
    QVERIFY(settled({alice.get(), oldClient.get(), guest.get()}));
    alice->sendLine("MARKREAD #dev " + kEarly);
    QCOMPARE(seen(*alice), QByteArrayList{"MARKREAD #dev " + kEarly});

    // After the JOIN, before the end of NAMES (the spec's place for it).
    alice->sendLine("JOIN #dev");
    QCOMPARE(seen(*alice), (QByteArrayList{"JOIN #dev", "MARKREAD #dev " + kEarly, "353 = #dev @alice",
                                           "366 #dev End of /NAMES list."}));
    alice->sendLine("JOIN #new");
    QCOMPARE(seen(*alice), (QByteArrayList{"JOIN #new", "MARKREAD #new *", "353 = #new @alice",
                                           "366 #new End of /NAMES list."}));
    // Without the cap: the JOIN as ever.
    oldClient->sendLine("JOIN #dev");
    QCOMPARE(seen(*oldClient), (QByteArrayList{"JOIN #dev", "353 = #dev @alice aliceold",
                                               "366 #dev End of /NAMES list."}));
    QCOMPARE(seen(*alice), QByteArrayList{"JOIN #dev"});
    // A guest with the cap has no marker to be told.
    guest->sendLine("JOIN #dev");
    QCOMPARE(seen(*guest), (QByteArrayList{"JOIN #dev", "MARKREAD #dev *", "353 = #dev @alice aliceold guest",
                                           "366 #dev End of /NAMES list."}));
}

void tst_ReadMarker::guest()
{
    auto server = serverWithAccounts();
    QVERIFY(server);
    auto guest = connectWith(*server, "guest", "draft/read-marker");
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    QVERIFY(settled({guest.get(), alice.get()}));
    // Without an account there is nowhere to keep a marker: none to tell, none to set.
    QCOMPARE(query(*guest, "#lobby"), QByteArray("MARKREAD #lobby *"));
    guest->sendLine("MARKREAD #lobby " + kEarly);
    const QByteArrayList refusal = seen(*guest);
    QCOMPARE(refusal.size(), 1);
    QVERIFY2(refusal.first().startsWith("FAIL MARKREAD ACCOUNT_REQUIRED #lobby "), refusal.first().constData());
    QCOMPARE(query(*guest, "#lobby"), QByteArray("MARKREAD #lobby *"));
    QCOMPARE(seen(*alice), QByteArrayList());
    QCOMPARE(query(*alice, "#lobby"), QByteArray("MARKREAD #lobby *"));
}

void tst_ReadMarker::badInput_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QByteArray>("context"); ///< the FAIL's first parameter after the code
    const QByteArray ts = " " + kEarly;
    QTest::newRow("no target") << QByteArray("MARKREAD") << QByteArray("NEED_MORE_PARAMS") << QByteArray();
    QTest::newRow("empty target") << QByteArray("MARKREAD :") << QByteArray("NEED_MORE_PARAMS") << QByteArray();
    QTest::newRow("too many") << "MARKREAD #lobby" + ts + " extra" << QByteArray("INVALID_PARAMS")
                              << QByteArray("extra");
    QTest::newRow("target: a list") << "MARKREAD #lobby,#dev" + ts << QByteArray("INVALID_PARAMS")
                                    << QByteArray("#lobby,#dev");
    QTest::newRow("target: a mask") << "MARKREAD *!*@*" + ts << QByteArray("INVALID_PARAMS") << QByteArray("*!*@*");
    QTest::newRow("target: digit first") << "MARKREAD 9lives" + ts << QByteArray("INVALID_PARAMS")
                                         << QByteArray("9lives");
    QTest::newRow("target: bare #") << "MARKREAD #" + ts << QByteArray("INVALID_PARAMS") << QByteArray("#");
    QTest::newRow("star") << QByteArray("MARKREAD #lobby *") << QByteArray("INVALID_PARAMS") << QByteArray("*");
    const QList<QByteArray> badTimes{
        "2019-01-04T14:33:26.123Z",               // no key
        "time=2019-01-04T14:33:26.123Z",          // another key
        "timestamp=2019-01-04T14:33:26Z",         // no milliseconds
        "timestamp=2019-01-04T14:33:26.123",      // no zone
        "timestamp=2019-01-04T14:33:26.123+01:00", // another zone
        "timestamp=2019-01-04 14:33:26.123Z",     // not ISO
        "timestamp=2019-02-30T14:33:26.123Z",     // no such day
        "timestamp=2019-01-04T24:00:00.000Z",     // no such hour
        "timestamp=yesterday",
        "timestamp=",
    };
    for (const QByteArray &time : badTimes)
        QTest::newRow(time.constData()) << "MARKREAD #lobby :" + time << QByteArray("INVALID_PARAMS")
                                        << (time.contains(' ') ? QByteArray("*") : time);
}

void tst_ReadMarker::badInput()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, code);
    QFETCH(QByteArray, context);
    auto server = serverWithAccounts();
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto phone = connectWith(*server, "alicephone", "draft/read-marker", "alice");
    auto bob = connectWith(*server, "bob", "draft/read-marker", "bob");
    QVERIFY(settled({alice.get(), phone.get(), bob.get()}));

    alice->sendLine(line);
    const auto fail = alice->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->param(0), QByteArray("MARKREAD"));
    QCOMPARE(fail->param(1), code);
    if (!context.isEmpty())
        QCOMPARE(fail->param(2), context);
    QVERIFY(!fail->params.last().isEmpty()); // a description for the user
    QCOMPARE(seen(*alice), QByteArrayList());
    // Nothing stored, nobody told, and the server goes on serving.
    QCOMPARE(seen(*phone), QByteArrayList());
    QCOMPARE(seen(*bob), QByteArrayList());
    QCOMPARE(query(*phone, "#lobby"), QByteArray("MARKREAD #lobby *"));
    alice->sendLine("MARKREAD #lobby " + kEarly);
    QCOMPARE(seen(*alice), QByteArrayList{"MARKREAD #lobby " + kEarly});
}

void tst_ReadMarker::databaseFailure()
{
    auto server = serverWithAccounts();
    QVERIFY(server);
    auto alice = connectWith(*server, "alice", "draft/read-marker", "alice");
    auto phone = connectWith(*server, "alicephone", "draft/read-marker", "alice");
    QVERIFY(settled({alice.get(), phone.get()}));
    // The account is deleted (by the administrator's command) while alice is logged in to it: the
    // marker has nowhere to go.
    QVERIFY(server->server().accountStore().remove("alice"));
    alice->sendLine("MARKREAD #lobby " + kEarly);
    const QByteArrayList lines = seen(*alice);
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("FAIL MARKREAD INTERNAL_ERROR #lobby "), lines.first().constData());
    QCOMPARE(seen(*phone), QByteArrayList());
    QCOMPARE(query(*alice, "#lobby"), QByteArray("MARKREAD #lobby *"));
}

QTEST_GUILESS_MAIN(tst_ReadMarker)
#include "tst_readmarker.moc"
