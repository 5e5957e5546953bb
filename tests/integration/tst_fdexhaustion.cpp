// The server out of file descriptors (a low open-file limit, set in the server process before it
// starts): it keeps serving the clients it has, refuses new ones at once with one log line rather
// than leaving them hanging, does not spin on accept(), and accepts again once descriptors are
// free. On both TLS engines: each listens with a QTcpServer, which stops accepting for good on its
// own after EMFILE.

#include "serverprocess.h"
#include "testircclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <memory>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

/// Descriptors the server may have: its own (about 20) and a few dozen clients.
constexpr rlim_t kOpenFileLimit = 64;
/// Clients tried before giving up on ever running out (the limit makes it far fewer).
constexpr int kMaxClients = int(kOpenFileLimit) + 16;
/// Connection attempts made while the server is out of descriptors.
constexpr int kRefusedAttempts = 8;
/// Clients that leave to free descriptors (the server keeps a few spare, and wants more than those).
constexpr int kClientsLeaving = 12;

enum class Outcome { Encrypted, Refused, Silent };

/// Waits until @p client's handshake finishes or the server closes the connection.
Outcome handshake(TestIrcClient &client, int timeoutMs = 15'000)
{
    QSslSocket &socket = client.socket();
    if (!socket.isEncrypted() && socket.state() != QAbstractSocket::UnconnectedState) {
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        QObject::connect(&socket, &QSslSocket::encrypted, &loop, &QEventLoop::quit);
        QObject::connect(&socket, &QAbstractSocket::errorOccurred, &loop, &QEventLoop::quit);
        QObject::connect(&socket, &QAbstractSocket::disconnected, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (socket.isEncrypted())
        return Outcome::Encrypted;
    if (socket.state() == QAbstractSocket::UnconnectedState || socket.error() != QAbstractSocket::UnknownSocketError)
        return Outcome::Refused;
    return Outcome::Silent;
}

/// The server's CPU time so far (user + system), from /proc.
qint64 cpuTimeMs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // Fields after the command name (which is in parentheses): utime is the 14th, stime the 15th.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    const qint64 ticks = fields.value(11).toLongLong() + fields.value(12).toLongLong();
    return ticks * 1000 / ::sysconf(_SC_CLK_TCK);
}

} // namespace

class tst_FdExhaustion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outOfDescriptors();
};

void tst_FdExhaustion::outOfDescriptors()
{
    QTemporaryDir dir;
    ServerProcess server;
    server.process().setChildProcessModifier([] {
        // Soft and hard: the server raises its soft limit to the hard one when it starts.
        const rlimit limit{kOpenFileLimit, kOpenFileLimit};
        ::setrlimit(RLIMIT_NOFILE, &limit);
    });
    QVERIFY(server.start(dir.path(), {QStringLiteral("--max-per-ip"), QStringLiteral("0")}));
    const QSslCertificate certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);

    // Connect until the server has no descriptor left for the next client.
    std::vector<std::unique_ptr<TestIrcClient>> clients;
    std::unique_ptr<TestIrcClient> refused;
    for (int i = 0; i < kMaxClients && !refused; ++i) {
        auto client = std::make_unique<TestIrcClient>();
        client->connectTo(server.port(), certificate);
        const Outcome outcome = handshake(*client);
        QVERIFY2(outcome != Outcome::Silent, "a client was left hanging instead of served or refused");
        if (outcome == Outcome::Refused) {
            refused = std::move(client);
            break;
        }
        QVERIFY(client->registerAs("c" + QByteArray::number(i)));
        clients.push_back(std::move(client));
    }
    QVERIFY2(refused, "the server never ran out of descriptors");
    QVERIFY2(clients.size() > kClientsLeaving, "the limit left room for too few clients to test with");
    QVERIFY(server.waitForLog(QStringLiteral("Out of file descriptors")));
    QVERIFY(server.log().contains(QStringLiteral("refusing new connections until some close")));

    // The clients it has are served.
    TestIrcClient &first = *clients.front();
    TestIrcClient &last = *clients.back();
    first.sendLine("PRIVMSG #lobby :still here");
    QVERIFY(last.waitFor(test::commandWithParam("PRIVMSG", 1, "still here")));
    QVERIFY(first.sync());

    // New clients are refused promptly, each time, and the server does not spin meanwhile.
    QElapsedTimer wall;
    wall.start();
    const qint64 cpuBefore = cpuTimeMs(server.pid());
    for (int i = 0; i < kRefusedAttempts; ++i) {
        TestIrcClient client;
        client.connectTo(server.port(), certificate);
        QCOMPARE(handshake(client), Outcome::Refused);
    }
    const qint64 cpuUsed = cpuTimeMs(server.pid()) - cpuBefore;
    // A server polling accept() in a loop would use a whole core for as long as this took.
    QVERIFY2(cpuUsed * 2 < wall.elapsed() + 100,
             qPrintable(QStringLiteral("%1 ms of CPU in %2 ms").arg(cpuUsed).arg(wall.elapsed())));
    // One log line for the whole shortage, not one per refused client.
    QCOMPARE(server.log().count(QStringLiteral("Out of file descriptors")), 1);

    // Descriptors come free: new clients are served again.
    for (int i = 0; i < kClientsLeaving; ++i) {
        clients.back()->sendLine("QUIT");
        QVERIFY(clients.back()->waitForDisconnected());
        clients.pop_back();
    }
    QVERIFY(server.waitForLog(QStringLiteral("Accepting connections again")));
    TestIrcClient newcomer;
    newcomer.connectTo(server.port(), certificate);
    QCOMPARE(handshake(newcomer), Outcome::Encrypted);
    QVERIFY(newcomer.registerAs("newcomer"));
    newcomer.sendLine("PRIVMSG #lobby :made it");
    QVERIFY(first.waitFor(test::commandWithParam("PRIVMSG", 1, "made it")));
    QVERIFY(server.stop(SIGTERM));
}

QTEST_GUILESS_MAIN(tst_FdExhaustion)
#include "tst_fdexhaustion.moc"
