// The Qt engine's release of idle buffers, which exists on that engine only (OpenSSL gives its own
// record buffers back as they drain). Reopening an open, drained QSslSocket and its inner TCP socket
// drops their ring buffers; connections must keep working afterwards, both ways, on TLS 1.2 and 1.3.
// releaseFreesMemory fails if a Qt update stops the reopening from giving the memory back.

#include "testserver.h"
#include "transport/connection.h"
#include "transport/idlebufferreleaser.h"
#include "transport/listener.h"

#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
// From the sanitizer runtime (sanitizer/allocator_interface.h, which GCC does not install).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

#include <memory>
#include <vector>

using namespace tktalk;
using server::transport::Connection;
using server::transport::Listener;

namespace {

/// Heap bytes in use now, as the allocator counts them.
qint64 heapInUse()
{
#if defined(__SANITIZE_ADDRESS__)
    return qint64(__sanitizer_get_current_allocated_bytes());
#else
    return qint64(mallinfo2().uordblks);
#endif
}

/// A client and the server's end of its connection.
struct Pair
{
    std::unique_ptr<QSslSocket> client;
    Connection *connection = nullptr;
    QByteArray serverReceived;
    QByteArray clientReceived;
};

} // namespace

class tst_QtBufferRelease : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void releasedConnectionsKeepWorking_data();
    void releasedConnectionsKeepWorking();
    void releaseFreesMemory();
    void busyConnectionsAreNotReleased();
    void sweepReleasesConnectionsIdleForAWholeInterval();

private:
    std::unique_ptr<Pair> connect(QSsl::SslProtocol protocol = QSsl::TlsV1_3);
    /// Sends @p bytes each way and waits until both ends have read all of it.
    bool exchange(Pair &pair, const QByteArray &bytes);

    std::unique_ptr<Listener> m_listener;
};

void tst_QtBufferRelease::init()
{
    server::transport::ListenerSettings settings;
    settings.idleBufferReleaseIntervalMs = 24 * 3600 * 1000; // the tests sweep by hand
    m_listener = Listener::create(server::TlsEngine::Qt, settings);
    QString error;
    QVERIFY2(m_listener->setIdentity(test::testIdentity(), &error), qPrintable(error));
    QVERIFY(m_listener->listen(QHostAddress::LocalHost, 0));
}

void tst_QtBufferRelease::cleanup()
{
    m_listener.reset();
}

std::unique_ptr<Pair> tst_QtBufferRelease::connect(QSsl::SslProtocol protocol)
{
    auto pair = std::make_unique<Pair>();
    pair->client = std::make_unique<QSslSocket>();
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({test::testIdentity().chain.first()});
    configuration.setProtocol(protocol);
    pair->client->setSslConfiguration(configuration);
    QSignalSpy ready(m_listener.get(), &Listener::connectionReady);
    pair->client->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_listener->serverPort());
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() && pair->client->isEncrypted(); }, 10'000))
        return nullptr;
    pair->connection = ready.first().first().value<Connection *>();
    Pair *raw = pair.get();
    QObject::connect(raw->connection, &Connection::readyRead, raw->connection, [raw] {
        char chunk[4096];
        qint64 received = 0;
        while ((received = raw->connection->read(chunk, sizeof chunk)) > 0)
            raw->serverReceived.append(chunk, received);
    });
    QObject::connect(raw->client.get(), &QSslSocket::readyRead, raw->client.get(),
                     [raw] { raw->clientReceived += raw->client->readAll(); });
    return pair;
}

bool tst_QtBufferRelease::exchange(Pair &pair, const QByteArray &bytes)
{
    pair.serverReceived.clear();
    pair.clientReceived.clear();
    pair.client->write(bytes);
    pair.connection->write(bytes);
    return QTest::qWaitFor([&] { return pair.serverReceived == bytes && pair.clientReceived == bytes; }, 20'000);
}

void tst_QtBufferRelease::releasedConnectionsKeepWorking_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::newRow("TLS 1.2") << QSsl::TlsV1_2;
    QTest::newRow("TLS 1.3") << QSsl::TlsV1_3;
}

