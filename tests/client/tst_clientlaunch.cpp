// The real tktalk binary started as a client: without a display, and offscreen against a real server.

#include "testserver.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <csignal>

using namespace tktalk;

class tst_ClientLaunch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noDisplayIsOneLine();
    void logsInAndQuitsOnSigterm();

private:
    static QProcessEnvironment cleanEnvironment(const QTemporaryDir &home);
};

QProcessEnvironment tst_ClientLaunch::cleanEnvironment(const QTemporaryDir &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The client's settings (pins, last login) go to a fresh place, not the user's.
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    environment.insert(QStringLiteral("HOME"), home.path());
    return environment;
}

void tst_ClientLaunch::noDisplayIsOneLine()
{
    QTemporaryDir home;
    QProcessEnvironment environment = cleanEnvironment(home);
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QLatin1String(name));
    QProcess client;
    client.setProcessEnvironment(environment);
    QSignalSpy finished(&client, &QProcess::finished);
    client.start(QStringLiteral(TKTALK_BINARY), {QStringLiteral("--connect"), QStringLiteral("127.0.0.1:6697")});
    QVERIFY(finished.wait(20000));
    QCOMPARE(client.exitStatus(), QProcess::NormalExit);
    QCOMPARE(client.exitCode(), 1);
    const QByteArray error = client.readAllStandardError();
    QCOMPARE(error.count('\n'), 1);
    QVERIFY2(error.startsWith("tktalk: no display"), error.constData());
}

void tst_ClientLaunch::logsInAndQuitsOnSigterm()
{
    test::TestServer server;
    QVERIFY(server.isListening());
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QTemporaryFile caFile;
    QVERIFY(caFile.open());
    caFile.write(test::testIdentity().chain.first().toPem());
    caFile.close();

    QTemporaryDir home;
    QProcessEnvironment environment = cleanEnvironment(home);
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess client;
    client.setProcessEnvironment(environment);
    client.start(QStringLiteral(TKTALK_BINARY),
                 {QStringLiteral("--connect"), QStringLiteral("127.0.0.1:%1").arg(server.port()),
                  QStringLiteral("--nick"), QStringLiteral("carol"), QStringLiteral("--ca-file"), caFile.fileName()});
    const auto joined = bob->waitFor(
        [](const protocol::Message &message) { return message.command == "JOIN" && message.sourceNick() == "carol"; },
        30000);
    QVERIFY2(joined, client.readAllStandardError().constData());

    // SIGTERM closes the window as a user would: QUIT reaches the others, then the process ends.
    ::kill(pid_t(client.processId()), SIGTERM);
    const auto quit = bob->waitFor(
        [](const protocol::Message &message) { return message.command == "QUIT" && message.sourceNick() == "carol"; },
        20000);
    QVERIFY(quit);
    QVERIFY2(quit->param(0).contains("Leaving"), quit->param(0).constData());
    QSignalSpy finished(&client, &QProcess::finished);
    QVERIFY(client.state() == QProcess::NotRunning || finished.wait(20000));
    QCOMPARE(client.exitStatus(), QProcess::NormalExit);
    QCOMPARE(client.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_ClientLaunch)
#include "tst_clientlaunch.moc"
