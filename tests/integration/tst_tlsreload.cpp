// SIGHUP reloads --cert/--key for new connections; a broken file keeps the old certificate. The
// same reload (SIGHUP or REHASH) re-reads the MOTD and the server password files.

#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "testircclient.h"
#include "testserver.h"
#include "tlsidentity.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <vector>

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

/// Handshakes of @p count clients started at once; each comes out with the SHA-256 of the
/// certificate it was shown, or an empty array if its handshake failed.
class HandshakeCrowd
{
public:
    HandshakeCrowd(quint16 port, int count)
    {
        for (int i = 0; i < count; ++i) {
            auto socket = std::make_unique<QSslSocket>();
            socket->setPeerVerifyMode(QSslSocket::VerifyNone);
            socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
            m_sockets.push_back(std::move(socket));
        }
    }

    /// Waits until every handshake is over, one way or the other; returns the digests.
    QList<QByteArray> outcomes(int timeoutMs = 30'000)
    {
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        auto check = [this, &loop] {
            if (std::all_of(m_sockets.begin(), m_sockets.end(), [](const auto &s) { return isOver(*s); }))
                loop.quit();
        };
        for (const auto &socket : m_sockets) {
            QObject::connect(socket.get(), &QSslSocket::encrypted, &loop, check);
            QObject::connect(socket.get(), &QAbstractSocket::errorOccurred, &loop, check);
        }
        check();
        if (!std::all_of(m_sockets.begin(), m_sockets.end(), [](const auto &s) { return isOver(*s); }))
            loop.exec();
        QList<QByteArray> digests;
        for (const auto &socket : m_sockets)
            digests << (socket->isEncrypted() ? socket->peerCertificate().digest(QCryptographicHash::Sha256) : QByteArray());
        return digests;
    }

private:
    static bool isOver(const QSslSocket &socket)
    {
        return socket.isEncrypted() || socket.error() != QAbstractSocket::UnknownSocketError;
    }

    std::vector<std::unique_ptr<QSslSocket>> m_sockets;
};

QStringList serverArguments(const QTemporaryDir &dir)
{
    return {QStringLiteral("--cert"), dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("--key"),
            dir.filePath(QStringLiteral("key.pem")), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--max-per-ip"),
            QStringLiteral("0")};
}

} // namespace

class tst_TlsReload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sighupSwapsCertificate();
    void refusedIdentityKeepsTheCurrentOne();
    void sighupStorm();
    void certificateReplacedWhileClientsConnect();
    void reloadRereadsMotdAndPassword();
};

