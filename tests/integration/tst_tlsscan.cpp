// Scans the running server with sslscan and fails on anything weaker than the policy: only
// TLS 1.2 and 1.3, only forward-secret AEAD suites, no renegotiation, no compression, no Heartbleed.

#include "serverprocess.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace tktalk;
using tktalk::test::ServerProcess;

namespace {

/// TLS 1.2 suites the policy allows: ephemeral (EC)DH key exchange and an AEAD cipher.
bool isAllowedTls12Suite(const QString &name)
{
    const bool forwardSecret = name.startsWith(QLatin1String("ECDHE-")) || name.startsWith(QLatin1String("DHE-"));
    const bool aead = name.contains(QLatin1String("-GCM-")) || name.contains(QLatin1String("CHACHA20-POLY1305"));
    return forwardSecret && aead;
}

} // namespace

class tst_TlsScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void policyHolds_data();
    void policyHolds();
};

void tst_TlsScan::policyHolds_data()
{
    QTest::addColumn<bool>("rsa");
    QTest::newRow("generated EC P-256 certificate") << false;
    QTest::newRow("RSA 2048 certificate") << true;
}

void tst_TlsScan::policyHolds()
{
    const QString sslscan = QStandardPaths::findExecutable(QStringLiteral("sslscan"));
    QVERIFY2(!sslscan.isEmpty(), "sslscan is not installed (scripts/deps installs it)");

    QFETCH(bool, rsa);
    QTemporaryDir dir;
    // A scan is hundreds of handshakes from one address: more than a client may begin at once.
    QStringList arguments{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--handshake-rate"),
                          QStringLiteral("0")};
    if (rsa) {
        // An administrator's own RSA certificate, made the usual way with the openssl tool.
        const QString cert = dir.filePath(QStringLiteral("rsa.crt"));
        const QString key = dir.filePath(QStringLiteral("rsa.key"));
        QProcess openssl;
        QSignalSpy done(&openssl, &QProcess::finished);
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
                       QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=localhost")});
        QVERIFY(done.wait(60'000));
        QCOMPARE(openssl.exitCode(), 0);
        arguments << QStringLiteral("--cert") << cert << QStringLiteral("--key") << key;
    }
    ServerProcess server;
    QVERIFY(server.start(arguments));

    QProcess scan;
    QSignalSpy finished(&scan, &QProcess::finished);
    scan.start(sslscan, {QStringLiteral("--no-colour"), QStringLiteral("--xml=-"),
                         QStringLiteral("127.0.0.1:%1").arg(server.port())});
    QVERIFY(finished.wait(120'000));
    QCOMPARE(scan.exitCode(), 0);
    const QByteArray xml = scan.readAllStandardOutput();

    QStringList enabledProtocols;
    QStringList ciphers;
    bool sawRenegotiation = false;
    QXmlStreamReader reader(xml.mid(xml.indexOf("<?xml")));
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QXmlStreamAttributes attributes = reader.attributes();
        const auto name = reader.name();
        if (name == QLatin1String("protocol")) {
            if (attributes.value(QLatin1String("enabled")) == QLatin1String("1")) {
                enabledProtocols << attributes.value(QLatin1String("type")).toString() + QLatin1Char(' ')
                                        + attributes.value(QLatin1String("version")).toString();
            }
        } else if (name == QLatin1String("renegotiation")) {
            sawRenegotiation = true;
            QCOMPARE(attributes.value(QLatin1String("supported")).toString(), QStringLiteral("0"));
        } else if (name == QLatin1String("compression")) {
            QCOMPARE(attributes.value(QLatin1String("supported")).toString(), QStringLiteral("0"));
        } else if (name == QLatin1String("heartbleed")) {
            QCOMPARE(attributes.value(QLatin1String("vulnerable")).toString(), QStringLiteral("0"));
        } else if (name == QLatin1String("cipher")) {
            const QString version = attributes.value(QLatin1String("sslversion")).toString();
            const QString cipher = attributes.value(QLatin1String("cipher")).toString();
            ciphers << version + QLatin1Char(' ') + cipher;
            if (version == QLatin1String("TLSv1.3"))
                continue; // every TLS 1.3 suite is forward-secret AEAD
            QCOMPARE(version, QStringLiteral("TLSv1.2"));
            QVERIFY2(isAllowedTls12Suite(cipher), qPrintable(cipher));
        }
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    qInfo("protocols: %s", qPrintable(enabledProtocols.join(QLatin1String(", "))));
    qInfo("suites: %s", qPrintable(ciphers.join(QLatin1String(", "))));
    QCOMPARE(enabledProtocols, (QStringList{QStringLiteral("tls 1.2"), QStringLiteral("tls 1.3")}));
    QVERIFY(sawRenegotiation);
    QVERIFY(ciphers.size() >= 4); // the scan really listed suites of both versions
    QVERIFY(ciphers.contains(QStringLiteral("TLSv1.3 TLS_AES_256_GCM_SHA384")));
}

QTEST_GUILESS_MAIN(tst_TlsScan)
#include "tst_tlsscan.moc"
