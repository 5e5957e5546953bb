// irc-framework, an IRC client library from npm, chats on tktalk over TLS, and reads its history:
// the library parses our draft/chathistory batches (their start and end, each message with its
// msgid and original time), and a private conversation is there for its two accounts only.

#include "chatscenario.h"
#include "historywitness.h"
#include "nodeclient.h"
#include "serverprocess.h"
#include "testcertificatefiles.h"

#include <QRegularExpression>
#include <QTest>

using tktalk::test::NodeClient;
using tktalk::test::SaidLine;
using tktalk::test::ServerProcess;
using tktalk::test::TestCertificateFiles;

namespace {

/// External programs start slower than our own test clients.
constexpr int kExternalTimeoutMs = 20'000;
const QByteArray kPassword = "correct-horse-battery";

/// What the script shows of the first complete batch it reported after the first @p from
/// characters of its output: its start, each message in it and its end, with the batch's id
/// replaced by "ID"; empty while there is none.
QStringList firstBatch(NodeClient &client, qsizetype from)
{
    const QStringList lines = client.shown({}).mid(from).split('\n');
    static const QRegularExpression start(QStringLiteral("^batch-start (\\S+) "));
    QStringList batch;
    QString id;
    for (const QString &line : lines) {
        if (id.isEmpty()) {
            const auto match = start.match(line);
            if (!match.hasMatch())
                continue;
            id = match.captured(1);
        }
        QString shown = line;
        batch << shown.replace(QStringLiteral(" %1 ").arg(id), QStringLiteral(" ID "));
        if (line.startsWith(QStringLiteral("batch-end ") + id))
            return batch;
    }
    return {};
}

/// How the script shows @p said, from @p nick to @p target, inside a batch.
QString batched(const QString &nick, const QString &target, const SaidLine &said)
{
    return QStringLiteral("batched ID %1 %2 msgid=%3 time=%4 %5")
        .arg(nick, target, QString::fromUtf8(said.msgid), QString::fromUtf8(said.time), QString::fromUtf8(said.text));
}

/// Starts @p client as @p nick, asking for draft/chathistory, logged in to @p account if any.
bool startReader(NodeClient &client, ServerProcess &server, const TestCertificateFiles &files, const QString &nick,
                 const QByteArray &account = {})
{
    client.addOption(QStringLiteral("cap=draft/chathistory"));
    if (!account.isEmpty())
        client.addOption(QStringLiteral("account=%1:%2").arg(QString::fromUtf8(account), QString::fromUtf8(kPassword)));
    if (!client.start(server.port(), files, nick))
        return false;
    // With an account, SASL comes first: "loggedin" is shown before "registered".
    const QString loggedIn = QStringLiteral("\nloggedin %1\n").arg(QString::fromUtf8(account));
    return QTest::qWaitFor([&] { return ('\n' + client.shown({})).contains(QStringLiteral("\nregistered ")); },
                           kExternalTimeoutMs)
           && (account.isEmpty() || ('\n' + client.shown({})).contains(loggedIn));
}

/// Has @p client send `CHATHISTORY LATEST <target> * 10` and returns the batch it reports.
QStringList latest(NodeClient &client, const QString &target)
{
    const qsizetype from = client.shown({}).size();
    client.type(QStringLiteral("/raw CHATHISTORY LATEST %1 * 10").arg(target));
    const bool answered = QTest::qWaitFor(
        [&] { return !firstBatch(client, from).isEmpty() || client.shown({}).mid(from).contains("unknown FAIL"); },
        kExternalTimeoutMs);
    return answered ? firstBatch(client, from) : QStringList{QStringLiteral("(no answer)")};
}

} // namespace

class tst_IrcFramework : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chats();
    void readsChannelHistory();
    void readsPrivateHistoryOfItsOwnAccountOnly();
};

void tst_IrcFramework::chats()
{
    tktalk::test::NodeClient client;
    tktalk::test::runChatScenario(client);
}

