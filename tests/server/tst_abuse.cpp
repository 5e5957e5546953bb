#include "clientsession.h"
#include "protocol/limits.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;
using tktalk::test::commandWithParam;

namespace {

/// A bystander in #lobby, synced so that anything it receives later is caused by the test.
std::unique_ptr<TestIrcClient> quietBystander(TestServer &server, const QByteArray &nick = "bystander")
{
    auto client = server.registeredClient(nick);
    if (client && client->sync())
        client->skipReceived();
    return client;
}

/// Lets everything already sent to @p clients arrive (a PING round trip each), then forgets it.
bool settle(std::initializer_list<TestIrcClient *> clients)
{
    for (TestIrcClient *client : clients) {
        if (!client || !client->sync())
            return false;
        client->skipReceived();
    }
    return true;
}

bool stillServing(TestServer &server)
{
    auto probe = server.registeredClient("probe" + QByteArray::number(QRandomGenerator::global()->bounded(100000)));
    return probe != nullptr;
}

} // namespace

class tst_Abuse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badLines_data();
    void badLines();
    void longestRelayableLine();
    void endlessLineDisconnects();
    void plaintextOnTlsPort_data();
    void plaintextOnTlsPort();
    void silentTcpConnectionIsDropped();
    void failedHandshakeIsHarmless();
    void clientThatNeverReadsIsDropped();
    void floodIsDelayedNotDropped();
    void closingFlooderSaysOnlyItsQuit();
    void connectionCaps_data();
    void connectionCaps();
    void tooManyHandshakesFromOneAddress();
    void handshakesBegunTooFastFromOneAddress();
    void deadPeerTimesOut();
    void livePeerAnswersPing();
};

void tst_Abuse::badLines_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("detail");

    const QByteArray tooLong = "PRIVMSG #lobby :" + QByteArray(500, 'x');
    QTest::newRow("line over 512 bytes") << tooLong + "\r\n" << QByteArray("417") << QByteArray("Input line was too long");
    QTest::newRow("line over 512 bytes, LF only") << tooLong + "\n" << QByteArray("417") << QByteArray("Input line was too long");
    QTest::newRow("tags over 8191 bytes")
        << "@+x=" + QByteArray(8200, 'a') + " PRIVMSG #lobby :hi\r\n" << QByteArray("417") << QByteArray("Input line was too long");
    QTest::newRow("invalid UTF-8") << QByteArray("PRIVMSG #lobby :caf\xe9\r\n") << QByteArray("FAIL") << QByteArray("INVALID_UTF8");
    QTest::newRow("overlong UTF-8") << QByteArray("PRIVMSG #lobby :\xc0\xaf\r\n") << QByteArray("FAIL") << QByteArray("INVALID_UTF8");
    QTest::newRow("invalid UTF-8 in a private message")
        << QByteArray("PRIVMSG bystander :\xff\xfe\r\n") << QByteArray("FAIL") << QByteArray("INVALID_UTF8");
    QTest::newRow("NUL byte") << QByteArray("PRIVMSG #lobby :a\0b\r\n", 21) << QByteArray("400") << QByteArray("*");
    QTest::newRow("CR smuggled into a parameter")
        << QByteArray("PRIVMSG #lobby :hi\rQUIT :pwned\r\n") << QByteArray("400") << QByteArray("*");
    QTest::newRow("malformed tags") << QByteArray("@=x PRIVMSG #lobby :hi\r\n") << QByteArray("400") << QByteArray("*");
    QTest::newRow("tags only") << QByteArray("@a=b\r\n") << QByteArray() << QByteArray();
    QTest::newRow("empty line") << QByteArray("\r\n") << QByteArray() << QByteArray();
}

void tst_Abuse::badLines()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, detail);
    TestServer server;
    auto bystander = quietBystander(server);
    auto sender = server.registeredClient("sender");
    QVERIFY(settle({bystander.get(), sender.get()}));

    sender->sendRaw(raw);
    if (command.isEmpty()) {
        QVERIFY(sender->receivedNothing()); // silently ignored, per RFC 1459
    } else {
        const auto error = sender->waitForCommand(command);
        QVERIFY(error);
        QCOMPARE(error->param(1), detail);
    }
    QVERIFY(bystander->receivedNothing());
    QVERIFY(sender->isConnected());
    // Nothing was lost: the next good line goes through.
    sender->sendLine("PRIVMSG #lobby :fine now");
    QVERIFY(bystander->waitFor(commandWithParam("PRIVMSG", 1, "fine now")));
}