void tst_TlsReload::sighupSwapsCertificate()
{
    QTemporaryDir dir;
    const server::TlsIdentity first = makeIdentity();
    const server::TlsIdentity second = makeIdentity();
    QVERIFY(writeIdentity(dir, first));
    ServerProcess server;
    QVERIFY(server.start(serverArguments(dir)));
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

void tst_TlsReload::sighupStorm()
{
    // Fifty SIGHUPs as fast as they can be sent, while clients chat: every reload is done on the
    // event loop between their lines, nobody is disconnected, and nothing they said is lost.
    QTemporaryDir dir;
    const server::TlsIdentity identity = makeIdentity();
    QVERIFY(writeIdentity(dir, identity));
    ServerProcess server;
    QVERIFY(server.start(serverArguments(dir)));
    std::vector<std::unique_ptr<test::TestIrcClient>> clients;
    for (int i = 0; i < 10; ++i) {
        auto client = std::make_unique<test::TestIrcClient>();
        client->connectTo(server.port(), identity.chain.first());
        QVERIFY(client->waitForEncrypted());
        QVERIFY(client->registerAs("chatter" + QByteArray::number(i)));
        clients.push_back(std::move(client));
    }
    for (const auto &client : clients) {
        QVERIFY(client->sync());
        client->skipReceived();
    }
    constexpr int kSignals = 50;
    for (int i = 0; i < kSignals; ++i) {
        server.signal(SIGHUP);
        clients[size_t(i) % clients.size()]->sendLine("PRIVMSG #lobby :line " + QByteArray::number(i));
    }
    // Every line reaches every other client (each sender's in order; senders interleave).
    for (size_t c = 0; c < clients.size(); ++c) {
        QSet<QByteArray> expected;
        for (int i = 0; i < kSignals; ++i) {
            if (size_t(i) % clients.size() != c)
                expected.insert("line " + QByteArray::number(i));
        }
        const auto last = clients[c]->waitFor([&expected](const protocol::Message &m) {
            if (m.command == "PRIVMSG")
                expected.remove(m.param(1));
            return expected.isEmpty();
        });
        QVERIFY2(last, qPrintable(QStringLiteral("client %1 is missing %2 lines").arg(c).arg(expected.size())));
    }
    // The same files every time: each SIGHUP re-reads them and finds the certificate unchanged.
    QVERIFY(server.waitForLog(QStringLiteral("SIGHUP: Certificate unchanged")));
    for (const auto &client : clients)
        QVERIFY(client->isConnected());
    QCOMPARE(presentedFingerprint(server.port()), identity.chain.first().digest(QCryptographicHash::Sha256));
    QVERIFY(server.stop(SIGTERM));
}

void tst_TlsReload::certificateReplacedWhileClientsConnect()
{
    // Clients in the middle of their handshakes when the certificate changes: each finishes with
    // the old certificate or the new one, never with a failure.
    QTemporaryDir dir;
    const server::TlsIdentity first = makeIdentity();
    const server::TlsIdentity second = makeIdentity();
    QVERIFY(writeIdentity(dir, first));
    ServerProcess server;
    QVERIFY(server.start(serverArguments(dir)));
    const QByteArray firstDigest = first.chain.first().digest(QCryptographicHash::Sha256);
    const QByteArray secondDigest = second.chain.first().digest(QCryptographicHash::Sha256);

    HandshakeCrowd crowd(server.port(), 40);
    QVERIFY(writeIdentity(dir, second));
    server.signal(SIGHUP);
    HandshakeCrowd later(server.port(), 40);
    for (const QByteArray &digest : crowd.outcomes() + later.outcomes())
        QVERIFY2(digest == firstDigest || digest == secondDigest, "a handshake failed during the reload");
    QVERIFY(server.waitForLog(QStringLiteral("Certificate reloaded")));
    QCOMPARE(presentedFingerprint(server.port()), secondDigest);
    QVERIFY(server.stop(SIGTERM));
}

void tst_TlsReload::reloadRereadsMotdAndPassword()
{
    // Each file is read again; one that cannot be read leaves what the server has in place, and
    // the report says which happened.
    const test::TestCertificateFiles certificate;
    QVERIFY(certificate.isValid());
    QTemporaryDir dir;
    const QString motdPath = dir.filePath(QStringLiteral("motd.txt"));
    const QString passwordPath = dir.filePath(QStringLiteral("password"));
    QVERIFY(writeFile(motdPath, "first day\n"));
    QVERIFY(writeFile(passwordPath, "first-secret\n"));
    server::ServerConfig config = test::testServerConfig();
    config.certFile = certificate.certificatePath();
    config.keyFile = certificate.keyPath();
    config.motdFile = motdPath;
    config.passwordFile = passwordPath;
    test::TestServer server(config);
    QVERIFY(server.isListening());
    server::Server &s = server.server();
    QCOMPARE(s.motd(), QByteArrayList{"first day"});
    QCOMPARE(s.password(), QByteArray("first-secret"));

    QStringList report = s.reload(QStringLiteral("test"));
    QVERIFY2(report.contains(QStringLiteral("MOTD unchanged")), qPrintable(report.join(u'|')));
    QVERIFY2(report.contains(QStringLiteral("server password unchanged")), qPrintable(report.join(u'|')));

    QVERIFY(writeFile(motdPath, "second day\nwith two lines\n"));
    QVERIFY(writeFile(passwordPath, "second-secret\n"));
    report = s.reload(QStringLiteral("test"));
    QVERIFY2(report.contains(QStringLiteral("MOTD reloaded")), qPrintable(report.join(u'|')));
    QVERIFY2(report.contains(QStringLiteral("server password reloaded")), qPrintable(report.join(u'|')));
    QCOMPARE(s.motd(), (QByteArrayList{"second day", "with two lines"}));
    QCOMPARE(s.password(), QByteArray("second-secret"));

    // A MOTD that is not UTF-8 and an empty password file: both refused, both kept.
    QVERIFY(writeFile(motdPath, "\xff\xfe\n"));
    QVERIFY(writeFile(passwordPath, "\n"));
    report = s.reload(QStringLiteral("test"));
    const auto starting = [&report](const QString &prefix) {
        return std::count_if(report.cbegin(), report.cend(), [&prefix](const QString &line) { return line.startsWith(prefix); });
    };
    QVERIFY2(starting(QStringLiteral("keeping the current MOTD: ")) == 1, qPrintable(report.join(u'|')));
    QVERIFY2(starting(QStringLiteral("keeping the current server password: ")) == 1, qPrintable(report.join(u'|')));
    QCOMPARE(s.motd(), (QByteArrayList{"second day", "with two lines"}));
    QCOMPARE(s.password(), QByteArray("second-secret"));
}

QTEST_GUILESS_MAIN(tst_TlsReload)
#include "tst_tlsreload.moc"
