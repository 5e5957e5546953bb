// SIGKILL during account registrations: every account the server acknowledged (REGISTER
// SUCCESS) is there after a restart, and the database passes SQLite's integrity check.

#include "accounts/accountstore.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QSet>
#include <QSslSocket>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

constexpr int kConnections = 12;
constexpr int kKillAfterAcks = 60;
const QStringList kServerArgs{QStringLiteral("--hash-memory"), QStringLiteral("1"), QStringLiteral("--hash-passes"),
                              QStringLiteral("1"), QStringLiteral("--register-limit"), QStringLiteral("0"),
                              QStringLiteral("--max-per-ip"), QStringLiteral("0")};

} // namespace

class tst_Durability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedDuringRegistrations();
};

void tst_Durability::killedDuringRegistrations()
{
    QTemporaryDir dir;
    const QStringList args = QStringList{QStringLiteral("--data-dir"), dir.path()} + kServerArgs;
    ServerProcess server;
    QVERIFY(server.start(args));
    const QSslCertificate certificate =
        QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
    QVERIFY(!certificate.isNull());

    // Workers register accounts back to back, each on a fresh connection (a connection that
    // registered is logged in and may not register again): a new one starts as soon as one is
    // answered, so registrations are always in flight when the kill comes.
    QSet<QByteArray> acknowledged;
    int started = 0;
    bool killed = false;
    std::function<void()> startWorker = [&] {
        auto *client = new TestIrcClient(this);
        const QByteArray name = "acct" + QByteArray::number(started++);
        connect(client, &TestIrcClient::messageReceived, this, [&, client, name](const Message &m) {
            if (m.command == "REGISTER" && m.param(0) == "SUCCESS")
                acknowledged.insert(m.param(1));
            else if (m.command != "FAIL")
                return;
            client->deleteLater();
            if (!killed && acknowledged.size() >= kKillAfterAcks) {
                killed = true;
                server.signal(SIGKILL);
            }
            if (!killed)
                startWorker();
        });
        connect(&client->socket(), &QSslSocket::encrypted, client, [client, name] {
            client->sendLine("NICK " + name);
            client->sendLine("REGISTER * * correct-horse");
        });
        client->connectTo(server.port(), certificate);
    };
    for (int c = 0; c < kConnections; ++c)
        startWorker();
    QTRY_VERIFY_WITH_TIMEOUT(killed, 120'000);
    QVERIFY(server.waitForExit());
    qInfo("killed with %lld registrations acknowledged out of %d started", qlonglong(acknowledged.size()), started);
    QVERIFY(acknowledged.size() >= kKillAfterAcks);

    // The database opens cleanly and intact, and holds every acknowledged account.
    {
        server::AccountStore store;
        QString error;
        QVERIFY2(store.open(dir.filePath(QStringLiteral("accounts.sqlite")), &error), qPrintable(error));
        QVERIFY2(store.checkIntegrity(&error), qPrintable(error));
        for (const QByteArray &name : std::as_const(acknowledged))
            QVERIFY2(store.exists(name), name.constData());
    }

    // The restarted server serves them: an acknowledged account logs in.
    ServerProcess restarted;
    QVERIFY(restarted.start(args));
    TestIrcClient client;
    client.connectTo(restarted.port(), certificate);
    QVERIFY(client.waitForEncrypted());
    client.sendLine("NICK checker");
    client.sendLine("AUTHENTICATE PLAIN");
    const QByteArray nul(1, '\0');
    client.sendLine("AUTHENTICATE " + (nul + *acknowledged.begin() + nul + "correct-horse").toBase64());
    QVERIFY(client.waitForCommand("903"));
}

QTEST_GUILESS_MAIN(tst_Durability)
#include "tst_durability.moc"