void tst_Abuse::longestRelayableLine()
{
    TestServer server;
    auto bystander = quietBystander(server);
    auto sender = server.registeredClient("sender");
    QVERIFY(settle({bystander.get(), sender.get()}));
    // The longest line a client may send: 510 bytes and CR LF. Relayed, it gains the sender's
    // ":sender!~sender@127.0.0.1 " and passes 512 bytes; it is relayed whole all the same, as
    // Ergo does, because cutting it would change what was said and refusing it would refuse a
    // line that fits the limit.
    const QByteArray command = "PRIVMSG #lobby :";
    const QByteArray text = "hi " + QByteArray(tktalk::protocol::kMaxLineBodyBytes - command.size() - 3, 'y');
    QCOMPARE(command.size() + text.size() + 2, 512);
    sender->sendLine(command + text);
    const auto message = bystander->waitForCommand("PRIVMSG");
    QVERIFY(message);
    QCOMPARE(message->param(1), text);
    const QList<QByteArray> raw = bystander->rawLines();
    const auto relayed = std::find_if(raw.begin(), raw.end(), [](const QByteArray &l) { return l.contains(" PRIVMSG "); });
    QVERIFY(relayed != raw.end());
    QCOMPARE(relayed->size() + 2, 512 + QByteArray(":sender!~sender@127.0.0.1 ").size());
    QVERIFY(sender->receivedNothing()); // no 417: the line fit

    // One byte more does not fit what a client may send: 417, and nothing is relayed.
    sender->sendLine(command + text + 'z');
    const auto refused = sender->waitForCommand("417");
    QVERIFY(refused);
    QCOMPARE(refused->param(1), QByteArray("Input line was too long"));
    QVERIFY(bystander->receivedNothing());
}

void tst_Abuse::endlessLineDisconnects()
{
    TestServer server;
    auto bystander = quietBystander(server);
    auto sender = server.registeredClient("endless");
    QVERIFY(settle({bystander.get(), sender.get()}));
    sender->sendRaw("PRIVMSG #lobby :" + QByteArray(64 * 1024, 'z'));
    const auto error = sender->waitForError();
    QVERIFY(error);
    QVERIFY(error->param(0).contains("Input line too long"));
    QVERIFY(sender->waitForDisconnected());
    // The others see an ordinary departure and nothing of the junk.
    const auto seen = bystander->sync();
    QVERIFY(seen);
    QCOMPARE(seen->size(), 1);
    QCOMPARE(seen->first().command, QByteArray("QUIT"));
    QVERIFY(stillServing(server));
}

void tst_Abuse::plaintextOnTlsPort_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("plain IRC") << QByteArray("NICK plain\r\nUSER plain 0 * :Plain\r\n");
    QByteArray random(4096, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (char &c : random)
        c = char(generator.bounded(256));
    random[0] = 0x16; // looks like a TLS record, then garbage
    QTest::newRow("random bytes after a TLS record type") << random;
    QTest::newRow("HTTP") << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
}

