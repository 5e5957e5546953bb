// SIGKILL during account registrations: every account the server acknowledged (REGISTER
// SUCCESS) is there after a restart, and the database passes SQLite's integrity check; also with
// chat traffic going on, and killed again and again on the same data.

#include "accounts/accountstore.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QSet>
#include <QSslSocket>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

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

/// The account database in @p dir opens cleanly, passes SQLite's integrity check, and holds every
/// account in @p acknowledged.
void verifyStoreHolds(const QTemporaryDir &dir, const QSet<QByteArray> &acknowledged)
{
    server::AccountStore store;
    QString error;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("accounts.sqlite")), &error), qPrintable(error));
    QVERIFY2(store.checkIntegrity(&error), qPrintable(error));
    for (const QByteArray &name : acknowledged)
        QVERIFY2(store.exists(name), name.constData());
}

} // namespace

class tst_Durability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedDuringRegistrations();
    void killedAgainAndAgainUnderChat();

private:
    /// Registers accounts over kConnections parallel connections until @p killAfterAcks of them
    /// are acknowledged, while @p chatters (if any) talk in #lobby, then kills the server.
    void registerUntilKilled(ServerProcess &server, const QSslCertificate &certificate, int killAfterAcks,
                             const QByteArray &prefix, QSet<QByteArray> &acknowledged, int chatters);
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

    QSet<QByteArray> acknowledged;
    registerUntilKilled(server, certificate, kKillAfterAcks, "acct", acknowledged, 0);
    if (QTest::currentTestFailed())
        return;
    qInfo("killed with %lld registrations acknowledged", qlonglong(acknowledged.size()));
    QVERIFY(acknowledged.size() >= kKillAfterAcks);

    verifyStoreHolds(dir, acknowledged);
    if (QTest::currentTestFailed())
        return;

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

void tst_Durability::registerUntilKilled(ServerProcess &server, const QSslCertificate &certificate, int killAfterAcks,
                                         const QByteArray &prefix, QSet<QByteArray> &acknowledged, int chatters)
{
    // Chatters keep the server busy relaying, as fast as they can: each answers every line of the
    // one before it in a ring, so each opening line goes round and round.
    std::vector<std::unique_ptr<TestIrcClient>> talkers;
    for (int i = 0; i < chatters; ++i) {
        auto talker = std::make_unique<TestIrcClient>();
        talker->connectTo(server.port(), certificate);
        QVERIFY(talker->waitForEncrypted());
        QVERIFY(talker->registerAs(prefix + "talk" + QByteArray::number(i)));
        TestIrcClient *self = talker.get();
        const QByteArray previous = prefix + "talk" + QByteArray::number((i + chatters - 1) % chatters);
        connect(self, &TestIrcClient::messageReceived, self, [self, previous](const Message &m) {
            if (m.command == "PRIVMSG" && m.sourceNick() == previous)
                self->sendLine("PRIVMSG #lobby :and another thing");
        });
        talkers.push_back(std::move(talker));
    }
    for (const auto &talker : talkers)
        talker->sendLine("PRIVMSG #lobby :let us talk");

    // Workers register accounts back to back, each on a fresh connection (a connection that
    // registered is logged in and may not register again): a new one starts as soon as one is
    // answered, so registrations are always in flight when the kill comes.
    const qsizetype before = acknowledged.size();
    int started = 0;
    bool killed = false;
    std::function<void()> startWorker = [&] {
        auto *client = new TestIrcClient(this);
        const QByteArray name = prefix + QByteArray::number(started++);
        connect(client, &TestIrcClient::messageReceived, this, [&, client](const Message &m) {
            if (m.command == "REGISTER" && m.param(0) == "SUCCESS")
                acknowledged.insert(m.param(1));
            else if (m.command != "FAIL")
                return;
            client->deleteLater();
            if (!killed && acknowledged.size() - before >= killAfterAcks) {
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
}

void tst_Durability::killedAgainAndAgainUnderChat()
{
    QTemporaryDir dir;
    const QStringList args = QStringList{QStringLiteral("--data-dir"), dir.path()} + kServerArgs
                             + QStringList{QStringLiteral("--flood-rate"), QStringLiteral("0")};
    QSet<QByteArray> acknowledged;
    QSslCertificate certificate;
    // Killed at a different point each time, on the same data directory.
    const QList<int> killAfter{7, 23, 41};
    for (int round = 0; round < killAfter.size(); ++round) {
        ServerProcess server;
        QVERIFY(server.start(args));
        if (certificate.isNull())
            certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
        registerUntilKilled(server, certificate, killAfter.at(round), "r" + QByteArray::number(round) + "x",
                            acknowledged, 6);
        if (QTest::currentTestFailed())
            return;
        verifyStoreHolds(dir, acknowledged);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%lld acknowledged accounts survived %lld kills", qlonglong(acknowledged.size()), qlonglong(killAfter.size()));
}

QTEST_GUILESS_MAIN(tst_Durability)
#include "tst_durability.moc"
