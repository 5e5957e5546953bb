// WeeChat (weechat-headless) chats on tktalk over TLS, and shows a channel's history when it joins:
// WeeChat does not ask for draft/chathistory, so the server plays the last lines back with their
// server-time, and WeeChat logs each once, in order, at the time it was said.

#include "chatscenario.h"
#include "fakeclock.h"
#include "historywitness.h"
#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "weechatclient.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

using tktalk::test::SaidLine;

namespace {

/// External programs start slower than our own test clients.
constexpr int kExternalTimeoutMs = 20'000;

/// What WeeChat logged of @p nick's messages in @p log: "date time<TAB>text", in the log's order.
QStringList messagesFrom(const QString &log, const QString &nick)
{
    QStringList lines;
    static const QRegularExpression line(QStringLiteral("^([^\\t]+)\\t[~&@%+]?(\\S+)\\t(.*)$"),
                                         QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(log); it.hasNext();) {
        const auto match = it.next();
        if (match.captured(2) == nick)
            lines << match.captured(1) + '\t' + match.captured(3);
    }
    return lines;
}

/// How WeeChat's log shows @p said: the local date and time of its server-time, to the second.
QString logged(const SaidLine &said)
{
    const QDateTime time = QDateTime::fromString(QString::fromLatin1(said.time), Qt::ISODateWithMs);
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + '\t' + QString::fromUtf8(said.text);
}

} // namespace

class tst_Weechat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chats();
    void showsPlayedBackHistoryAtItsTimes();
};

void tst_Weechat::chats()
{
    tktalk::test::WeechatClient client;
    tktalk::test::runChatScenario(client);
}

void tst_Weechat::showsPlayedBackHistoryAtItsTimes()
{
    // The server's clock is moved a day back while alice talks, then put right before WeeChat
    // joins: lines shown at the time of the playback would be a day off.
    QVERIFY2(tktalk::test::FakeClock::isAvailable(), "libfaketime is not installed (scripts/deps installs it)");
    tktalk::test::TestCertificateFiles files;
    QVERIFY(files.isValid());
    tktalk::test::FakeClock clock(files.path(QStringLiteral("faketime")));
    QVERIFY(clock.setOffset("-1d"));
    tktalk::test::ServerProcess server;
    clock.applyTo(server.process());
    QVERIFY(server.start(files.path(QStringLiteral("data")),
                         files.serverArguments() << QStringLiteral("--history-playback-age") << QStringLiteral("604800")));
    auto alice = tktalk::test::connectWitness(server.port(), "alice");
    QVERIFY(alice);
    alice->sendLine("JOIN #dev");
    QVERIFY(alice->waitFor(tktalk::test::commandWithParam("366", 1, "#dev")));
    QList<SaidLine> said = tktalk::test::say(*alice, "#dev", {"first", "second, a bit later", "third"});
    QCOMPARE(said.size(), 3);

    QVERIFY(clock.setOffset("+0"));
    tktalk::test::WeechatClient client;
    QVERIFY(client.start(server.port(), files, QStringLiteral("ext")));
    // Joining the channel plays it back (the automatic join to #lobby on registration does not).
    client.type(QStringLiteral("/join #dev"));
    QVERIFY(alice->waitFor(
        [](const tktalk::protocol::Message &m) {
            return m.command == "JOIN" && m.source.startsWith("ext!") && m.param(0) == "#dev";
        },
        kExternalTimeoutMs));
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("#dev").contains(client.messageLine("alice", "third")),
                              qPrintable(describeFailure(client, "#dev")), kExternalTimeoutMs);
    // What alice says now comes after the history, at today's time.
    said << tktalk::test::say(*alice, "#dev", {"live"});
    QCOMPARE(said.size(), 4);
    QTRY_VERIFY2_WITH_TIMEOUT(client.shown("#dev").contains(client.messageLine("alice", "live")),
                              qPrintable(describeFailure(client, "#dev")), kExternalTimeoutMs);
    const auto timeOf = [](const SaidLine &line) {
        return QDateTime::fromString(QString::fromLatin1(line.time), Qt::ISODateWithMs);
    };
    QVERIFY2(timeOf(said.at(2)).secsTo(timeOf(said.at(3))) > 20 * 3600, "the server's clock did not move");

    QStringList expected;
    for (const SaidLine &line : said)
        expected << logged(line);
    QCOMPARE(messagesFrom(client.shown("#dev"), QStringLiteral("alice")), expected);
    client.stop();
}

QTEST_GUILESS_MAIN(tst_Weechat)
#include "tst_weechat.moc"
