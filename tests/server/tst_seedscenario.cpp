#include "testserver.h"

#include <QSignalSpy>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

/// What @p client received from message @p from on, after a PING round trip so that everything
/// already sent to it has arrived, as "nick COMMAND params" lines (numerics without the nick).
/// PONG replies to the test's own round trips are left out.
QStringList transcript(TestIrcClient &client, qsizetype from)
{
    if (!client.sync())
        return {QStringLiteral("(no PONG)")};
    QStringList lines;
    for (const Message &m : client.received().mid(from)) {
        if (m.command == "PONG")
            continue;
        QByteArrayList parts;
        if (!std::isdigit(static_cast<unsigned char>(m.command.front())))
            parts << m.sourceNick();
        parts << m.command << m.params;
        lines << QString::fromUtf8(parts.join(' '));
    }
    return lines;
}

} // namespace

/// The TkTalk report's demo: three users chat in the one room, two talk privately, someone
/// lists who is online, someone leaves, and the server shuts down telling everyone.
class tst_SeedScenario : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demo();
};

void tst_SeedScenario::demo()
{
    TestServer server;
    // Each mark is taken as soon as that client is in, before the next one joins.
    auto truc = server.registeredClient("truc");
    QVERIFY(truc);
    qsizetype t = truc->received().size();
    auto saukun = server.registeredClient("saukun");
    QVERIFY(saukun);
    qsizetype s = saukun->received().size();
    auto guest = server.registeredClient("guest");
    QVERIFY(guest);
    qsizetype g = guest->received().size();
    QCOMPARE(transcript(*truc, t), QStringList({"saukun JOIN #lobby", "guest JOIN #lobby"}));
    QCOMPARE(transcript(*saukun, s), QStringList({"guest JOIN #lobby"}));
    QCOMPARE(transcript(*guest, g), QStringList());

    // Everyone chats: each broadcast reaches the other two, never the sender.
    t = truc->received().size(), s = saukun->received().size(), g = guest->received().size();
    truc->sendLine("PRIVMSG #lobby :hi everyone");
    QVERIFY(truc->sync());
    saukun->sendLine("PRIVMSG #lobby :hello truc");
    QVERIFY(saukun->sync());
    guest->sendLine("PRIVMSG #lobby :hey both");
    QVERIFY(guest->sync());
    QCOMPARE(transcript(*truc, t), QStringList({"saukun PRIVMSG #lobby hello truc", "guest PRIVMSG #lobby hey both"}));
    QCOMPARE(transcript(*saukun, s), QStringList({"truc PRIVMSG #lobby hi everyone", "guest PRIVMSG #lobby hey both"}));
    QCOMPARE(transcript(*guest, g), QStringList({"truc PRIVMSG #lobby hi everyone", "saukun PRIVMSG #lobby hello truc"}));

    // A private message (/@saukun ...) reaches only its target.
    t = truc->received().size(), s = saukun->received().size(), g = guest->received().size();
    truc->sendLine("PRIVMSG saukun :just between us");
    QVERIFY(truc->sync());
    QCOMPARE(transcript(*truc, t), QStringList());
    QCOMPARE(transcript(*saukun, s), QStringList({"truc PRIVMSG saukun just between us"}));
    QCOMPARE(transcript(*guest, g), QStringList());

    // The user list (/u).
    g = guest->received().size();
    guest->sendLine("NAMES #lobby");
    QCOMPARE(transcript(*guest, g),
             QStringList({"353 guest = #lobby @truc saukun guest", "366 guest #lobby End of /NAMES list."}));

    // Someone leaves (.exit): the others are told.
    t = truc->received().size(), s = saukun->received().size();
    guest->sendLine("QUIT :Leaving");
    QVERIFY(guest->waitForDisconnected());
    QCOMPARE(transcript(*truc, t), QStringList({"guest QUIT Quit: Leaving"}));
    QCOMPARE(transcript(*saukun, s), QStringList({"guest QUIT Quit: Leaving"}));

    // Ctrl+C on the server: everyone still there is told, and the server finishes.
    t = truc->received().size(), s = saukun->received().size();
    QSignalSpy finished(&server.server(), &server::Server::shutdownFinished);
    server.server().shutdown();
    for (TestIrcClient *client : {truc.get(), saukun.get()}) {
        QVERIFY(client->waitForDisconnected());
        QCOMPARE(client->received().last().command, QByteArray("ERROR"));
        QCOMPARE(client->received().last().params, QByteArrayList{"Server shutting down"});
    }
    QCOMPARE(truc->received().size(), t + 1);
    QCOMPARE(saukun->received().size(), s + 1);
    QVERIFY(finished.count() == 1 || finished.wait(5000));
}

QTEST_MAIN(tst_SeedScenario)
#include "tst_seedscenario.moc"
