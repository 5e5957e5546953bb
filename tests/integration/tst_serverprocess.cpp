#include "serverprocess.h"
#include "testircclient.h"
#include "tlsidentity.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tktalk;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

QSslCertificate certificateIn(const QString &dataDir)
{
    QFile file(QDir(dataDir).filePath(QStringLiteral("tktalk.crt")));
    if (!file.open(QIODevice::ReadOnly))
        return QSslCertificate();
    return QSslCertificate(file.readAll());
}

} // namespace

class tst_ServerProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helpAndVersion();
    void badCommandLine_data();
    void badCommandLine();
    void portInUse();
    void generatesCertificateOnceAndServes();
    void stopsCleanlyOnSignal_data();
    void stopsCleanlyOnSignal();
    void usesGivenCertificateAndMotd();
    void failedHandshakesAreLogged();
};

void tst_ServerProcess::helpAndVersion()
{
    QByteArray out;
    QByteArray err;
    QCOMPARE(test::runTktalkSeparately({QStringLiteral("--version")}, &out, &err), 0);
    QVERIFY2(out.startsWith("tktalk 0.1.0\n"), out.constData());
    QVERIFY2(out.contains("MIT License"), out.constData());
    QCOMPARE(test::runTktalkSeparately({QStringLiteral("--help")}, &out, &err), 0);
    for (const char *flag : {"--server", "--connect", "--listen", "--tls-engine", "--cert", "--key", "--data-dir", "--motd",
                             "--server-name", "--channel", "--flood-rate", "--flood-burst", "--max-clients",
                             "--max-per-ip", "--sendq", "--password-file", "--config", "--check-config",
                             "--print-config-example", "--min-password-length"})
        QVERIFY2(out.contains(flag), flag);
}

void tst_ServerProcess::badCommandLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString s = QStringLiteral("--server");
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("Unknown option 'bogus'");
    QTest::newRow("port out of range") << QStringList{s, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:70000")}
                                       << QStringLiteral("invalid value '127.0.0.1:70000' for --listen");
    QTest::newRow("listen without port") << QStringList{s, QStringLiteral("--listen"), QStringLiteral("127.0.0.1")}
                                         << QStringLiteral("for --listen");
    QTest::newRow("listen on a name") << QStringList{s, QStringLiteral("--listen"), QStringLiteral("example.org:6697")}
                                      << QStringLiteral("for --listen");
    QTest::newRow("IPv6 without brackets") << QStringList{s, QStringLiteral("--listen"), QStringLiteral("::1:6697")}
                                           << QStringLiteral("for --listen");
    QTest::newRow("missing certificate")
        << QStringList{s, QStringLiteral("--cert"), QStringLiteral("/nonexistent.pem"), QStringLiteral("--key"),
                       QStringLiteral("/nonexistent.key")}
        << QStringLiteral("--cert: /nonexistent.pem does not exist");
    QTest::newRow("certificate is a directory")
        << QStringList{s, QStringLiteral("--cert"), QStringLiteral("/tmp"), QStringLiteral("--key"), QStringLiteral("/tmp")}
        << QStringLiteral("is not a readable file");
    QTest::newRow("certificate without key") << QStringList{s, QStringLiteral("--cert"), QStringLiteral(TKTALK_BINARY)}
                                             << QStringLiteral("--cert and --key go together");
    QTest::newRow("unreadable certificate contents")
        << QStringList{s, QStringLiteral("--cert"), QStringLiteral(TKTALK_BINARY), QStringLiteral("--key"),
                       QStringLiteral(TKTALK_BINARY)}
        << QStringLiteral("holds no PEM certificate");
    QTest::newRow("flood rate not a number") << QStringList{s, QStringLiteral("--flood-rate"), QStringLiteral("fast")}
                                             << QStringLiteral("invalid value 'fast' for --flood-rate");
    QTest::newRow("flood rate nan") << QStringList{s, QStringLiteral("--flood-rate"), QStringLiteral("nan")}
                                    << QStringLiteral("invalid value 'nan' for --flood-rate");
    QTest::newRow("max clients nan") << QStringList{s, QStringLiteral("--max-clients"), QStringLiteral("NaN")}
                                     << QStringLiteral("invalid value 'NaN' for --max-clients");
    QTest::newRow("sendq infinite") << QStringList{s, QStringLiteral("--sendq"), QStringLiteral("inf")}
                                    << QStringLiteral("invalid value 'inf' for --sendq");
    QTest::newRow("negative per-ip cap") << QStringList{s, QStringLiteral("--max-per-ip"), QStringLiteral("-1")}
                                         << QStringLiteral("for --max-per-ip");
    QTest::newRow("fractional max clients") << QStringList{s, QStringLiteral("--max-clients"), QStringLiteral("1.5")}
                                            << QStringLiteral("a whole number");
    QTest::newRow("bad channel") << QStringList{s, QStringLiteral("--channel"), QStringLiteral("lobby")}
                                 << QStringLiteral("for --channel");
    QTest::newRow("missing motd") << QStringList{s, QStringLiteral("--motd"), QStringLiteral("/nonexistent-motd")}
                                  << QStringLiteral("does not exist");
    QTest::newRow("client flag on server") << QStringList{s, QStringLiteral("--nick"), QStringLiteral("x")}
                                           << QStringLiteral("--nick is a client option");
    QTest::newRow("server flag on client") << QStringList{QStringLiteral("--listen"), QStringLiteral("0.0.0.0:1")}
                                           << QStringLiteral("--listen is a server option");
    QTest::newRow("connect port out of range") << QStringList{QStringLiteral("--connect"), QStringLiteral("host:99999")}
                                               << QStringLiteral("for --connect");
    QTest::newRow("connect malformed") << QStringList{QStringLiteral("--connect"), QStringLiteral("[::1")}
                                       << QStringLiteral("for --connect");
    QTest::newRow("unknown TLS engine") << QStringList{s, QStringLiteral("--tls-engine"), QStringLiteral("gnutls")}
                                        << QStringLiteral("invalid value 'gnutls' for --tls-engine (expected qt or openssl)");
    QTest::newRow("TLS engine on the client") << QStringList{QStringLiteral("--tls-engine"), QStringLiteral("qt")}
                                              << QStringLiteral("--tls-engine is a server option (add --server)");
    QTest::newRow("missing config file") << QStringList{s, QStringLiteral("--config"), QStringLiteral("/nonexistent.conf")}
                                         << QStringLiteral("/nonexistent.conf: cannot read");
    QTest::newRow("config on the client") << QStringList{QStringLiteral("--config"), QStringLiteral("/etc/hostname")}
                                          << QStringLiteral("--config is a server option (add --server)");
    QTest::newRow("check-config with others")
        << QStringList{s, QStringLiteral("--check-config"), QStringLiteral("/etc/hostname")}
        << QStringLiteral("--check-config goes alone (not with --server)");
    QTest::newRow("password minimum zero") << QStringList{s, QStringLiteral("--min-password-length"), QStringLiteral("0")}
                                           << QStringLiteral("invalid value '0' for --min-password-length (expected a "
                                                             "whole number from 1 to 256)");
    QTest::newRow("stray argument") << QStringList{s, QStringLiteral("extra")} << QStringLiteral("unexpected argument 'extra'");
    QTest::newRow("missing value") << QStringList{s, QStringLiteral("--listen")} << QStringLiteral("Missing value after '--listen'");
}

