#include "testserver.h"

#include "accounts/accountstore.h"
#include "accounts/passwordhasher.h"

#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tktalk::test {

server::TlsEngine tlsEngineUnderTest()
{
    static const server::TlsEngine engine = [] {
        const QString name = qEnvironmentVariable("TKTALK_TLS_ENGINE", QStringLiteral("qt"));
        const std::optional<server::TlsEngine> known = server::tlsEngineFromName(name);
        if (!known)
            qFatal("TKTALK_TLS_ENGINE=%s: expected qt or openssl", qPrintable(name));
        return *known;
    }();
    return engine;
}

const server::TlsIdentity &testIdentity()
{
    static const server::TlsIdentity identity = [] {
        QString error;
        server::TlsIdentity generated = server::generateSelfSignedIdentity(
            {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}, 30, &error);
        if (generated.chain.isEmpty())
            qFatal("cannot generate the test certificate: %s", qPrintable(error));
        return generated;
    }();
    return identity;
}

QSslConfiguration testServerSslConfiguration()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(testIdentity().chain);
    configuration.setPrivateKey(testIdentity().key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

server::ServerConfig testServerConfig()
{
    server::ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.serverName = "irc.test";
    config.tlsEngine = tlsEngineUnderTest();
    config.floodLinesPerSecond = 0;
    config.maxClientsPerAddress = 0;
    // The cheapest Argon2id: every server hashes a dummy password at start, which at the default
    // cost (64 MiB) takes the better part of a second under ASan on a busy machine.
    config.passwordHashOps = 1;
    config.passwordHashMemoryBytes = 8 * 1024;
    return config;
}

server::ServerConfig accountsTestConfig()
{
    return testServerConfig();
}

QByteArray saslPlain(const QByteArray &account, const QByteArray &password, const QByteArray &authzid)
{
    return (authzid + '\0' + account + '\0' + password).toBase64();
}

TestServer::TestServer(server::ServerConfig config)
{
    if (config.dataDir.isEmpty())
        config.dataDir = m_dataDir.path();
    m_server = std::make_unique<server::Server>(config, testIdentity());
    QString error;
    m_listening = m_server->listen(&error);
    if (!m_listening)
        qWarning("test server failed to listen: %s", qPrintable(error));
}

std::unique_ptr<TestIrcClient> TestServer::connectClient(const QHostAddress &from)
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(port(), testIdentity().chain.first(), from);
    if (!client->waitForEncrypted())
        qWarning("test client: TLS handshake failed: %s", qPrintable(client->socket().errorString()));
    return client;
}

bool TestServer::addAccount(const QByteArray &name, const QByteArray &password, const QByteArray &fingerprint)
{
    const server::ServerConfig &config = m_server->config();
    const server::PasswordHasher hasher({config.passwordHashOps, std::size_t(config.passwordHashMemoryBytes)});
    const bool added = m_server->accountStore().add(name, hasher.hash(password), {}, fingerprint)
                       == server::AccountStore::AddResult::Added;
    if (!added)
        qWarning("adding account %s failed: %s", name.constData(), qPrintable(m_server->accountStore().lastError()));
    return added;
}

std::unique_ptr<TestIrcClient> TestServer::registeredClient(const QByteArray &nick)
{
    auto client = connectClient();
    const bool expectJoin = !m_server->config().defaultChannel.isEmpty();
    if (!client->isConnected() || !client->registerAs(nick, expectJoin))
        return nullptr;
    return client;
}

std::unique_ptr<QSslSocket> connectSlowReader(quint16 port, int receiveBufferBytes)
{
    const int descriptor = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (descriptor < 0)
        return nullptr;
    ::setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, sizeof receiveBufferBytes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Blocking, but on loopback the kernel completes it whether or not the server accepts yet.
    auto socket = std::make_unique<QSslSocket>();
    if (::connect(descriptor, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
        || !socket->setSocketDescriptor(descriptor)) {
        ::close(descriptor);
        return nullptr;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({testIdentity().chain.first()});
    socket->setSslConfiguration(tls);
    socket->setPeerVerifyName(QStringLiteral("localhost"));
    socket->setReadBufferSize(receiveBufferBytes);
    QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
    socket->startClientEncryption();
    if (!encrypted.wait(TestIrcClient::kDefaultTimeoutMs))
        return nullptr;
    return socket;
}

std::unique_ptr<QSslSocket> TestServer::registeredNonReader(const QByteArray &nick, qint64 readBufferBytes)
{
    auto socket = connectSlowReader(port(), int(readBufferBytes));
    if (!socket)
        return nullptr;
    socket->write("NICK " + nick + "\r\nUSER " + nick + " 0 * :Never reads\r\n");
    // Registration is visible in the registry; no need to read the reply.
    if (!QTest::qWaitFor([&] { return m_server->registry().findUser(nick) != nullptr; }, TestIrcClient::kDefaultTimeoutMs))
        return nullptr;
    return socket;
}

} // namespace tktalk::test
