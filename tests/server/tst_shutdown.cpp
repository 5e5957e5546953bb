#include "ports.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

class tst_Shutdown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyClientIsTold();
    void clientsThatDoNotReadCannotDelayIt();
    void noNewConnectionsWhileShuttingDown();
};

void tst_Shutdown::everyClientIsTold()
{
    TestServer server;
    auto alice = server.registeredClient("alice");
    auto bob = server.registeredClient("bob");
    auto pending = server.connectClient(); // connected, never registered
    QVERIFY(alice && bob && pending->isConnected());
    QVERIFY(bob->sync());
    alice->skipReceived();
    bob->skipReceived();

    QSignalSpy finished(&server.server(), &server::Server::shutdownFinished);
    server.server().shutdown();
    for (TestIrcClient *client : {alice.get(), bob.get(), pending.get()}) {
        const auto error = client->waitForError();
        QVERIFY(error);
        QCOMPARE(error->params, QByteArrayList{"Server shutting down"});
        QVERIFY(client->waitForDisconnected());
    }
    QVERIFY(finished.count() == 1 || finished.wait(5000));
    QCOMPARE(server.server().connectionCount(), 0);
    // Nobody was told about the others quitting: the whole server went.
    for (const Message &m : alice->received())
        QVERIFY(m.command != "QUIT");
}

void tst_Shutdown::clientsThatDoNotReadCannotDelayIt()
{
    server::ServerConfig config = test::testServerConfig();
    config.shutdownTimeoutMs = 500;
    TestServer server(config);
    auto sender = server.registeredClient("sender");
    QVERIFY(sender);

    auto stubborn = server.registeredNonReader("stubborn", 1024);
    QVERIFY(stubborn);
    // Fill the stubborn client's queues so its ERROR line can never drain.
    for (int batch = 0; batch < 100; ++batch) {
        for (int i = 0; i < 100; ++i)
            sender->sendLine("PRIVMSG #lobby :" + QByteArray(400, 'f'));
        QVERIFY(sender->sync(30'000));
    }

    // The stubborn client's ERROR line cannot drain, so the shutdown can only finish by cutting it
    // after the grace period. How soon after depends on the machine: only that it finishes is
    // asserted, with a deadline far beyond the grace period.
    QSignalSpy finished(&server.server(), &server::Server::shutdownFinished);
    QElapsedTimer timer;
    timer.start();
    server.server().shutdown();
    QVERIFY(finished.count() == 1 || finished.wait(60'000));
    qInfo("the shutdown took %lld ms with a %d ms grace period", timer.elapsed(), config.shutdownTimeoutMs);
    QCOMPARE(server.server().connectionCount(), 0);
    QVERIFY(sender->waitForError());
}

void tst_Shutdown::noNewConnectionsWhileShuttingDown()
{
    // A port outside the kernel's ephemeral range: once the listener closes, no other connection
    // can be given it before the late client tries.
    server::ServerConfig config = test::testServerConfig();
    config.port = test::unassignedPort();
    QVERIFY(config.port != 0);
    TestServer server(config);
    QVERIFY(server.isListening());
    const quint16 port = server.port();
    server.server().shutdown();
    TestIrcClient late;
    QSignalSpy failed(&late.socket(), &QSslSocket::errorOccurred);
    late.connectTo(port, test::testIdentity().chain.first());
    QVERIFY(failed.wait(10'000));
    QCOMPARE(late.socket().error(), QAbstractSocket::ConnectionRefusedError);
}

QTEST_MAIN(tst_Shutdown)
#include "tst_shutdown.moc"
