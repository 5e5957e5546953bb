// The transport seam over real TLS on loopback, on the engine under test (TKTALK_TLS_ENGINE): a
// Listener hands over Connections, QSslSocket is the client. The same behaviour on both engines.

#include "testserver.h"
#include "transport/connection.h"
#include "transport/listener.h"

#include <QSignalSpy>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

using namespace tktalk;
using server::TlsEngine;
using server::transport::Connection;
using server::transport::Listener;

namespace {

/// Long enough for any handshake on however busy a machine; the rows that test the timeout itself
/// use kShortHandshakeTimeoutMs.
constexpr int kHandshakeTimeoutMs = 60'000;
constexpr int kShortHandshakeTimeoutMs = 300;

/// How the client leaves, in peerCloseEndsTheConnection.
enum class PeerClose { CloseNotify, TcpCloseOnly, Reset };

/// A listener of the engine under test on a free loopback port, with the test certificate.
std::unique_ptr<Listener> startListener(int maxHandshakesPerAddress = 0, int handshakeTimeoutMs = kHandshakeTimeoutMs)
{
    server::transport::ListenerSettings settings;
    settings.handshakeTimeoutMs = handshakeTimeoutMs;
    settings.maxHandshakesPerAddress = maxHandshakesPerAddress;
    auto listener = Listener::create(test::tlsEngineUnderTest(), settings);
    QString error;
    if (!listener->setIdentity(test::testIdentity(), &error))
        qFatal("cannot use the test certificate: %s", qPrintable(error));
    if (!listener->listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen: %s", qPrintable(listener->errorString()));
    return listener;
}

/// Reads everything a connection receives into @p sink, as the server's sessions do.
void collectInput(Connection *connection, QByteArray *sink)
{
    QObject::connect(connection, &Connection::readyRead, connection, [connection, sink] {
        char chunk[4096];
        qint64 received = 0;
        while ((received = connection->read(chunk, sizeof chunk)) > 0)
            sink->append(chunk, received);
    });
}

QSslConfiguration clientConfiguration()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({test::testIdentity().chain.first()});
    return configuration;
}

} // namespace

class tst_Transport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void linesBothWays();
    void policy_data();
    void policy();
    void failedHandshakes_data();
    void failedHandshakes();
    void handshakesCappedPerAddress();
    void bulkOutputArrivesWholeAndInOrder();
    void closeSendsWhatIsQueuedFirst();
    void closeDeliversTheLastLineToAClientStillSending();
    void abortDropsWhatIsQueued();
    void peerCloseEndsTheConnection_data();
    void peerCloseEndsTheConnection();
    void clientCertificateFingerprint();
    void unusableIdentityIsRefused();

private:
    /// Connects @p client to @p listener and waits for both ends' handshakes.
    Connection *establish(Listener &listener, QSslSocket &client,
                          const QSslConfiguration &configuration = clientConfiguration());
};

void tst_Transport::initTestCase()
{
    qInfo("TLS engine: %s", qPrintable(server::tlsEngineName(test::tlsEngineUnderTest())));
}

Connection *tst_Transport::establish(Listener &listener, QSslSocket &client, const QSslConfiguration &configuration)
{
    QSignalSpy ready(&listener, &Listener::connectionReady);
    QSignalSpy clientEncrypted(&client, &QSslSocket::encrypted);
    client.setSslConfiguration(configuration);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener.serverPort());
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() && !clientEncrypted.isEmpty(); }, 10'000))
        return nullptr;
    auto *connection = ready.first().first().value<Connection *>();
    connection->setParent(&listener);
    return connection;
}

void tst_Transport::linesBothWays()
{
    auto listener = startListener();
    QSslSocket client;
    Connection *connection = establish(*listener, client);
    QVERIFY(connection);
    QCOMPARE(connection->protocolName(), QStringLiteral("TLSv1.3"));
    QVERIFY(connection->cipherName().startsWith(QLatin1String("TLS_")));
    QVERIFY(connection->peerCertificateSha256().isEmpty());
    QCOMPARE(connection->peerAddress(), QHostAddress(QHostAddress::LocalHost));

    QByteArray serverReceived;
    collectInput(connection, &serverReceived);
    client.write("PING a\r\nPING b\r\n");
    QTRY_COMPARE(serverReceived, QByteArray("PING a\r\nPING b\r\n"));

    // Writes wait for the end of the event-loop turn, then go out together.
    connection->write("PONG a\r\n");
    connection->write("PONG b\r\n");
    QCOMPARE(connection->bytesToWrite(), qint64(16));
    QByteArray clientReceived;
    connect(&client, &QSslSocket::readyRead, &client, [&] { clientReceived += client.readAll(); });
    QTRY_COMPARE(clientReceived, QByteArray("PONG a\r\nPONG b\r\n"));
    QCOMPARE(connection->bytesToWrite(), qint64(0));
}

