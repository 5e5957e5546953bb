// SIGHUP reloads --cert/--key for new connections; a broken file keeps the old certificate.

#include "serverprocess.h"
#include "testserver.h"
#include "tlsidentity.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace tktalk;
using tktalk::test::ServerProcess;

namespace {

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(contents) == contents.size();
}

bool writeIdentity(const QTemporaryDir &dir, const server::TlsIdentity &identity)
{
    return writeFile(dir.filePath(QStringLiteral("cert.pem")), identity.chain.first().toPem())
           && writeFile(dir.filePath(QStringLiteral("key.pem")), identity.key.toPem());
}

/// The SHA-256 digest of the certificate a new TLS connection to @p port is shown.
QByteArray presentedFingerprint(quint16 port)
{
    QSslSocket socket;
    // Only the certificate's identity matters here, not trust.
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!encrypted.wait(10'000))
        return {};
    return socket.peerCertificate().digest(QCryptographicHash::Sha256);
}

server::TlsIdentity makeIdentity()
{
    QString error;
    return server::generateSelfSignedIdentity({QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}, 1, &error);
}

} // namespace

class tst_TlsReload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sighupSwapsCertificate();
    void refusedIdentityKeepsTheCurrentOne();
};

void tst_TlsReload::sighupSwapsCertificate()
{
    QTemporaryDir dir;
    const server::TlsIdentity first = makeIdentity();
    const server::TlsIdentity second = makeIdentity();
    QVERIFY(writeIdentity(dir, first));
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--cert"), dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("--key"),
                          dir.filePath(QStringLiteral("key.pem")), QStringLiteral("--data-dir"), dir.path()}));
    const QByteArray firstDigest = first.chain.first().digest(QCryptographicHash::Sha256);
    const QByteArray secondDigest = second.chain.first().digest(QCryptographicHash::Sha256);
    QCOMPARE(presentedFingerprint(server.port()), firstDigest);

    // Swap the files, then SIGHUP: new connections see the new certificate.
    QVERIFY(writeIdentity(dir, second));
    QCOMPARE(presentedFingerprint(server.port()), firstDigest); // nothing changes before the signal
    server.signal(SIGHUP);
    QVERIFY(server.waitForLog(QStringLiteral("Certificate reloaded")));
    QCOMPARE(presentedFingerprint(server.port()), secondDigest);

    // A broken certificate file: the server keeps the one it has and says why.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("cert.pem")), "-----BEGIN CERTIFICATE-----\ngarbage\n"));
    server.signal(SIGHUP);
    QVERIFY(server.waitForLog(QStringLiteral("keeping the current certificate")));
    QCOMPARE(presentedFingerprint(server.port()), secondDigest);

    // A key that does not belong to the certificate is refused too.
    QVERIFY(writeFile(dir.filePath(QStringLiteral("cert.pem")), first.chain.first().toPem()));
    server.signal(SIGHUP);
    QVERIFY(server.waitForLog(QStringLiteral("keeping the current certificate")));
    QCOMPARE(presentedFingerprint(server.port()), secondDigest);
}

void tst_TlsReload::refusedIdentityKeepsTheCurrentOne()
{
    // loadIdentity() already refuses a key that does not match; this is the server's own guard,
    // for an identity that reaches it anyway.
    test::TestServer server;
    QVERIFY(server.isListening());
    const QByteArray currentDigest = test::testIdentity().chain.first().digest(QCryptographicHash::Sha256);
    server::TlsIdentity mismatched = makeIdentity();
    mismatched.key = makeIdentity().key;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Keeping the current certificate: .*private key")));
    server.server().setIdentity(mismatched);
    QCOMPARE(presentedFingerprint(server.port()), currentDigest);

    const server::TlsIdentity fresh = makeIdentity();
    server.server().setIdentity(fresh);
    QCOMPARE(presentedFingerprint(server.port()), fresh.chain.first().digest(QCryptographicHash::Sha256));
}

QTEST_GUILESS_MAIN(tst_TlsReload)
#include "tst_tlsreload.moc"