void tst_ServerProcess::badCommandLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QTemporaryDir dir;
    if (arguments.contains(QStringLiteral("--server")))
        arguments = QStringList{QStringLiteral("--data-dir"), dir.path()} + arguments;
    QByteArray out;
    QByteArray err;
    QCOMPARE(test::runTktalkSeparately(arguments, &out, &err), 2);
    QVERIFY(out.isEmpty());
    QVERIFY2(err.startsWith("tktalk: "), err.constData());
    QCOMPARE(err.count('\n'), 1); // one clear line
    QVERIFY2(QString::fromUtf8(err).contains(message), err.constData());
}

void tst_ServerProcess::portInUse()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost));
    QTemporaryDir dir;
    QByteArray err;
    const int status = test::runTktalkSeparately({QStringLiteral("--server"), QStringLiteral("--listen"),
                                        QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort()),
                                        QStringLiteral("--data-dir"), dir.path()},
                                       nullptr, &err);
    QCOMPARE(status, 1);
    QVERIFY2(err.contains("tktalk: cannot listen on 127.0.0.1 port"), err.constData());
}

void tst_ServerProcess::generatesCertificateOnceAndServes()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    QString firstFingerprint;
    {
        ServerProcess server;
        QElapsedTimer startup;
        startup.start();
        QVERIFY2(server.start(dataDir), qPrintable(server.log()));
        qInfo("first start, certificate generation included: %lld ms", startup.elapsed());
        QVERIFY(server.log().contains(QStringLiteral("Generated a self-signed certificate")));
        // Qt's unless this run of the suite is the OpenSSL engine's (then ServerProcess says so).
        const QString engine = qEnvironmentVariable("TKTALK_TLS_ENGINE", QStringLiteral("qt"));
        QVERIFY2(server.log().contains(QStringLiteral("with the %1 TLS engine").arg(engine)), qPrintable(server.log()));
        const QSslCertificate certificate = certificateIn(dataDir);
        QVERIFY(!certificate.isNull());
        QCOMPARE(server.fingerprint(), server::formatFingerprint(certificate));
        firstFingerprint = server.fingerprint();

        TestIrcClient client;
        client.connectTo(server.port(), certificate);
        QVERIFY(client.waitForEncrypted());
        QVERIFY(client.registerAs("alice"));
        QVERIFY(server.waitForLog(QStringLiteral("Registered alice from 127.0.0.1")));
        client.sendLine("PRIVMSG #lobby :a secret body");
        QVERIFY(client.sync());
        // The whole log is in once the process has exited.
        QVERIFY(server.stop(SIGINT));
        QVERIFY(!server.log().contains(QStringLiteral("a secret body"))); // no message bodies in the log
    }
    ServerProcess again;
    QVERIFY(again.start(dataDir));
    QVERIFY(!again.log().contains(QStringLiteral("Generated")));
    QCOMPARE(again.fingerprint(), firstFingerprint);
}