void tst_Transport::policy_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::addColumn<QString>("cipher");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("TLS 1.3") << QSsl::TlsV1_3 << QString() << true;
    QTest::newRow("TLS 1.2, ECDHE with AES-GCM") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES128-GCM-SHA256" << true;
    QTest::newRow("TLS 1.2, ECDHE with AES-256-GCM") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES256-GCM-SHA384" << true;
    QTest::newRow("TLS 1.2, ECDHE with ChaCha20") << QSsl::TlsV1_2 << "ECDHE-ECDSA-CHACHA20-POLY1305" << true;
    QTest::newRow("TLS 1.2, CBC only") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES128-SHA" << false;
    QTest::newRow("TLS 1.2, CBC with SHA-256 only") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES128-SHA256" << false;
}

void tst_Transport::policy()
{
    QFETCH(QSsl::SslProtocol, protocol);
    QFETCH(QString, cipher);
    QFETCH(bool, accepted);
    auto listener = startListener();
    QSignalSpy ready(listener.get(), &Listener::connectionReady);
    QSignalSpy failed(listener.get(), &Listener::handshakeFailed);
    QSslSocket client;
    QSslConfiguration configuration = clientConfiguration();
    configuration.setProtocol(protocol);
    if (!cipher.isEmpty()) {
        const QSslCipher only(cipher);
        QVERIFY2(!only.isNull(), qPrintable(cipher));
        configuration.setCiphers({only});
    }
    client.setSslConfiguration(configuration);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener->serverPort());
    QTRY_VERIFY(!ready.isEmpty() || !failed.isEmpty());
    QCOMPARE(ready.size(), accepted ? 1 : 0);
    QCOMPARE(failed.size(), accepted ? 0 : 1);
    if (accepted) {
        QTRY_VERIFY(client.isEncrypted());
        if (!cipher.isEmpty())
            QCOMPARE(ready.first().first().value<Connection *>()->cipherName(), cipher);
    } else {
        QVERIFY(!failed.first().at(1).toString().isEmpty());
        QVERIFY(!client.isEncrypted());
    }
}

void tst_Transport::failedHandshakes_data()
{
    QTest::addColumn<QByteArray>("clientSends");
    QTest::addColumn<QString>("reason");
    QTest::newRow("plain IRC") << QByteArray("NICK plain\r\nUSER plain 0 * :Plain\r\n")
                               << "the client does not speak TLS";
    QTest::newRow("an HTTP request") << QByteArray("GET / HTTP/1.1\r\n\r\n") << "the client does not speak TLS";
    QTest::newRow("silence") << QByteArray() << "timed out";
    QTest::newRow("a ClientHello that stops halfway") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01", 8)
                                                      << "timed out";
    QTest::newRow("a TLS record that is no handshake") << QByteArray("\x16\x03\x01\x00\x05hello", 10)
                                                       << QString(); // OpenSSL's own reason
}

