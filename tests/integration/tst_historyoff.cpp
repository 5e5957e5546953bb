// --history no|off, given as a flag or in the configuration file, turns history off in the real
// server: no history.sqlite, no draft/chathistory offered, CHATHISTORY refused, no playback on
// join (a message to an offline account is then 401: tst_offlinemessages). A row with history on
// shows that the test can tell.

#include "clientsetup.h"
#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "testircclient.h"
#include "testserver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

class tst_HistoryOff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void historySwitch_data();
    void historySwitch();
};

void tst_HistoryOff::historySwitch_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<bool>("on");
    QTest::newRow("flag no") << QStringList{QStringLiteral("--history"), QStringLiteral("no")} << QByteArray() << false;
    QTest::newRow("flag off") << QStringList{QStringLiteral("--history"), QStringLiteral("off")} << QByteArray() << false;
    QTest::newRow("file no") << QStringList() << QByteArray("history = no\n") << false;
    QTest::newRow("file off") << QStringList() << QByteArray("history = off\n") << false;
    QTest::newRow("file yes (control)") << QStringList() << QByteArray("history = yes\n") << true;
}

void tst_HistoryOff::historySwitch()
{
    QFETCH(QStringList, flags);
    QFETCH(QByteArray, file);
    QFETCH(bool, on);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(QStringLiteral("data"));
    QStringList arguments = flags;
    if (!file.isEmpty()) {
        const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
        QFile conf(path);
        QVERIFY(conf.open(QIODevice::WriteOnly) && conf.write(file) == file.size());
        conf.close();
        arguments << QStringLiteral("--config") << path;
    }
    const test::TestCertificateFiles certificate;
    ServerProcess server;
    QVERIFY2(server.start(data, certificate.serverArguments() + arguments), qPrintable(server.log()));

    // The capability, and the ISUPPORT tokens.
    TestIrcClient probe;
    probe.connectTo(server.port(), test::testIdentity().chain.first());
    QVERIFY(probe.waitForEncrypted());
    const auto caps = probe.advertisedCapabilities();
    QVERIFY(caps);
    QCOMPARE(caps->contains("draft/chathistory"), on);
    QCOMPARE(caps->contains("draft/event-playback"), on);
    auto alice = test::connectRegistered(server, test::testIdentity().chain.first(), "alice");
    QVERIFY(alice);
    bool chathistoryToken = false;
    for (const Message &m : alice->received())
        chathistoryToken |= m.command == "005" && m.params.contains("MSGREFTYPES=timestamp,msgid");
    QCOMPARE(chathistoryToken, on);

    // Playback on join (here a JOIN command; the auto-join at login plays back the same way): bob joins #chat after
    // alice spoke there.
    alice->sendLine("JOIN #chat");
    QVERIFY(alice->waitFor(test::commandWithParam("366", 1, "#chat")));
    alice->sendLine("PRIVMSG #chat :said before bob came");
    QVERIFY(alice->sync());
    auto bob = test::connectRegistered(server, test::testIdentity().chain.first(), "bob");
    QVERIFY(bob);
    bob->sendLine("JOIN #chat");
    QVERIFY(bob->waitFor(test::commandWithParam("366", 1, "#chat")));
    const auto afterJoin = bob->sync();
    QVERIFY(afterJoin);
    bool playedBack = false;
    for (const Message &m : *afterJoin)
        playedBack |= m.command == "PRIVMSG" && m.param(1) == "said before bob came";
    QCOMPARE(playedBack, on);

    // CHATHISTORY: the message (bare: alice did not negotiate batch), or refused.
    alice->skipReceived();
    alice->sendLine("CHATHISTORY LATEST #chat * 10");
    const auto answer = alice->waitFor([](const Message &m) { return m.command == "PRIVMSG" || m.command == "FAIL"; });
    QVERIFY(answer);
    if (on) {
        QCOMPARE(answer->params, (QByteArrayList{"#chat", "said before bob came"}));
    } else {
        QCOMPARE(answer->params, (QByteArrayList{"CHATHISTORY", "MESSAGE_ERROR", "LATEST", "#chat",
                                                 "History is off on this server"}));
    }
    QVERIFY(bob->sync());
    QCOMPARE(QFile::exists(QDir(data).filePath(QStringLiteral("history.sqlite"))), on);
    // The server still serves.
    alice->sendLine("PRIVMSG bob :still here");
    QVERIFY(bob->waitFor([](const Message &m) { return m.command == "PRIVMSG" && m.param(1) == "still here"; }));
}

QTEST_GUILESS_MAIN(tst_HistoryOff)
#include "tst_historyoff.moc"
