// History after SIGKILL: every message delivered before the kill and committed by a group commit
// is in the history after a restart, and what was lost is only a tail (the last group commit's
// window), never a hole. The "committed" point is proven without timing: the store writes and
// reads in order on one thread, so an offline message read back for its recipient's login proves
// that everything sent before it is on disk.

#include "history/historydatabase.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

const QStringList kServerArgs{QStringLiteral("--hash-memory"), QStringLiteral("1"),   QStringLiteral("--hash-passes"),
                              QStringLiteral("1"),             QStringLiteral("--register-limit"), QStringLiteral("0"),
                              QStringLiteral("--max-per-ip"),  QStringLiteral("0"),  QStringLiteral("--flood-rate"),
                              QStringLiteral("0")};
constexpr const char *kPassword = "correct-horse";

/// The texts of the messages kept for #lobby in @p dir's history, oldest first.
QByteArrayList storedTexts(const QTemporaryDir &dir)
{
    server::HistoryDatabase database;
    QString error;
    if (!database.open(dir.filePath(QLatin1String(server::HistoryDatabase::kFileName)), &error)) {
        qWarning("%s", qPrintable(error));
        return {QByteArrayLiteral("<cannot open>")};
    }
    server::HistoryQuery query;
    query.target = "#lobby";
    query.limit = 1'000'000;
    QByteArrayList texts;
    for (const server::HistoryEntry &entry : database.select(query).entries) {
        const auto message = Message::parse(entry.line.chopped(2));
        if (message && message->sourceNick() == "alice")
            texts << message->param(1);
    }
    return texts;
}

QByteArrayList numbered(int count)
{
    QByteArrayList texts;
    for (int i = 0; i < count; ++i)
        texts << "m" + QByteArray::number(i);
    return texts;
}

} // namespace

class tst_HistoryDurability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void committedMessagesSurviveKill();
    void killMidStreamLosesOnlyATail();

private:
    QTemporaryDir &dir() { return *m_dirHolder; }
    ServerProcess &server() { return *m_serverHolder; }
    std::unique_ptr<TestIrcClient> connect(const QByteArray &nick);
    /// Creates the account @p nick (REGISTER before registration) and returns its logged-in client.
    std::unique_ptr<TestIrcClient> registerAccount(const QByteArray &nick);

    std::unique_ptr<QTemporaryDir> m_dirHolder; ///< a fresh data directory for every test
    std::unique_ptr<ServerProcess> m_serverHolder;
    QSslCertificate m_certificate;
};

void tst_HistoryDurability::init()
{
    m_dirHolder = std::make_unique<QTemporaryDir>();
    m_serverHolder = std::make_unique<ServerProcess>();
    QVERIFY(m_dirHolder->isValid());
    QVERIFY(server().start(QStringList{QStringLiteral("--data-dir"), dir().path()} + kServerArgs));
    m_certificate = QSslCertificate::fromPath(dir().filePath(QStringLiteral("tktalk.crt"))).value(0);
    QVERIFY(!m_certificate.isNull());
}

std::unique_ptr<TestIrcClient> tst_HistoryDurability::connect(const QByteArray &nick)
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(server().port(), m_certificate);
    if (!client->waitForEncrypted())
        return nullptr;
    if (!nick.isEmpty() && !client->registerAs(nick))
        return nullptr;
    return client;
}

std::unique_ptr<TestIrcClient> tst_HistoryDurability::registerAccount(const QByteArray &nick)
{
    auto client = connect({});
    if (!client)
        return nullptr;
    client->sendLine("NICK " + nick);
    client->sendLine(QByteArray("REGISTER * * ") + kPassword);
    if (!client->waitFor(test::commandWithParam("REGISTER", 0, "SUCCESS")))
        return nullptr;
    client->sendLine("USER " + nick + " 0 * :" + nick);
    if (!client->waitForCommand("001") || !client->waitFor(test::commandWithParam("366", 1, "#lobby")))
        return nullptr;
    return client;
}

void tst_HistoryDurability::committedMessagesSurviveKill()
{
    constexpr int kMessages = 300;
    auto carol = registerAccount("carol");
    QVERIFY(carol);
    carol->sendLine("QUIT :away for now");
    QVERIFY(carol->waitForDisconnected());
    auto alice = registerAccount("alice");
    auto bob = connect("bob");
    QVERIFY(alice && bob);

    for (int i = 0; i < kMessages; ++i)
        alice->sendLine("PRIVMSG #lobby :m" + QByteArray::number(i));
    alice->sendLine("PRIVMSG carol :written after all of them");
    const QByteArray last = "m" + QByteArray::number(kMessages - 1);
    QVERIFY(bob->waitFor([&last](const Message &m) { return m.command == "PRIVMSG" && m.param(1) == last; }, 60'000));

    // Carol's login reads her waiting message from the store, after every earlier write.
    auto carolAgain = connect({});
    QVERIFY(carolAgain);
    carolAgain->sendLine("NICK carol");
    carolAgain->sendLine("USER carol 0 * :carol");
    carolAgain->sendLine("AUTHENTICATE PLAIN");
    const QByteArray nul(1, '\0');
    carolAgain->sendLine("AUTHENTICATE " + (nul + "carol" + nul + kPassword).toBase64());
    QVERIFY(carolAgain->waitFor([](const Message &m) { return m.command == "PRIVMSG" && m.sourceNick() == "alice"; },
                                60'000));
    server().signal(SIGKILL);
    QVERIFY(server().waitForExit());

    QCOMPARE(storedTexts(dir()), numbered(kMessages));

    // The restarted server keeps storing and serving: history is on, nothing said is "off".
    ServerProcess restarted;
    QVERIFY(restarted.start(QStringList{QStringLiteral("--data-dir"), dir().path()} + kServerArgs));
    QVERIFY2(!restarted.log().contains(QLatin1String("history is off")), qPrintable(restarted.log()));
}

void tst_HistoryDurability::killMidStreamLosesOnlyATail()
{
    constexpr int kMessages = 3000;
    constexpr int kKillAfter = 1500;
    auto alice = registerAccount("alice");
    auto bob = connect("bob");
    QVERIFY(alice && bob);
    int received = 0;
    bool killed = false;
    QObject::connect(bob.get(), &TestIrcClient::messageReceived, this, [&](const Message &m) {
        if (killed || m.command != "PRIVMSG")
            return;
        if (++received == kKillAfter) {
            killed = true;
            server().signal(SIGKILL);
        }
    });
    for (int i = 0; i < kMessages; ++i)
        alice->sendLine("PRIVMSG #lobby :m" + QByteArray::number(i));
    QTRY_VERIFY_WITH_TIMEOUT(killed, 120'000);
    QVERIFY(server().waitForExit());

    // What is kept is exactly the first messages, in order: a tail may be lost, never a hole.
    const QByteArrayList stored = storedTexts(dir());
    QCOMPARE(stored, numbered(int(stored.size())));
    qInfo("killed after %d messages delivered to bob: %lld in the history, %lld lost to the last group commit",
          kKillAfter, qlonglong(stored.size()), qlonglong(std::max<qsizetype>(0, kKillAfter - stored.size())));
}

QTEST_GUILESS_MAIN(tst_HistoryDurability)
#include "tst_historydurability.moc"
