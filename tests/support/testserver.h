#pragma once

#include "server.h"
#include "testircclient.h"

#include <QSslConfiguration>
#include <QTemporaryDir>

#include <memory>

namespace tktalk::test {

/// The TLS engine the tests run on: $TKTALK_TLS_ENGINE ("qt", the default, or "openssl"), which
/// ctest sets for the second run of every server test. Unknown names fail the test run at once.
server::TlsEngine tlsEngineUnderTest();

/// A test certificate for localhost and 127.0.0.1, generated once per test process.
const server::TlsIdentity &testIdentity();

/// A QSslServer configuration with testIdentity(), for test fixtures that play another IRC server.
QSslConfiguration testServerSslConfiguration();

/// Server settings for tests: 127.0.0.1 on a free port, "irc.test" as its name, the engine under
/// test, no flood control or per-address cap (tests that exercise those turn them on), and the
/// cheapest Argon2id parameters.
server::ServerConfig testServerConfig();

/// The settings for tests that create accounts: testServerConfig(), which hashes cheaply already.
server::ServerConfig accountsTestConfig();

/// The SASL PLAIN payload for @p account and @p password, base64-encoded as AUTHENTICATE sends it.
QByteArray saslPlain(const QByteArray &account, const QByteArray &password, const QByteArray &authzid = {});

/**
 * A TLS client on 127.0.0.1:@p port that takes at most @p receiveBufferBytes off the wire at a time:
 * its kernel receive buffer is set that small before it connects (so the window it advertises stays
 * small), and Qt reads no more than that until setReadBufferSize(0). Returns the encrypted socket,
 * or nullptr.
 */
std::unique_ptr<QSslSocket> connectSlowReader(quint16 port, int receiveBufferBytes);

/**
 * @brief An in-process tktalk server on loopback, with helpers that connect test clients to it.
 */
class TestServer
{
public:
    explicit TestServer(server::ServerConfig config = testServerConfig());

    bool isListening() const { return m_listening; }
    server::Server &server() { return *m_server; }
    quint16 port() const { return m_server->serverPort(); }

    /// A client connected with TLS, not yet registered (from the loopback address @p from if given).
    std::unique_ptr<TestIrcClient> connectClient(const QHostAddress &from = {});
    /// A registered client (joined to the default channel if there is one), or nullptr.
    std::unique_ptr<TestIrcClient> registeredClient(const QByteArray &nick);
    /// Creates an account directly in the server's store (hashed with the server's parameters).
    bool addAccount(const QByteArray &name, const QByteArray &password, const QByteArray &fingerprint = {});
    QString dataDir() const { return m_server->config().dataDir; }

    /**
     * A registered client that then stops reading: Qt takes no more than @p readBufferBytes off the
     * socket, and the kernel buffers fill up behind it. Returns nullptr if it could not register.
     */
    std::unique_ptr<QSslSocket> registeredNonReader(const QByteArray &nick, qint64 readBufferBytes = 4096);

private:
    QTemporaryDir m_dataDir;
    std::unique_ptr<server::Server> m_server;
    bool m_listening = false;
};

} // namespace tktalk::test