void tst_ServerProcess::stopsCleanlyOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("SIGINT");
    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("SIGTERM");
}

void tst_ServerProcess::stopsCleanlyOnSignal()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, name);
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(server.start(dir.path()));
    const QSslCertificate certificate = certificateIn(dir.path());
    TestIrcClient alice;
    TestIrcClient bob;
    for (TestIrcClient *client : {&alice, &bob}) {
        client->connectTo(server.port(), certificate);
        QVERIFY(client->waitForEncrypted());
    }
    QVERIFY(alice.registerAs("alice"));
    QVERIFY(bob.registerAs("bob"));

    ::kill(pid_t(server.pid()), signalNumber);
    for (TestIrcClient *client : {&alice, &bob}) {
        const auto error = client->waitForError();
        QVERIFY(error);
        QCOMPARE(error->params, QByteArrayList{"Server shutting down"});
        QVERIFY(client->waitForDisconnected());
    }
    // Signal 0 only checks; wait for the exit. How long that takes depends on the machine (and
    // on LeakSanitizer's check at exit): the deadline is for a hang, not a speed requirement.
    QVERIFY(server.stop(0, 60'000));
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    const QString log = server.log();
    QVERIFY2(log.contains(QStringLiteral("Received %1").arg(name)), qPrintable(log));
    QVERIFY(log.contains(QStringLiteral("All connections closed")));
}

void tst_ServerProcess::usesGivenCertificateAndMotd()
{
    QTemporaryDir dir;
    QString error;
    const server::TlsIdentity identity =
        server::generateSelfSignedIdentity({QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}, 2, &error);
    QVERIFY2(!identity.chain.isEmpty(), qPrintable(error));
    const QString certPath = dir.filePath(QStringLiteral("server.crt"));
    const QString keyPath = dir.filePath(QStringLiteral("server.key"));
    const QString motdPath = dir.filePath(QStringLiteral("motd.txt"));
    for (const auto &[path, contents] : {std::pair{certPath, identity.chain.first().toPem()},
                                         std::pair{keyPath, identity.key.toPem()},
                                         std::pair{motdPath, QByteArray("Hello from the MOTD file\r\nSecond line\n")}}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(contents);
    }
    ServerProcess server;
    QVERIFY(server.start(dir.filePath(QStringLiteral("data")),
                         {QStringLiteral("--cert"), certPath, QStringLiteral("--key"), keyPath, QStringLiteral("--motd"),
                          motdPath, QStringLiteral("--server-name"), QStringLiteral("chat.test"), QStringLiteral("--channel"),
                          QStringLiteral("#main")}));
    QCOMPARE(server.fingerprint(), identity.fingerprint());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("data/tktalk.crt"))));
    TestIrcClient client;
    client.connectTo(server.port(), identity.chain.first());
    QVERIFY(client.waitForEncrypted());
    client.sendLine("NICK m");
    client.sendLine("USER m 0 * :M");
    const auto welcome = client.waitForCommand("001");
    QVERIFY(welcome);
    QCOMPARE(welcome->source, QByteArray("chat.test"));
    const auto motd = client.waitForCommand("372");
    QVERIFY(motd);
    QCOMPARE(motd->param(1), QByteArray("- Hello from the MOTD file"));
    QVERIFY(client.waitFor(test::commandWithParam("JOIN", 0, "#main")));
    QVERIFY(server.stop(SIGTERM));
}

void tst_ServerProcess::failedHandshakesAreLogged()
{
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(server.start(dir.path()));
    QTcpSocket plaintext;
    QSignalSpy closed(&plaintext, &QTcpSocket::disconnected);
    plaintext.connectToHost(QHostAddress::LocalHost, server.port());
    plaintext.write("NICK plain\r\nUSER plain 0 * :Plain\r\n");
    QVERIFY(closed.wait(10'000));
    QVERIFY2(server.waitForLog(QStringLiteral("TLS handshake with 127.0.0.1 failed: the client does not speak TLS")),
             qPrintable(server.log()));
    QVERIFY(server.stop(SIGINT));
}

QTEST_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