void tst_Abuse::plaintextOnTlsPort()
{
    QFETCH(QByteArray, bytes);
    TestServer server;
    auto bystander = quietBystander(server);
    QVERIFY(bystander);
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_VERIFY(raw.state() == QAbstractSocket::ConnectedState);
    QSignalSpy closed(&raw, &QTcpSocket::disconnected);
    raw.write(bytes);
    QVERIFY(closed.wait(10'000));
    QVERIFY(bystander->receivedNothing());
    QCOMPARE(server.server().connectionCount(), 1);
    QVERIFY(stillServing(server));
}

void tst_Abuse::silentTcpConnectionIsDropped()
{
    server::ServerConfig config = test::testServerConfig();
    config.handshakeTimeoutMs = 300;
    TestServer server(config);
    auto bystander = quietBystander(server);
    QVERIFY(bystander);
    QTcpSocket raw;
    QSignalSpy closed(&raw, &QTcpSocket::disconnected);
    raw.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(closed.wait(10'000));
    QVERIFY(bystander->receivedNothing());
    QVERIFY(stillServing(server));
}

void tst_Abuse::failedHandshakeIsHarmless()
{
    TestServer server;
    auto bystander = quietBystander(server);
    QVERIFY(bystander);
    // A client that trusts some other certificate refuses ours: the handshake fails on its side.
    QString error;
    const server::TlsIdentity other =
        server::generateSelfSignedIdentity({QStringLiteral("localhost")}, 1, &error);
    QVERIFY2(!other.chain.isEmpty(), qPrintable(error));
    TestIrcClient distrustful;
    QSignalSpy failed(&distrustful.socket(), &QSslSocket::errorOccurred);
    distrustful.connectTo(server.port(), other.chain.first());
    QVERIFY(failed.wait(10'000));
    QVERIFY(!distrustful.socket().isEncrypted());
    QVERIFY(bystander->receivedNothing());
    QVERIFY(stillServing(server));
}

void tst_Abuse::clientThatNeverReadsIsDropped()
{
    server::ServerConfig config = test::testServerConfig();
    config.sendQueueBytes = 64 * 1024;
    // The sluggard reads what is left only at the end: the server must not cut it before then, on
    // however slow a machine.
    config.closeTimeoutMs = 600'000;
    TestServer server(config);
    auto sender = server.registeredClient("sender");
    auto fast = server.registeredClient("fast");
    QVERIFY(sender && fast);

    auto sluggardSocket = server.registeredNonReader("sluggard");
    QVERIFY(sluggardSocket);
    QSslSocket &sluggard = *sluggardSocket;

    const QByteArray text(400, 'm');
    int sent = 0;
    constexpr int kBatch = 200;
    constexpr int kMaxBatches = 400; // far more than the kernel buffers and the send queue hold
    for (int batch = 0; batch < kMaxBatches && server.server().registry().findUser("sluggard"); ++batch) {
        for (int i = 0; i < kBatch; ++i)
            sender->sendLine("PRIVMSG #lobby :" + QByteArray::number(sent++) + ' ' + text);
        QVERIFY(sender->sync(30'000));
    }
    QVERIFY2(!server.server().registry().findUser("sluggard"), "the client that never reads was not dropped");

    // Everyone else got everything, in order.
    const auto quit = fast->waitFor(commandWithParam("QUIT", 0, "SendQ exceeded"), 30'000);
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("sluggard"));
    QVERIFY(fast->sync(30'000)); // everything the sender sent has reached fast
    int expected = 0;
    for (const Message &m : fast->received()) {
        if (m.command == "PRIVMSG") {
            QCOMPARE(m.param(1).left(m.param(1).indexOf(' ')).toInt(), expected);
            ++expected;
        }
    }
    QCOMPARE(expected, sent);

    // It goes on sending while the server closes on it, input the server will never read: closing
    // such a socket plainly would reset it and lose the output still on its way, ERROR included.
    QByteArray pings;
    for (int i = 0; i < 2000; ++i)
        pings += "PING :still here " + QByteArray::number(i) + "\r\n";
    sluggard.write(pings);
    QTRY_COMPARE(sluggard.bytesToWrite() + sluggard.encryptedBytesToWrite(), qint64(0));

    // When the sluggard finally reads, the last thing it finds is the reason.
    QSignalSpy sluggardClosed(&sluggard, &QSslSocket::disconnected);
    sluggard.setReadBufferSize(0);
    QByteArray tail;
    QObject::connect(&sluggard, &QSslSocket::readyRead, &sluggard, [&] {
        tail += sluggard.readAll();
        if (tail.size() > 4096)
            tail = tail.right(4096);
    });
    tail += sluggard.readAll();
    QTRY_COMPARE_WITH_TIMEOUT(sluggardClosed.size(), 1, 30'000);
    QVERIFY2(tail.endsWith("ERROR :SendQ exceeded\r\n"), tail.right(200).constData());
}

void tst_Abuse::floodIsDelayedNotDropped()
{
    server::ServerConfig config = test::testServerConfig();
    config.floodLinesPerSecond = 20;
    config.floodBurstLines = 5;
    TestServer server(config);
    auto bystander = quietBystander(server);
    QVERIFY(bystander);
    auto flooder = server.connectClient();
    QVERIFY(flooder->registerAs("flooder")); // registration's two lines come out of the burst
    QVERIFY(flooder->sync());

    constexpr int kLines = 25;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kLines; ++i)
        flooder->sendLine("PRIVMSG #lobby :" + QByteArray::number(i));
    for (int i = 0; i < kLines; ++i) {
        const auto message = bystander->waitForCommand("PRIVMSG");
        QVERIFY(message);
        QCOMPARE(message->param(1), QByteArray::number(i)); // all of them, in order
    }
    // Past the burst, lines trickle at the configured rate: 20 or more extra lines take at least
    // about a second. (A lower bound: it holds however slow the machine is.)
    QVERIFY2(timer.elapsed() >= 900, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(flooder->isConnected());
}

void tst_Abuse::closingFlooderSaysOnlyItsQuit()
{
    // A client past its burst sends more lines, a QUIT, and closes at once. The lines waiting for
    // flood control are not delivered in a rush because it left (closing is no way around the
    // limit), but its QUIT is: the others hear the reason it gave, not "Connection closed". (The
    // Qt engine sees the close at once and drops what waits; the OpenSSL engine reads a throttled
    // client only as tokens come, and so meets the close, and the QUIT, after the lines.)
    server::ServerConfig config = test::testServerConfig();
    config.floodLinesPerSecond = 5;
    config.floodBurstLines = 8;
    TestServer server(config);
    auto bystander = quietBystander(server);
    QVERIFY(bystander);
    auto flooder = server.connectClient();
    QVERIFY(flooder->registerAs("flooder"));
    QVERIFY(flooder->sync());

    constexpr int kLines = 30;
    QByteArray burst;
    for (int i = 0; i < kLines; ++i)
        burst += "PRIVMSG #lobby :" + QByteArray::number(i) + "\r\n";
    QElapsedTimer timer;
    timer.start();
    flooder->sendRaw(burst);
    // Once the server has taken the burst in (its first line is delivered), the QUIT and the close
    // come: the QUIT then waits unread in the socket behind the throttled lines, and must still be
    // read after the close is reported.
    int delivered = 0;
    bool inOrder = true;
    const auto countDelivered = [&](const protocol::Message &message) {
        if (message.command == "PRIVMSG")
            inOrder = inOrder && message.param(1) == QByteArray::number(delivered++);
    };
    QVERIFY(bystander->waitFor([&](const protocol::Message &message) {
        countDelivered(message);
        return message.command == "PRIVMSG";
    }));
    flooder->sendRaw("QUIT :last words\r\n");
    flooder->socket().flush();
    flooder->socket().disconnectFromHost();

    const auto quit = bystander->waitFor(
        [&](const protocol::Message &message) {
            countDelivered(message);
            return message.command == "QUIT";
        },
        60'000);
    const qint64 elapsedMs = timer.elapsed();
    QVERIFY(quit);
    QVERIFY(inOrder); // none skipped, none out of turn
    QCOMPARE(quit->sourceNick(), QByteArray("flooder"));
    QVERIFY2(quit->param(0).contains("last words"), quit->param(0).constData());
    // Never faster than the limit: the burst, then 5 a second (an upper bound: it holds however
    // slow the machine is).
    const qint64 allowed = config.floodBurstLines + elapsedMs * 5 / 1000 + 1;
    QVERIFY2(delivered <= allowed, qPrintable(QStringLiteral("%1 lines in %2 ms").arg(delivered).arg(elapsedMs)));
    QVERIFY(bystander->sync()); // the server goes on
}

void tst_Abuse::connectionCaps_data()
{
    QTest::addColumn<int>("maxClients");
    QTest::addColumn<int>("maxPerAddress");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("too many connections") << 2 << 0 << QByteArray("Server is full");
    QTest::newRow("too many from one address") << 100 << 2 << QByteArray("Too many connections from your address");
}

void tst_Abuse::connectionCaps()
{
    QFETCH(int, maxClients);
    QFETCH(int, maxPerAddress);
    QFETCH(QByteArray, reason);
    server::ServerConfig config = test::testServerConfig();
    config.maxClients = maxClients;
    config.maxClientsPerAddress = maxPerAddress;
    TestServer server(config);
    auto first = quietBystander(server, "first");
    auto second = quietBystander(server, "second");
    QVERIFY(settle({first.get(), second.get()}));
    auto third = server.connectClient();
    const auto error = third->waitForError();
    QVERIFY(error);
    QVERIFY2(error->param(0).contains(reason), error->param(0).constData());
    QVERIFY(third->waitForDisconnected());
    QVERIFY(first->receivedNothing());
    QVERIFY(second->receivedNothing());
    // Room again once someone leaves.
    second->sendLine("QUIT");
    QVERIFY(second->waitForDisconnected());
    QTRY_COMPARE(server.server().connectionCount(), 1);
    QVERIFY(server.registeredClient("fourth"));
}

void tst_Abuse::handshakesBegunTooFastFromOneAddress()
{
    // Clients that finish their handshake and leave never reach the cap on handshakes under way;
    // the rate at which an address may begin them holds them.
    server::ServerConfig config = test::testServerConfig();
    config.maxClientsPerAddress = 100;
    config.handshakeBurstPerAddress = 3;
    config.handshakesPerSecondPerAddress = 0.001; // no token comes back while the test runs
    TestServer server(config);
    auto bystander = quietBystander(server); // the first handshake from 127.0.0.1
    QVERIFY(bystander);
    for (int i = 0; i < 2; ++i) {
        auto hasty = server.registeredClient("hasty" + QByteArray::number(i));
        QVERIFY(hasty);
        hasty->sendLine("QUIT");
        QVERIFY(hasty->waitForDisconnected());
    }
    QVERIFY(settle({bystander.get()})); // past the hasty ones' comings and goings
    // The fourth from this address is closed before any TLS.
    QTcpSocket extra;
    QSignalSpy closed(&extra, &QTcpSocket::disconnected);
    extra.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(closed.wait(10'000));
    // Another address is not held back, and nobody connected is disturbed.
    auto elsewhere = server.connectClient(QHostAddress(QStringLiteral("127.0.0.2")));
    QVERIFY(elsewhere->waitForEncrypted());
    QVERIFY(bystander->receivedNothing());
    QVERIFY(bystander->sync()); // and is answered
}

void tst_Abuse::tooManyHandshakesFromOneAddress()
{
    server::ServerConfig config = test::testServerConfig();
    config.maxClientsPerAddress = 3;
    config.handshakeTimeoutMs = 600'000; // the silent ones must still be waiting when checked
    TestServer server(config);
    auto bystander = quietBystander(server);
    QVERIFY(bystander);
    // Connections that never start TLS count against the address while they wait.
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < 3; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(QHostAddress::LocalHost, server.port());
        QTRY_VERIFY(silent.back()->state() == QAbstractSocket::ConnectedState);
    }
    // Wait until the listener has accepted all three (it closes the fourth at accept time).
    QTcpSocket extra;
    QSignalSpy closed(&extra, &QTcpSocket::disconnected);
    extra.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(closed.wait(10'000));
    for (const auto &socket : silent)
        QCOMPARE(socket->state(), QAbstractSocket::ConnectedState); // the first three still wait
    QVERIFY(bystander->receivedNothing());
    // Once they go, the address may connect again.
    silent.clear();
    QTRY_VERIFY(stillServing(server));
}

void tst_Abuse::deadPeerTimesOut()
{
    // The watcher must answer each PING within the timeout, and it shares the process (and the
    // event loop) with the server: a timeout of seconds is what a busy machine needs, not 150 ms.
    server::ServerConfig config = test::testServerConfig();
    config.pingIntervalMs = 150;
    config.pingTimeoutMs = 2'000;
    config.housekeepingIntervalMs = 20;
    TestServer server(config);
    auto watcher = server.registeredClient("watcher");
    QVERIFY(watcher);
    // The watcher stays alive by answering every PING.
    QObject::connect(watcher.get(), &TestIrcClient::messageReceived, watcher.get(), [&watcher](const Message &m) {
        if (m.command == "PING")
            watcher->sendLine("PONG :" + m.param(0));
    });
    auto dead = server.registeredClient("dead");
    QVERIFY(dead);
    QVERIFY(dead->waitForCommand("PING"));
    const auto error = dead->waitForError();
    QVERIFY(error);
    QVERIFY(error->param(0).contains("Ping timeout"));
    const auto quit = watcher->waitForCommand("QUIT");
    QVERIFY(quit);
    QCOMPARE(quit->sourceNick(), QByteArray("dead"));
    QVERIFY(quit->param(0).startsWith("Ping timeout"));
}

void tst_Abuse::livePeerAnswersPing()
{
    // A long timeout costs nothing here (nobody waits for it) and leaves the test process time to
    // answer on a busy machine; a server that ignored the PONG would still send no next PING.
    server::ServerConfig config = test::testServerConfig();
    config.pingIntervalMs = 100;
    config.pingTimeoutMs = 5'000;
    config.housekeepingIntervalMs = 20;
    TestServer server(config);
    auto alive = server.registeredClient("alive");
    QVERIFY(alive);
    for (int round = 0; round < 3; ++round) {
        const auto ping = alive->waitForCommand("PING");
        QVERIFY(ping);
        QCOMPARE(ping->param(0), QByteArray("irc.test"));
        alive->sendLine("PONG :" + ping->param(0));
    }
    QVERIFY(alive->isConnected());
}

QTEST_MAIN(tst_Abuse)
#include "tst_abuse.moc"
