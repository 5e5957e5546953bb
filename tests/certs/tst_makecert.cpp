// certs/make-cert.sh makes a certificate and key that the real tktalk server accepts with --cert and
// --key, that a client trusting only that certificate can verify, and that SIGHUP reloads.

#include "testircclient.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <csignal>

using tktalk::test::TestIrcClient;

namespace {

constexpr int kScriptTimeoutMs = 30'000;
constexpr int kServerTimeoutMs = 15'000;

/// Runs make-cert.sh with @p arguments in @p workingDir; returns its exit code, or -1 if it did
/// not finish.
int makeCert(const QStringList &arguments, QByteArray *output = nullptr, const QString &workingDir = {})
{
    QProcess script;
    script.setWorkingDirectory(workingDir);
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(QStringLiteral(TKTALK_MAKE_CERT), arguments);
    if (!script.waitForFinished(kScriptTimeoutMs))
        return -1;
    if (output)
        *output = script.readAll();
    return script.exitStatus() == QProcess::NormalExit ? script.exitCode() : -1;
}

QSslCertificate readCertificate(const QString &path)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path);
    return certificates.isEmpty() ? QSslCertificate() : certificates.first();
}

QByteArray fingerprintOf(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
}

/// The real tktalk binary as a server on a free loopback port, with its log collected.
class ServerProcess
{
public:
    explicit ServerProcess(const QString &dir)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("QT_LOGGING_RULES")); // the test runner hides info logs
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(&m_process, &QProcess::readyRead, &m_process, [this] { m_log += m_process.readAll(); });
        m_process.start(QStringLiteral(TKTALK_BINARY),
                        {QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--data-dir"), dir + QStringLiteral("/data"), QStringLiteral("--cert"),
                         dir + QStringLiteral("/tktalk.crt"), QStringLiteral("--key"),
                         dir + QStringLiteral("/tktalk.key")});
    }
    ~ServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            m_process.waitForFinished(kServerTimeoutMs);
        }
    }

    const QByteArray &log() const { return m_log; }

    /// Waits for the process to exit on its own and collects the rest of its log.
    bool waitForExit()
    {
        const bool finished = m_process.waitForFinished(kServerTimeoutMs);
        m_log += m_process.readAll();
        return finished;
    }
    QProcess &process() { return m_process; }

    /// The port from "Listening on 127.0.0.1:PORT", once logged; 0 before.
    quint16 port() const
    {
        const QByteArray marker = "Listening on 127.0.0.1:";
        const qsizetype at = m_log.indexOf(marker);
        if (at < 0)
            return 0;
        const qsizetype start = at + marker.size();
        qsizetype end = start;
        while (end < m_log.size() && std::isdigit(static_cast<unsigned char>(m_log.at(end))))
            ++end;
        return quint16(m_log.mid(start, end - start).toUInt());
    }

private:
    QProcess m_process;
    QByteArray m_log;
};

} // namespace

class tst_MakeCert : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverAcceptsCertificate_data();
    void serverAcceptsCertificate();
    void sighupReloadsCertificate();
    void refusesMismatchedPairAtStart();
    void rejectsBadArguments_data();
    void rejectsBadArguments();
};

void tst_MakeCert::serverAcceptsCertificate_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("expectedDns");
    QTest::addColumn<QStringList>("expectedIps");
    QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");

    QTest::newRow("defaults: EC P-256, san.cnf's names")
        << QStringList{} << QStringList{"localhost"} << QStringList{"127.0.0.1", "::1"} << QSsl::Ec;
    QTest::newRow("RSA 2048") << QStringList{"--rsa"} << QStringList{"localhost"}
                              << QStringList{"127.0.0.1", "::1"} << QSsl::Rsa;
    QTest::newRow("own host names and addresses")
        << QStringList{"chat.example.org", "localhost", "192.0.2.7", "2001:db8::7"}
        << QStringList{"chat.example.org", "localhost"} << QStringList{"192.0.2.7", "2001:db8::7"} << QSsl::Ec;
}

void tst_MakeCert::serverAcceptsCertificate()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, expectedDns);
    QFETCH(QStringList, expectedIps);
    QFETCH(QSsl::KeyAlgorithm, algorithm);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray output;
    QCOMPARE(makeCert(QStringList{QStringLiteral("--out"), dir.path()} + options, &output), 0);

    // The key is private to its owner; the certificate names exactly the hosts asked for.
    struct stat keyStat{};
    QCOMPARE(::stat(qPrintable(dir.filePath(QStringLiteral("tktalk.key"))), &keyStat), 0);
    QCOMPARE(keyStat.st_mode & 0777, mode_t(0600));
    const QSslCertificate certificate = readCertificate(dir.filePath(QStringLiteral("tktalk.crt")));
    QVERIFY(!certificate.isNull());
    QCOMPARE(certificate.publicKey().algorithm(), algorithm);
    QCOMPARE(certificate.publicKey().length(), algorithm == QSsl::Ec ? 256 : 2048);
    const auto names = certificate.subjectAlternativeNames();
    QStringList dns = names.values(QSsl::DnsEntry);
    QStringList ips = names.values(QSsl::IpAddressEntry);
    dns.sort();
    ips.sort();
    expectedDns.sort();
    expectedIps.sort();
    QCOMPARE(dns, expectedDns);
    QCOMPARE(ips, expectedIps);
    QVERIFY2(output.contains(fingerprintOf(certificate)), output.constData());

    // The real server starts with it and logs its fingerprint...
    ServerProcess server(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(server.port() != 0, kServerTimeoutMs);
    QTRY_VERIFY2_WITH_TIMEOUT(server.log().contains("fingerprint " + fingerprintOf(certificate)),
                              server.log().constData(), kServerTimeoutMs);

    // ...and a client that trusts only this certificate verifies it (as "localhost") and logs in.
    TestIrcClient client;
    client.connectTo(server.port(), certificate);
    QVERIFY2(client.waitForEncrypted(), server.log().constData());
    QVERIFY(client.registerAs("alice"));
}

