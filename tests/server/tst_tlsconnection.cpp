// TlsConnection and TlsContext over real TLS on loopback, with QSslSocket as the client.

#include "testserver.h"
#include "tlsconnection.h"
#include "tlscontext.h"

#include <QSignalSpy>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

using namespace tktalk;
using server::TlsConnection;
using server::TlsContext;

namespace {

constexpr int kHandshakeTimeoutMs = 300;

/// How the client leaves, in peerCloseEndsTheConnection.
enum class PeerClose { CloseNotify, TcpCloseOnly, Reset };

/// @brief Accepts TCP connections and starts a TlsConnection on each, as the server's listener does.
class Acceptor : public QTcpServer
{
    Q_OBJECT
public:
    Acceptor()
    {
        QString error;
        m_context = TlsContext::create(test::testIdentity(), &error);
        if (!m_context)
            qFatal("cannot make the TLS context: %s", qPrintable(error));
        listen(QHostAddress::LocalHost, 0);
    }

    QList<TlsConnection *> connections;

Q_SIGNALS:
    void started(TlsConnection *connection);

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *connection = new TlsConnection(descriptor, m_context->handle(), kHandshakeTimeoutMs, this);
        connections.append(connection);
        Q_EMIT started(connection);
    }

private:
    std::shared_ptr<TlsContext> m_context;
};

