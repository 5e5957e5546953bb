// Read markers (IRCv3 draft/read-marker) across a restart of the real server process: a marker
// set before the process stops is answered, and brought by a JOIN, after it starts again.

#include "clientsetup.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

constexpr const char *kPassword = "correct-horse";
const QByteArray kMarker = "timestamp=2019-01-04T14:33:26.123Z";

/// A client registered as @p nick that asked for draft/read-marker.
std::unique_ptr<TestIrcClient> connectAs(ServerProcess &server, const QSslCertificate &certificate,
                                         const QByteArray &nick)
{
    auto client = test::connectRegistered(server, certificate, nick);
    if (!client)
        return nullptr;
    client->sendLine("CAP REQ draft/read-marker");
    if (!client->waitFor(test::commandWithParam("CAP", 1, "ACK")))
        return nullptr;
    return client;
}

/// The MARKREAD lines @p client received up to a sync, as "target timestamp".
QByteArrayList markers(TestIrcClient &client)
{
    const auto messages = client.sync();
    if (!messages)
        return {"<no answer to the sync>"};
    QByteArrayList lines;
    for (const Message &m : *messages) {
        if (m.command == "MARKREAD")
            lines << m.params.join(' ');
    }
    return lines;
}

} // namespace

class tst_ReadMarkerRestart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keptAcrossRestart();
};

void tst_ReadMarkerRestart::keptAcrossRestart()
{
    QTemporaryDir dir;
    const QStringList args = QStringList{QStringLiteral("--data-dir"), dir.path()} + test::cheapAccountArguments();
    QSslCertificate certificate;
    {
        ServerProcess server;
        QVERIFY(server.start(args));
        certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
        QVERIFY(!certificate.isNull());
        auto alice = connectAs(server, certificate, "alice");
        QVERIFY(alice);
        alice->sendLine("PRIVMSG NickServ :REGISTER " + QByteArray(kPassword));
        QCOMPARE(test::serviceSays(*alice, "NickServ"), QByteArray("The account alice is registered, and you are logged in to it"));
        alice->sendLine("MARKREAD #Dev " + kMarker);
        QCOMPARE(markers(*alice), QByteArrayList{"#Dev " + kMarker});
        QVERIFY(server.stop(SIGTERM));
    }

    ServerProcess server;
    QVERIFY(server.start(args));
    auto alice = connectAs(server, certificate, "alice");
    QVERIFY(alice);
    // Not logged in yet: a guest has no marker.
    alice->sendLine("MARKREAD #dev");
    QCOMPARE(markers(*alice), QByteArrayList{"#dev *"});
    alice->sendLine("PRIVMSG NickServ :IDENTIFY " + QByteArray(kPassword));
    QCOMPARE(test::serviceSays(*alice, "NickServ"), QByteArray("You are now logged in as alice"));
    alice->sendLine("MARKREAD #dev");
    QCOMPARE(markers(*alice), QByteArrayList{"#dev " + kMarker});
    alice->sendLine("JOIN #dev");
    QCOMPARE(markers(*alice), QByteArrayList{"#dev " + kMarker});
    QVERIFY(server.stop(SIGTERM));
}

QTEST_GUILESS_MAIN(tst_ReadMarkerRestart)
#include "tst_readmarkerrestart.moc"