void tst_IrcFramework::readsChannelHistory()
{
    TestCertificateFiles files;
    QVERIFY(files.isValid());
    ServerProcess server;
    QVERIFY(server.start(files.path(QStringLiteral("data")), files.serverArguments()));
    auto alice = tktalk::test::connectWitness(server.port(), "alice");
    QVERIFY(alice);
    const QList<SaidLine> said = tktalk::test::say(*alice, "#lobby", {"first", "second, later", "third"});
    QCOMPARE(said.size(), 3);

    NodeClient client;
    QVERIFY(startReader(client, server, files, QStringLiteral("ext")));
    const QStringList expected{
        QStringLiteral("batch-start ID chathistory #lobby"),
        batched(QStringLiteral("alice"), QStringLiteral("#lobby"), said.at(0)),
        batched(QStringLiteral("alice"), QStringLiteral("#lobby"), said.at(1)),
        batched(QStringLiteral("alice"), QStringLiteral("#lobby"), said.at(2)),
        QStringLiteral("batch-end ID chathistory"),
    };
    QCOMPARE(latest(client, QStringLiteral("#lobby")), expected);
    // Nothing of the history came outside the batch: it asked for draft/chathistory, so joining
    // played nothing back.
    QVERIFY2(!client.shown({}).contains(QStringLiteral("privmsg alice")), qPrintable(client.shown({})));
}

void tst_IrcFramework::readsPrivateHistoryOfItsOwnAccountOnly()
{
    TestCertificateFiles files;
    QVERIFY(files.isValid());
    ServerProcess server;
    QVERIFY(server.start(files.path(QStringLiteral("data")), files.serverArguments()));
    auto alice = tktalk::test::connectWitness(server.port(), "alice", kPassword);
    auto bob = tktalk::test::connectWitness(server.port(), "bob", kPassword);
    auto carol = tktalk::test::connectWitness(server.port(), "carol", kPassword);
    QVERIFY(alice && bob && carol);
    const QList<SaidLine> fromAlice = tktalk::test::say(*alice, "bob", {"psst, bob"});
    const QList<SaidLine> fromBob = tktalk::test::say(*bob, "alice", {"yes, alice?"});
    QCOMPARE(fromAlice.size() + fromBob.size(), 2);
    for (auto *leaving : {bob.get(), carol.get()}) {
        leaving->sendLine("QUIT");
        QVERIFY(leaving->waitForDisconnected());
    }

    // bob, back on irc-framework, reads his conversation with alice.
    NodeClient asBob;
    QVERIFY2(startReader(asBob, server, files, QStringLiteral("bob"), "bob"), qPrintable(asBob.shown({})));
    const QStringList conversation{
        QStringLiteral("batch-start ID chathistory alice"),
        batched(QStringLiteral("alice"), QStringLiteral("bob"), fromAlice.at(0)),
        batched(QStringLiteral("bob"), QStringLiteral("alice"), fromBob.at(0)),
        QStringLiteral("batch-end ID chathistory"),
    };
    QCOMPARE(latest(asBob, QStringLiteral("alice")), conversation);

    // carol, another account, finds nothing between herself and alice, nor between herself and bob.
    NodeClient asCarol;
    QVERIFY2(startReader(asCarol, server, files, QStringLiteral("carol"), "carol"), qPrintable(asCarol.shown({})));
    for (const QString &other : {QStringLiteral("alice"), QStringLiteral("bob")}) {
        const QStringList empty{QStringLiteral("batch-start ID chathistory %1").arg(other),
                                QStringLiteral("batch-end ID chathistory")};
        QCOMPARE(latest(asCarol, other), empty);
    }

    // A guest has no private history at all: the library reports the FAIL.
    NodeClient guest;
    QVERIFY(startReader(guest, server, files, QStringLiteral("dave")));
    QVERIFY(latest(guest, QStringLiteral("alice")).isEmpty());
    QVERIFY2(guest.shown({}).contains(QStringLiteral("unknown FAIL CHATHISTORY INVALID_TARGET LATEST alice ")),
             qPrintable(guest.shown({})));
    QVERIFY(alice->isConnected());
}

QTEST_GUILESS_MAIN(tst_IrcFramework)
#include "tst_ircframework.moc"
