// The original TkTalk demo, end to end against the real `tktalk --server` process: the server starts,
// three people join, everyone chats, two talk privately, one lists who is online and leaves with
// .exit, then Ctrl+C stops the server. Each party's every line is checked, in order.

#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "testserver.h"

#include <QProcess>
#include <QTest>

#include <csignal>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;

namespace {

constexpr int kServerExitTimeoutMs = 15'000;

/// One received line as "<who> <COMMAND> <param>|<param>...", where <who> is the sender's nick, the
/// server's name, or "-" for lines without a source: exact enough to compare, readable on failure.
QByteArray describe(const Message &message)
{
    QByteArray who = message.source.isEmpty() ? QByteArray("-") : message.source.split('!').first();
    return who + ' ' + message.command + ' ' + message.params.join('|');
}

QByteArrayList describeFrom(const TestIrcClient &client, qsizetype start)
{
    QByteArrayList lines;
    for (qsizetype i = start; i < client.received().size(); ++i)
        lines << describe(client.received().at(i));
    return lines;
}

} // namespace

class tst_SeedDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demo();
};

void tst_SeedDemo::demo()
{
    // The server, as a user starts it, with the test certificate so that clients can trust it.
    test::TestCertificateFiles files;
    QVERIFY(files.isValid());
    test::ServerProcess server;
    QVERIFY(server.start(files.path(QStringLiteral("data")), files.serverArguments()));
    const quint16 port = server.port();
    const QSslCertificate certificate = test::testIdentity().chain.first();

    // Three people join, one after the other; each has seen its own welcome and join.
    TestIrcClient alice, bob, carol;
    QHash<const TestIrcClient *, qsizetype> start; // where each one's checked lines begin
    const std::pair<TestIrcClient *, QByteArray> people[] = {{&alice, "alice"}, {&bob, "bob"}, {&carol, "carol"}};
    for (const auto &[client, nick] : people) {
        client->connectTo(port, certificate);
        QVERIFY2(client->waitForEncrypted(), qPrintable(client->socket().errorString()));
        QVERIFY2(client->registerAs(nick), nick.constData());
        start[client] = client->received().size();
        for (const auto &[other, otherNick] : people) {
            if (other != client && start.contains(other))
                QVERIFY(other->waitFor(test::commandWithParam("JOIN", 0, "#lobby")));
        }
    }

    // Everyone chats in the room; each line reaches the two others.
    const std::pair<TestIrcClient *, QByteArray> chat[] = {
        {&alice, "Hello everyone"}, {&bob, "Hi alice, hi carol"}, {&carol, "Hey both \xf0\x9f\x91\x8b"}};
    for (const auto &[speaker, text] : chat) {
        speaker->sendLine("PRIVMSG #lobby :" + text);
        for (TestIrcClient *listener : {&alice, &bob, &carol}) {
            if (listener != speaker)
                QVERIFY(listener->waitFor(test::commandWithParam("PRIVMSG", 1, text)));
        }
    }

    // A private exchange between alice and bob (the client's "/@bob ...").
    alice.sendLine("PRIVMSG bob :psst, a secret");
    QVERIFY(bob.waitFor(test::commandWithParam("PRIVMSG", 1, "psst, a secret")));
    bob.sendLine("PRIVMSG alice :safe with me");
    QVERIFY(alice.waitFor(test::commandWithParam("PRIVMSG", 1, "safe with me")));

    // carol lists who is online (the client's "/u"), then leaves (".exit").
    carol.sendLine("NAMES #lobby");
    QVERIFY(carol.waitForCommand("366"));
    carol.sendLine("QUIT :Goodbye");
    QVERIFY(carol.waitForError());
    QVERIFY(carol.waitForDisconnected());
    QVERIFY(alice.waitForCommand("QUIT"));
    QVERIFY(bob.waitForCommand("QUIT"));

    // Ctrl+C on the server: everyone still connected is told, and the server exits cleanly.
    QVERIFY(server.stop(SIGINT, kServerExitTimeoutMs));
    QVERIFY(alice.waitForError());
    QVERIFY(bob.waitForError());
    QVERIFY(alice.waitForDisconnected());
    QVERIFY(bob.waitForDisconnected());
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);

    const QByteArrayList aliceSaw{
        "bob JOIN #lobby",
        "carol JOIN #lobby",
        "bob PRIVMSG #lobby|Hi alice, hi carol",
        "carol PRIVMSG #lobby|Hey both \xf0\x9f\x91\x8b",
        "bob PRIVMSG alice|safe with me",
        "carol QUIT Quit: Goodbye",
        "- ERROR Server shutting down",
    };
    const QByteArrayList bobSaw{
        "carol JOIN #lobby",
        "alice PRIVMSG #lobby|Hello everyone",
        "carol PRIVMSG #lobby|Hey both \xf0\x9f\x91\x8b",
        "alice PRIVMSG bob|psst, a secret",
        "carol QUIT Quit: Goodbye",
        "- ERROR Server shutting down",
    };
    const QByteArrayList carolSaw{
        "alice PRIVMSG #lobby|Hello everyone",
        "bob PRIVMSG #lobby|Hi alice, hi carol",
        "irc.test 353 carol|=|#lobby|alice bob carol",
        "irc.test 366 carol|#lobby|End of /NAMES list.",
        "- ERROR Closing Link: 127.0.0.1 (Quit: Goodbye)",
    };
    QCOMPARE(describeFrom(alice, start[&alice]), aliceSaw);
    QCOMPARE(describeFrom(bob, start[&bob]), bobSaw);
    QCOMPARE(describeFrom(carol, start[&carol]), carolSaw);

    // The server's own account of the session, in order. How many connections the shutdown closes
    // is not checked: carol's may still be closing (her client has seen the end of the stream; the
    // server has not necessarily seen hers), and alice and bob being told is checked above.
    const QStringList serverSaw{
        "Listening on 127.0.0.1:", "Registered alice from 127.0.0.1", "Registered bob from 127.0.0.1",
        "Registered carol from 127.0.0.1", "Disconnected 127.0.0.1 (carol): Quit: Goodbye", "SIGINT",
        "Shutting down; closing", "All connections closed"};
    const QString text = server.log();
    qsizetype from = 0;
    for (const QString &expected : serverSaw) {
        const qsizetype at = text.indexOf(expected, from);
        QVERIFY2(at >= 0, qPrintable(QStringLiteral("missing (in order) '%1' in the log:\n%2").arg(expected, text)));
        from = at + expected.size();
    }
}

QTEST_GUILESS_MAIN(tst_SeedDemo)
#include "tst_seeddemo.moc"
