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

    QSignalSpy finished(&server.server(), &server::Server::shutdownFinished);
    QElapsedTimer timer;
    timer.start();
    server.server().shutdown();
    QVERIFY(finished.count() == 1 || finished.wait(10'000));
    QCOMPARE(server.server().connectionCount(), 0);
    QVERIFY(sender->waitForError());
    // Cut after the grace period, well within the 2 s promised on SIGINT.
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

void tst_Shutdown::noNewConnectionsWhileShuttingDown()
{
    TestServer server;
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
