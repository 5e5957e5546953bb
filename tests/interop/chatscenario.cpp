#include "chatscenario.h"

#include "externalclient.h"
#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "testserver.h"

#include <QTest>

namespace tktalk::test {

namespace {

/// External programs start slower than our own test clients.
constexpr int kExternalTimeoutMs = 20'000;

TestIrcClient::Predicate from(const QByteArray &nick, const QByteArray &command, int index = -1,
                              const QByteArray &value = {})
{
    return [=](const protocol::Message &m) {
        return m.command == command && m.source.startsWith(nick + '!') && (index < 0 || m.param(index) == value);
    };
}

QByteArrayList describeFrom(const TestIrcClient &client, qsizetype start)
{
    QByteArrayList lines;
    for (qsizetype i = start; i < client.received().size(); ++i) {
        const protocol::Message &m = client.received().at(i);
        lines << m.source.split('!').first() + ' ' + m.command + ' ' + m.params.join('|');
    }
    return lines;
}

} // namespace

QString describeFailure(ExternalClient &client, const QString &conversation)
{
    return QStringLiteral("the client showed, for %1:\n%2").arg(conversation, client.shown(conversation));
}

void runChatScenario(ExternalClient &client)
{
    TestCertificateFiles files;
    QVERIFY(files.isValid());
    ServerProcess server;
    QVERIFY(server.start(files.path(QStringLiteral("data")), files.serverArguments()));
    // The client works in the files' directory: stop it first, whatever happens.
    struct StopAtExit
    {
        ExternalClient &client;
        ~StopAtExit() { client.stop(); }
    } stopAtExit{client};
    TestIrcClient alice;
    alice.connectTo(server.port(), testIdentity().chain.first());
    QVERIFY(alice.waitForEncrypted());
    QVERIFY(alice.registerAs("alice"));
    const qsizetype aliceStart = alice.received().size();

    // It registers over TLS, trusting the test certificate, and lands in the default room.
    QVERIFY(client.start(server.port(), files, QStringLiteral("ext")));
    QVERIFY2(alice.waitFor(from("ext", "JOIN", 0, "#lobby"), kExternalTimeoutMs), qPrintable(server.log()));

    // It talks in the room and alice hears it.
    client.type(QStringLiteral("/msg #lobby hello from the outside"));
    QVERIFY2(alice.waitFor(from("ext", "PRIVMSG", 1, "hello from the outside"), kExternalTimeoutMs),
             qPrintable(describeFailure(client, "#lobby")));

    // It hears alice in the room and in private.
    alice.sendLine("PRIVMSG #lobby :good morning, ext");
    QTRY_VERIFY2_WITH_TIMEOUT(
        client.shown("#lobby").contains(client.messageLine("alice", "good morning, ext")),
        qPrintable(describeFailure(client, "#lobby")), kExternalTimeoutMs);
    alice.sendLine("PRIVMSG ext :just between us");
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("alice").contains(client.messageLine("alice", "just between us")),
                              qPrintable(describeFailure(client, "alice")), kExternalTimeoutMs);

    // It lists the users in the room.
    client.type(QStringLiteral("/names #lobby"));
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("#lobby").contains(client.userListLine({"alice", "ext"})),
                              qPrintable(describeFailure(client, "#lobby")), kExternalTimeoutMs);

    // It shows mode changes: alice, who founded #lobby, makes it an operator; as one, it moderates
    // the channel, and alice sees that.
    alice.sendLine("MODE #lobby +o ext");
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("#lobby").contains(client.modeLine("alice", "+o ext")),
                              qPrintable(describeFailure(client, "#lobby")), kExternalTimeoutMs);
    client.type(QStringLiteral("/mode #lobby +m"));
    QVERIFY(alice.waitFor(from("ext", "MODE", 1, "+m"), kExternalTimeoutMs));
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("#lobby").contains(client.modeLine("ext", "+m")),
                              qPrintable(describeFailure(client, "#lobby")), kExternalTimeoutMs);

    // It changes nick; alice sees the change, and so does the client itself.
    client.type(QStringLiteral("/nick ext2"));
    QVERIFY(alice.waitFor(from("ext", "NICK", 0, "ext2"), kExternalTimeoutMs));
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("#lobby").contains(client.ownNickChangeLine("ext2")),
                              qPrintable(describeFailure(client, "#lobby")), kExternalTimeoutMs);

    // Under its new name it is still heard, then it quits and alice sees it go.
    client.type(QStringLiteral("/msg #lobby renamed"));
    QVERIFY(alice.waitFor(from("ext2", "PRIVMSG", 1, "renamed"), kExternalTimeoutMs));
    client.type(QStringLiteral("/quit see you"));
    const auto quit = alice.waitFor(from("ext2", "QUIT"), kExternalTimeoutMs);
    QVERIFY(quit);
    QCOMPARE(quit->param(0), QByteArray("Quit: see you"));
    QTRY_VERIFY_WITH_TIMEOUT(client.hasExited(), kExternalTimeoutMs);

    // alice saw exactly these steps and nothing else, and the server is still serving.
    QVERIFY(alice.sync());
    const QByteArrayList aliceSaw{
        "ext JOIN #lobby",
        "ext PRIVMSG #lobby|hello from the outside",
        "alice MODE #lobby|+o|ext",
        "ext MODE #lobby|+m",
        "ext NICK ext2",
        "ext2 PRIVMSG #lobby|renamed",
        "ext2 QUIT Quit: see you",
        "irc.test PONG irc.test|sync-1",
    };
    QCOMPARE(describeFrom(alice, aliceStart), aliceSaw);
}

} // namespace tktalk::test