/// Reads everything a connection receives into @p sink, as the server's sessions do.
void collectInput(TlsConnection *connection, QByteArray *sink)
{
    QObject::connect(connection, &TlsConnection::readyRead, connection, [connection, sink] {
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

class tst_TlsConnection : public QObject
{
    Q_OBJECT
private slots:
    void linesBothWays();
    void policy_data();
    void policy();
    void failedHandshakes_data();
    void failedHandshakes();
    void bulkOutputArrivesWholeAndInOrder();
    void disconnectSendsWhatIsQueuedFirst();
    void peerCloseEndsTheConnection_data();
    void peerCloseEndsTheConnection();
    void clientCertificateFingerprint();
    void contextRefusesMismatchedKey();

private:
    /// Connects @p client to @p acceptor and waits for both ends' handshakes.
    TlsConnection *establish(Acceptor &acceptor, QSslSocket &client,
                             const QSslConfiguration &configuration = clientConfiguration());
};

TlsConnection *tst_TlsConnection::establish(Acceptor &acceptor, QSslSocket &client,
                                            const QSslConfiguration &configuration)
{
    QSignalSpy started(&acceptor, &Acceptor::started);
    QSignalSpy clientEncrypted(&client, &QSslSocket::encrypted);
    client.setSslConfiguration(configuration);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), acceptor.serverPort());
    if (!started.wait(10'000))
        return nullptr;
    auto *connection = started.first().first().value<TlsConnection *>();
    const bool bothEncrypted = QTest::qWaitFor(
        [&] { return connection->state() == TlsConnection::State::Established && !clientEncrypted.isEmpty(); }, 10'000);
    return bothEncrypted ? connection : nullptr;
}

void tst_TlsConnection::linesBothWays()
{
    Acceptor acceptor;
    QSslSocket client;
    TlsConnection *connection = establish(acceptor, client);
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

void tst_TlsConnection::policy_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::addColumn<QString>("cipher");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("TLS 1.3") << QSsl::TlsV1_3 << QString() << true;
    QTest::newRow("TLS 1.2, ECDHE with AES-GCM") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES128-GCM-SHA256" << true;
    QTest::newRow("TLS 1.2, ECDHE with ChaCha20") << QSsl::TlsV1_2 << "ECDHE-ECDSA-CHACHA20-POLY1305" << true;
    QTest::newRow("TLS 1.2, CBC only") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES128-SHA" << false;
    QTest::newRow("TLS 1.2, CBC with SHA-256 only") << QSsl::TlsV1_2 << "ECDHE-ECDSA-AES128-SHA256" << false;
}

void tst_TlsConnection::policy()
{
    QFETCH(QSsl::SslProtocol, protocol);
    QFETCH(QString, cipher);
    QFETCH(bool, accepted);
    Acceptor acceptor;
    QSignalSpy started(&acceptor, &Acceptor::started);
    QSslSocket client;
    QSslConfiguration configuration = clientConfiguration();
    configuration.setProtocol(protocol);
    if (!cipher.isEmpty()) {
        const QSslCipher only(cipher);
        QVERIFY2(!only.isNull(), qPrintable(cipher));
        configuration.setCiphers({only});
    }
    client.setSslConfiguration(configuration);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), acceptor.serverPort());
    QVERIFY(started.wait());
    auto *connection = started.first().first().value<TlsConnection *>();
    QSignalSpy encrypted(connection, &TlsConnection::encrypted);
    QSignalSpy failed(connection, &TlsConnection::handshakeFailed);
    QTRY_VERIFY(!encrypted.isEmpty() || !failed.isEmpty());
    QCOMPARE(encrypted.size(), accepted ? 1 : 0);
    QCOMPARE(failed.size(), accepted ? 0 : 1);
    if (accepted) {
        QTRY_VERIFY(client.isEncrypted());
        if (!cipher.isEmpty())
            QCOMPARE(connection->cipherName(), cipher);
    } else {
        QVERIFY(!failed.first().first().toString().isEmpty());
        QVERIFY(!client.isEncrypted());
    }
}

void tst_TlsConnection::failedHandshakes_data()
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

void tst_TlsConnection::failedHandshakes()
{
    QFETCH(QByteArray, clientSends);
    QFETCH(QString, reason);
    Acceptor acceptor;
    QSignalSpy started(&acceptor, &Acceptor::started);
    QTcpSocket client;
    QSignalSpy clientClosed(&client, &QTcpSocket::disconnected);
    client.connectToHost(QHostAddress::LocalHost, acceptor.serverPort());
    QVERIFY(started.wait());
    auto *connection = started.first().first().value<TlsConnection *>();
    QSignalSpy failed(connection, &TlsConnection::handshakeFailed);
    QSignalSpy disconnected(connection, &TlsConnection::disconnected);
    client.write(clientSends);
    QVERIFY(failed.wait());
    const QString given = failed.first().first().toString();
    if (reason.isEmpty())
        QVERIFY(!given.isEmpty());
    else
        QCOMPARE(given, reason);
    QCOMPARE(connection->errorString(), given);
    QVERIFY(disconnected.wait());
    QTRY_COMPARE(clientClosed.size(), 1);
    QCOMPARE(connection->state(), TlsConnection::State::Closed);
}

void tst_TlsConnection::bulkOutputArrivesWholeAndInOrder()
{
    // Far more than the kernel's socket buffers hold: the connection must wait for the socket to
    // become writable again, and resume with the same bytes.
    Acceptor acceptor;
    QSslSocket client;
    TlsConnection *connection = establish(acceptor, client);
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
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), expected.size(), 20'000);
    QVERIFY(received == expected);
    QCOMPARE(connection->bytesToWrite(), qint64(0));
}

void tst_TlsConnection::disconnectSendsWhatIsQueuedFirst()
{
    Acceptor acceptor;
    QSslSocket client;
    TlsConnection *connection = establish(acceptor, client);
    QVERIFY(connection);
    QSignalSpy disconnected(connection, &TlsConnection::disconnected);
    QSignalSpy clientClosed(&client, &QSslSocket::disconnected);
    connection->write("ERROR :Closing Link: 127.0.0.1 (Bye)\r\n");
    connection->disconnectFromHost();
    QCOMPARE(connection->state(), TlsConnection::State::Closing);
    connection->write("PRIVMSG late :not sent\r\n"); // ignored once closing
    QVERIFY(disconnected.wait());
    QTRY_COMPARE(clientClosed.size(), 1);
    QCOMPARE(client.readAll(), QByteArray("ERROR :Closing Link: 127.0.0.1 (Bye)\r\n"));
    QCOMPARE(disconnected.size(), 1);
    QVERIFY(connection->errorString().isEmpty());
}

void tst_TlsConnection::peerCloseEndsTheConnection_data()
{
    QTest::addColumn<PeerClose>("how");
    QTest::addColumn<QString>("error");
    QTest::newRow("close_notify, then TCP close") << PeerClose::CloseNotify << QString();
    QTest::newRow("TCP close only") << PeerClose::TcpCloseOnly << QString();
    QTest::newRow("TCP reset") << PeerClose::Reset << QString::fromLocal8Bit(std::strerror(ECONNRESET));
}

void tst_TlsConnection::peerCloseEndsTheConnection()
{
    QFETCH(PeerClose, how);
    QFETCH(QString, error);
    Acceptor acceptor;
    QSslSocket client;
    TlsConnection *connection = establish(acceptor, client);
    QVERIFY(connection);
    QByteArray received;
    collectInput(connection, &received);
    QSignalSpy disconnected(connection, &TlsConnection::disconnected);
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
    QCOMPARE(connection->state(), TlsConnection::State::Closed);
    QCOMPARE(connection->errorString(), error);
    QCOMPARE(connection->read(nullptr, 0), qint64(0));
}

void tst_TlsConnection::clientCertificateFingerprint()
{
    QString error;
    const server::TlsIdentity clientIdentity =
        server::generateSelfSignedIdentity({QStringLiteral("alice")}, 1, &error);
    QVERIFY2(!clientIdentity.chain.isEmpty(), qPrintable(error));
    Acceptor acceptor;
    QSslSocket client;
    QSslConfiguration configuration = clientConfiguration();
    configuration.setLocalCertificate(clientIdentity.chain.first());
    configuration.setPrivateKey(clientIdentity.key);
    TlsConnection *connection = establish(acceptor, client, configuration);
    QVERIFY(connection);
    QCOMPARE(connection->peerCertificateSha256(),
             clientIdentity.chain.first().digest(QCryptographicHash::Sha256).toHex());
}

void tst_TlsConnection::contextRefusesMismatchedKey()
{
    QString error;
    const server::TlsIdentity other = server::generateSelfSignedIdentity({QStringLiteral("other")}, 1, &error);
    server::TlsIdentity mismatched = test::testIdentity();
    mismatched.key = other.key;
    QVERIFY(!TlsContext::create(mismatched, &error));
    QVERIFY2(error.contains(QLatin1String("private key")), qPrintable(error));
    QVERIFY(!TlsContext::create(server::TlsIdentity{}, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(tst_TlsConnection)
#include "tst_tlsconnection.moc"