void tst_Transport::failedHandshakes()
{
    QFETCH(QByteArray, clientSends);
    QFETCH(QString, reason);
    auto listener = startListener(0, reason == QLatin1String("timed out") ? kShortHandshakeTimeoutMs : kHandshakeTimeoutMs);
    QSignalSpy failed(listener.get(), &Listener::handshakeFailed);
    QSignalSpy ready(listener.get(), &Listener::connectionReady);
    QTcpSocket client;
    QSignalSpy clientClosed(&client, &QTcpSocket::disconnected);
    client.connectToHost(QHostAddress::LocalHost, listener->serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.write(clientSends);
    QVERIFY(failed.wait(10'000));
    QCOMPARE(failed.first().first().value<QHostAddress>(), QHostAddress(QHostAddress::LocalHost));
    const QString given = failed.first().at(1).toString();
    if (reason.isEmpty())
        QVERIFY2(!given.isEmpty() && !given.contains(QLatin1String("error:")), qPrintable(given));
    else
        QCOMPARE(given, reason);
    QTRY_COMPARE(clientClosed.size(), 1);
    QCOMPARE(ready.size(), 0);
    QCOMPARE(failed.size(), 1);
}

void tst_Transport::handshakesCappedPerAddress()
{
    auto listener = startListener(2);
    QSignalSpy failed(listener.get(), &Listener::handshakeFailed);
    // Two silent connections hold both handshake slots of 127.0.0.1; a third is closed at once.
    QTcpSocket first;
    QTcpSocket second;
    QTcpSocket third;
    QSignalSpy thirdClosed(&third, &QTcpSocket::disconnected);
    for (QTcpSocket *socket : {&first, &second}) {
        socket->connectToHost(QHostAddress::LocalHost, listener->serverPort());
        QTRY_COMPARE(socket->state(), QAbstractSocket::ConnectedState);
    }
    third.connectToHost(QHostAddress::LocalHost, listener->serverPort()); // accepted after them
    QTRY_COMPARE_WITH_TIMEOUT(thirdClosed.size(), 1, 10'000);
    QCOMPARE(failed.size(), 0); // refused, not failed: it never started a handshake
    QCOMPARE(first.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(second.state(), QAbstractSocket::ConnectedState);
    // Once their handshakes end, the address may try again.
    first.abort();
    second.abort();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 10'000);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("the client closed the connection"));
    QSslSocket client;
    QVERIFY(establish(*listener, client));
}

void tst_Transport::bulkOutputArrivesWholeAndInOrder()
{
    // Far more than the kernel's socket buffers hold: the connection must wait for the socket to
    // become writable again, and resume with the same bytes.
    auto listener = startListener();
    QSslSocket client;
    Connection *connection = establish(*listener, client);
    QVERIFY(connection);
    QByteArray expected;
    const auto queueLines = [&](int first, int count) {
        for (int i = first; i < first + count; ++i) {
            const QByteArray line = "PRIVMSG #bulk :" + QByteArray::number(i) + ' ' + QByteArray(300 + i % 200, 'x') + "\r\n";
            connection->write(line);
            expected += line;
        }
    };
    queueLines(0, 10'000);
    const qint64 firstBatch = connection->bytesToWrite();
    // Once part of it is out, queue more behind what is still waiting.
    QTRY_VERIFY(connection->bytesToWrite() < firstBatch);
    queueLines(10'000, 10'000);
    QByteArray received;
    connect(&client, &QSslSocket::readyRead, &client, [&] { received += client.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), expected.size(), 30'000);
    QVERIFY(received == expected);
    QTRY_COMPARE(connection->bytesToWrite(), qint64(0));
}

void tst_Transport::closeSendsWhatIsQueuedFirst()
{
    auto listener = startListener();
    QSslSocket client;
    Connection *connection = establish(*listener, client);
    QVERIFY(connection);
    QSignalSpy disconnected(connection, &Connection::disconnected);
    QSignalSpy clientClosed(&client, &QSslSocket::disconnected);
    QByteArray received;
    connect(&client, &QSslSocket::readyRead, &client, [&] { received += client.readAll(); });
    connection->write("NOTICE * :first\r\n");
    connection->close("ERROR :Closing Link: 127.0.0.1 (Bye)\r\n");
    connection->write("PRIVMSG late :not sent\r\n"); // ignored once closing
    QCOMPARE(connection->read(nullptr, 0), qint64(0));
    QTRY_COMPARE(clientClosed.size(), 1);
    QCOMPARE(received, QByteArray("NOTICE * :first\r\nERROR :Closing Link: 127.0.0.1 (Bye)\r\n"));
    QTRY_COMPARE(disconnected.size(), 1); // the client's close ends the lingering
    QVERIFY(connection->errorString().isEmpty());
}

void tst_Transport::closeDeliversTheLastLineToAClientStillSending()
{
    // The client stops reading while the server still has much to send, and goes on sending while
    // the server closes: its input is unread when the server lets go of the socket. A plain close
    // would then reset the connection, and the kernel would drop the output still on its way, the
    // last line with it. The client's small receive window keeps that output on its way for long.
    auto listener = startListener();
    QSignalSpy ready(listener.get(), &Listener::connectionReady);
    auto client = test::connectSlowReader(listener->serverPort(), 4096);
    QVERIFY(client);
    QTRY_COMPARE(ready.size(), 1);
    auto *connection = ready.first().first().value<Connection *>();
    connection->setParent(listener.get());
    QSignalSpy disconnected(connection, &Connection::disconnected);

    QByteArray expected;
    for (int i = 0; i < 4000; ++i) {
        const QByteArray line = "NOTICE slow :" + QByteArray::number(i) + ' ' + QByteArray(200, 'n') + "\r\n";
        connection->write(line);
        expected += line;
    }
    QTRY_VERIFY(connection->bytesToWrite() < expected.size()); // the kernel took what it could
    client->write(QByteArray(64 * 1024, 'x')); // never read by the server
    QTRY_COMPARE(client->bytesToWrite() + client->encryptedBytesToWrite(), qint64(0));
    const QByteArray lastLine = "ERROR :Closing Link: 127.0.0.1 (SendQ exceeded)\r\n";
    connection->close(lastLine);
    expected += lastLine;

    QByteArray received;
    client->setReadBufferSize(0);
    connect(client.get(), &QSslSocket::readyRead, client.get(), [&] { received += client->readAll(); });
    received += client->readAll();
    QSignalSpy clientClosed(client.get(), &QSslSocket::disconnected);
    QVERIFY(clientClosed.wait(30'000));
    QCOMPARE(received.size(), expected.size());
    QVERIFY(received.endsWith(lastLine));
    QTRY_COMPARE(disconnected.size(), 1);
}

void tst_Transport::abortDropsWhatIsQueued()
{
    auto listener = startListener();
    QSslSocket client;
    Connection *connection = establish(*listener, client);
    QVERIFY(connection);
    QSignalSpy disconnected(connection, &Connection::disconnected);
    QSignalSpy clientClosed(&client, &QSslSocket::disconnected);
    QByteArray received;
    connect(&client, &QSslSocket::readyRead, &client, [&] { received += client.readAll(); });
    connection->write("PRIVMSG dropped :never sent\r\n");
    connection->abort();
    QVERIFY(disconnected.wait());
    QTRY_COMPARE(clientClosed.size(), 1);
    QVERIFY(received.isEmpty());
    QCOMPARE(disconnected.size(), 1);
}

void tst_Transport::peerCloseEndsTheConnection_data()
{
    QTest::addColumn<PeerClose>("how");
    QTest::addColumn<QString>("error");
    QTest::newRow("close_notify, then TCP close") << PeerClose::CloseNotify << QString();
    QTest::newRow("TCP close only") << PeerClose::TcpCloseOnly << QString();
    // Qt reports a reset as the remote host closing; only the OpenSSL engine can tell them apart.
    QTest::newRow("TCP reset") << PeerClose::Reset
                               << (test::tlsEngineUnderTest() == TlsEngine::OpenSsl
                                       ? QString::fromLocal8Bit(std::strerror(ECONNRESET))
                                       : QString());
}

void tst_Transport::peerCloseEndsTheConnection()
{
    QFETCH(PeerClose, how);
    QFETCH(QString, error);
    auto listener = startListener();
    QSslSocket client;
    Connection *connection = establish(*listener, client);
    QVERIFY(connection);
    QByteArray received;
    collectInput(connection, &received);
    QSignalSpy disconnected(connection, &Connection::disconnected);
    client.write("QUIT\r\n");
    QTRY_COMPARE(received, QByteArray("QUIT\r\n"));
    switch (how) {
    case PeerClose::CloseNotify:
        client.disconnectFromHost();
        break;
    case PeerClose::Reset: {
        const linger resetOnClose{1, 0};
        QCOMPARE(::setsockopt(int(client.socketDescriptor()), SOL_SOCKET, SO_LINGER, &resetOnClose,
                              sizeof resetOnClose), 0);
        client.abort();
        break;
    }
    case PeerClose::TcpCloseOnly:
        client.abort();
        break;
    }
    QVERIFY(disconnected.wait());
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(connection->errorString(), error);
    QCOMPARE(connection->read(nullptr, 0), qint64(0));
    connection->write("PING :after the end\r\n"); // ignored, no crash
    connection->close("ERROR :too late\r\n");
    QCOMPARE(connection->bytesToWrite(), qint64(0));
}

void tst_Transport::clientCertificateFingerprint()
{
    QString error;
    const server::TlsIdentity clientIdentity =
        server::generateSelfSignedIdentity({QStringLiteral("alice")}, 1, &error);
    QVERIFY2(!clientIdentity.chain.isEmpty(), qPrintable(error));
    auto listener = startListener();
    QSslSocket client;
    QSslConfiguration configuration = clientConfiguration();
    configuration.setLocalCertificate(clientIdentity.chain.first());
    configuration.setPrivateKey(clientIdentity.key);
    Connection *connection = establish(*listener, client, configuration);
    QVERIFY(connection);
    QCOMPARE(connection->peerCertificateSha256(),
             clientIdentity.chain.first().digest(QCryptographicHash::Sha256).toHex());
}

void tst_Transport::unusableIdentityIsRefused()
{
    QString error;
    const server::TlsIdentity other = server::generateSelfSignedIdentity({QStringLiteral("other")}, 1, &error);
    server::TlsIdentity mismatched = test::testIdentity();
    mismatched.key = other.key;
    auto listener = startListener();
    QVERIFY(!listener->setIdentity(mismatched, &error));
    QVERIFY2(error.contains(QLatin1String("private key")), qPrintable(error));
    error.clear();
    QVERIFY(!listener->setIdentity(server::TlsIdentity{}, &error));
    QVERIFY(!error.isEmpty());
    // The identity it had stays in use.
    QSslSocket client;
    QVERIFY(establish(*listener, client));
    QCOMPARE(client.peerCertificate(), test::testIdentity().chain.first());
}

QTEST_MAIN(tst_Transport)
#include "tst_transport.moc"
