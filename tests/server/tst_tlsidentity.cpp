#include "tlsidentity.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace tktalk::server;

class tst_TlsIdentity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void generatedCertificate();
    void createdOnceThenReused();
    void loadErrors_data();
    void loadErrors();
};

void tst_TlsIdentity::generatedCertificate()
{
    QString error;
    const TlsIdentity identity = generateSelfSignedIdentity(
        {QStringLiteral("chat.example"), QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")}, 30,
        &error);
    QVERIFY2(!identity.chain.isEmpty(), qPrintable(error));
    const QSslCertificate &cert = identity.chain.first();
    QCOMPARE(identity.key.algorithm(), QSsl::Ec);
    QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("chat.example")});
    const auto names = cert.subjectAlternativeNames();
    QCOMPARE(names.values(QSsl::DnsEntry), QStringList({QStringLiteral("localhost"), QStringLiteral("chat.example")}));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("0:0:0:0:0:0:0:1"))
            || names.values(QSsl::IpAddressEntry).contains(QStringLiteral("::1")));
    QVERIFY(cert.effectiveDate() <= QDateTime::currentDateTimeUtc());
    QVERIFY(cert.expiryDate() > QDateTime::currentDateTimeUtc().addDays(29));
    QCOMPARE(identity.fingerprint().size(), 32 * 3 - 1);
    QCOMPARE(identity.fingerprint(), formatFingerprint(cert));
    // Two generations never share a key or serial.
    const TlsIdentity other = generateSelfSignedIdentity({QStringLiteral("localhost")}, 30, &error);
    QVERIFY(other.fingerprint() != identity.fingerprint());
    QVERIFY(other.chain.first().serialNumber() != cert.serialNumber());
}

void tst_TlsIdentity::createdOnceThenReused()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("state/tktalk"));
    bool created = false;
    QString error;
    const TlsIdentity first = loadOrCreateIdentity(dataDir, QStringLiteral("myhost"), &created, &error);
    QVERIFY2(!first.chain.isEmpty(), qPrintable(error));
    QVERIFY(created);
    struct stat keyStat{};
    QCOMPARE(::stat(QFile::encodeName(dataDir + QStringLiteral("/tktalk.key")).constData(), &keyStat), 0);
    QCOMPARE(keyStat.st_mode & 0777, 0600u);
    QVERIFY(first.chain.first().subjectAlternativeNames().values(QSsl::DnsEntry).contains(QStringLiteral("myhost")));

    const TlsIdentity second = loadOrCreateIdentity(dataDir, QStringLiteral("myhost"), &created, &error);
    QVERIFY(!created);
    QCOMPARE(second.fingerprint(), first.fingerprint());
    QCOMPARE(second.key.toPem(), first.key.toPem());
}

void tst_TlsIdentity::loadErrors_data()
{
    QTest::addColumn<QByteArray>("certContents");
    QTest::addColumn<QByteArray>("keyContents");
    QTest::addColumn<QString>("expected");
    QString error;
    const TlsIdentity good = generateSelfSignedIdentity({QStringLiteral("localhost")}, 1, &error);
    QTest::newRow("missing files") << QByteArray() << QByteArray() << QStringLiteral("cannot read certificate");
    QTest::newRow("not a certificate") << QByteArray("hello") << good.key.toPem() << QStringLiteral("holds no PEM certificate");
    QTest::newRow("not a key") << good.chain.first().toPem() << QByteArray("hello") << QStringLiteral("private key");
}

void tst_TlsIdentity::loadErrors()
{
    QFETCH(QByteArray, certContents);
    QFETCH(QByteArray, keyContents);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString certPath = dir.filePath(QStringLiteral("c.pem"));
    const QString keyPath = dir.filePath(QStringLiteral("k.pem"));
    if (!certContents.isEmpty()) {
        QFile c(certPath);
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write(certContents);
        QFile k(keyPath);
        QVERIFY(k.open(QIODevice::WriteOnly));
        k.write(keyContents);
    }
    QString error;
    const TlsIdentity identity = loadIdentity(certPath, keyPath, &error);
    QVERIFY(identity.chain.isEmpty() || identity.key.isNull());
    QVERIFY2(error.contains(expected), qPrintable(error));
}

QTEST_APPLESS_MAIN(tst_TlsIdentity)
#include "tst_tlsidentity.moc"
