#include "testserver.h"

#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTest>

namespace tktalk::test {

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

server::ServerConfig testServerConfig()
{
    server::ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.serverName = "irc.test";
    config.floodLinesPerSecond = 0;
    config.maxClientsPerAddress = 0;
    return config;
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

std::unique_ptr<TestIrcClient> TestServer::connectClient()
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(port(), testIdentity().chain.first());
    if (!client->waitForEncrypted())
        qWarning("test client: TLS handshake failed: %s", qPrintable(client->socket().errorString()));
    return client;
}

std::unique_ptr<TestIrcClient> TestServer::registeredClient(const QByteArray &nick)
{
    auto client = connectClient();
    const bool expectJoin = !m_server->config().defaultChannel.isEmpty();
    if (!client->isConnected() || !client->registerAs(nick, expectJoin))
        return nullptr;
    return client;
}

std::unique_ptr<QSslSocket> TestServer::registeredNonReader(const QByteArray &nick, qint64 readBufferBytes)
{
    auto socket = std::make_unique<QSslSocket>();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({testIdentity().chain.first()});
    socket->setSslConfiguration(tls);
    socket->setPeerVerifyName(QStringLiteral("localhost"));
    socket->setReadBufferSize(readBufferBytes);
    QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port());
    if (!encrypted.wait(TestIrcClient::kDefaultTimeoutMs))
        return nullptr;
    socket->write("NICK " + nick + "\r\nUSER " + nick + " 0 * :Never reads\r\n");
    // Registration is visible in the registry; no need to read the reply.
    if (!QTest::qWaitFor([&] { return m_server->registry().findUser(nick) != nullptr; }, TestIrcClient::kDefaultTimeoutMs))
        return nullptr;
    return socket;
}

} // namespace tktalk::test