void tst_QtBufferRelease::releasedConnectionsKeepWorking()
{
    QFETCH(QSsl::SslProtocol, protocol);
    auto pair = connect(protocol);
    QVERIFY(pair);
    const QByteArray line = "PRIVMSG #room :hello\r\n";
    QByteArray bulk;
    for (int i = 0; bulk.size() < 100'000; ++i)
        bulk += "PRIVMSG #room :" + QByteArray::number(i) + ' ' + QByteArray(100, 'b') + "\r\n";
    for (int round = 0; round < 3; ++round) {
        QVERIFY(exchange(*pair, line));
        QVERIFY(exchange(*pair, bulk));
        QVERIFY2(pair->connection->releaseIdleBuffers(), "an idle connection was not released");
        QVERIFY(!pair->connection->releaseIdleBuffers()); // nothing left to release
    }
    QVERIFY(exchange(*pair, bulk));
    QCOMPARE(pair->client->state(), QAbstractSocket::ConnectedState);
}

void tst_QtBufferRelease::releaseFreesMemory()
{
    constexpr int kConnections = 16;
    std::vector<std::unique_ptr<Pair>> pairs;
    for (int i = 0; i < kConnections; ++i) {
        pairs.push_back(connect());
        QVERIFY(pairs.back());
        // Enough each way for the socket's and the inner TCP socket's buffers to be allocated.
        QVERIFY(exchange(*pairs.back(), QByteArray(8 * 1024, 'x') + "\r\n"));
    }
    const qint64 before = heapInUse();
    for (auto &pair : pairs)
        QVERIFY(pair->connection->releaseIdleBuffers());
    const qint64 freedPerConnection = (before - heapInUse()) / kConnections;
    qInfo("released %lld bytes per idle connection", freedPerConnection);
    // Four ring-buffer chunks of at least 16 KiB were held; at least two of them must go.
    QVERIFY2(freedPerConnection >= 32 * 1024, QByteArray::number(freedPerConnection).constData());
}

void tst_QtBufferRelease::busyConnectionsAreNotReleased()
{
    auto pair = connect();
    QVERIFY(pair);
    QVERIFY(exchange(*pair, "PING a\r\n"));
    // Output queued for the end of the turn.
    pair->clientReceived.clear();
    pair->connection->write("PONG a\r\n");
    QVERIFY(!pair->connection->releaseIdleBuffers());
    QTRY_COMPARE(pair->clientReceived, QByteArray("PONG a\r\n"));
    // Input read in part: the rest waits in the socket's buffer.
    QObject::disconnect(pair->connection, &Connection::readyRead, nullptr, nullptr);
    QSignalSpy readyRead(pair->connection, &Connection::readyRead);
    pair->client->write("PING b\r\n");
    QVERIFY(readyRead.wait());
    char line[64];
    QCOMPARE(pair->connection->read(line, 1), qint64(1));
    QVERIFY(!pair->connection->releaseIdleBuffers());
    QCOMPARE(pair->connection->read(line, sizeof line), qint64(7));
    QVERIFY(pair->connection->releaseIdleBuffers());
}

void tst_QtBufferRelease::sweepReleasesConnectionsIdleForAWholeInterval()
{
    server::transport::IdleBufferReleaser &releaser = m_listener->bufferReleaser();
    auto idle = connect();
    auto busy = connect();
    QVERIFY(idle && busy);
    QVERIFY(exchange(*idle, "PING idle\r\n"));
    QVERIFY(exchange(*busy, "PING busy\r\n"));
    QCOMPARE(releaser.sweep(), 0); // both carried traffic since they were made
    QVERIFY(exchange(*busy, "PING busy\r\n"));
    QCOMPARE(releaser.sweep(), 1); // the idle one
    QCOMPARE(releaser.sweep(), 1); // the busy one, idle for a whole interval now
    QCOMPARE(releaser.sweep(), 0); // nothing left to release
    QVERIFY(exchange(*idle, "PING idle again\r\n"));
    QVERIFY(exchange(*busy, "PING busy again\r\n"));
}

QTEST_MAIN(tst_QtBufferRelease)
#include "tst_qtbufferrelease.moc"