void tst_MakeCert::sighupReloadsCertificate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certPath = dir.filePath(QStringLiteral("tktalk.crt"));
    QCOMPARE(makeCert({QStringLiteral("--out"), dir.path()}), 0);
    const QSslCertificate first = readCertificate(certPath);
    ServerProcess server(dir.path());
    QTRY_VERIFY_WITH_TIMEOUT(server.port() != 0, kServerTimeoutMs);

    // Renew in place, as a renewal job would, then SIGHUP: new connections get the new certificate.
    QCOMPARE(makeCert({QStringLiteral("--out"), dir.path()}), 0);
    const QSslCertificate second = readCertificate(certPath);
    QVERIFY(first != second);
    QCOMPARE(::kill(pid_t(server.process().processId()), SIGHUP), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(server.log().contains("Certificate reloaded; SHA-256 fingerprint " + fingerprintOf(second)),
                              server.log().constData(), kServerTimeoutMs);
    TestIrcClient renewed;
    renewed.connectTo(server.port(), second);
    QVERIFY(renewed.waitForEncrypted());
    QVERIFY(renewed.registerAs("bob"));

    // A broken key on reload is logged and the working certificate stays in service.
    QFile key(dir.filePath(QStringLiteral("tktalk.key")));
    QVERIFY(key.open(QIODevice::WriteOnly | QIODevice::Truncate));
    key.write("not a key\n");
    key.close();
    QCOMPARE(::kill(pid_t(server.process().processId()), SIGHUP), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(server.log().contains("SIGHUP: keeping the current certificate"),
                              server.log().constData(), kServerTimeoutMs);
    TestIrcClient afterFailure;
    afterFailure.connectTo(server.port(), second);
    QVERIFY(afterFailure.waitForEncrypted());
    QVERIFY(afterFailure.registerAs("carol"));

    // So is a key that does not belong to the certificate (a renewal copied half-way).
    QTemporaryDir other;
    QVERIFY(other.isValid());
    QCOMPARE(makeCert({QStringLiteral("--out"), other.path()}), 0);
    QVERIFY(QFile::remove(key.fileName()));
    QVERIFY(QFile::copy(other.filePath(QStringLiteral("tktalk.key")), key.fileName()));
    QCOMPARE(::kill(pid_t(server.process().processId()), SIGHUP), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(server.log().contains("does not belong to the certificate"), server.log().constData(),
                              kServerTimeoutMs);
    TestIrcClient afterMismatch;
    afterMismatch.connectTo(server.port(), second);
    QVERIFY(afterMismatch.waitForEncrypted());
    QVERIFY(afterMismatch.registerAs("dave"));
    QCOMPARE(server.process().state(), QProcess::Running);
}

void tst_MakeCert::refusesMismatchedPairAtStart()
{
    QTemporaryDir dir;
    QTemporaryDir other;
    QVERIFY(dir.isValid() && other.isValid());
    QCOMPARE(makeCert({QStringLiteral("--out"), dir.path()}), 0);
    QCOMPARE(makeCert({QStringLiteral("--out"), other.path()}), 0);
    const QString key = dir.filePath(QStringLiteral("tktalk.key"));
    QVERIFY(QFile::remove(key));
    QVERIFY(QFile::copy(other.filePath(QStringLiteral("tktalk.key")), key));

    ServerProcess server(dir.path());
    QVERIFY(server.waitForExit());
    QCOMPARE(server.process().exitCode(), 2);
    QVERIFY2(server.log().contains("does not belong to the certificate"), server.log().constData());
    QVERIFY(!server.log().contains("Listening"));
}

void tst_MakeCert::rejectsBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown option") << QStringList{"--bogus"} << QByteArray("unknown option --bogus");
    QTest::newRow("days not a number") << QStringList{"--days", "soon"} << QByteArray("--days needs a number");
    QTest::newRow("out without a directory") << QStringList{"--out"} << QByteArray("--out needs a directory");
}

void tst_MakeCert::rejectsBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray output;
    QCOMPARE(makeCert(arguments, &output, dir.path()), 2);
    QVERIFY2(output.contains(message), output.constData());
    QVERIFY(QDir(dir.path()).isEmpty());
}

QTEST_GUILESS_MAIN(tst_MakeCert)
#include "tst_makecert.moc"
