#include "server.h"

#include "accounts/accountstore.h"
#include "accounts/authenticator.h"
#include "channel.h"
#include "clientsession.h"
#include "commands/commands.h"
#include "logging.h"
#include "motd.h"
#include "protocol/names.h"
#include "transport/connection.h"
#include "transport/listener.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>

#include <openssl/crypto.h>

namespace tktalk::server {

namespace {

QByteArray readPasswordFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read password file %1: %2").arg(path, file.errorString());
        return {};
    }
    QByteArray password = file.readLine().trimmed();
    if (password.isEmpty())
        *error = QStringLiteral("password file %1 is empty").arg(path);
    return password;
}

transport::ListenerSettings listenerSettings(const ServerConfig &config)
{
    transport::ListenerSettings settings;
    settings.handshakeTimeoutMs = config.handshakeTimeoutMs;
    // Every handshake under way will be a connection: the per-address connection cap covers both.
    settings.maxHandshakesPerAddress = config.maxClientsPerAddress;
    // --max-per-ip 0 lifts every per-address limit (tests, benchmarks: everyone is 127.0.0.1).
    if (config.maxClientsPerAddress > 0) {
        settings.handshakeBurstPerAddress = config.handshakeBurstPerAddress;
        settings.handshakesPerSecondPerAddress = config.handshakesPerSecondPerAddress;
    }
    return settings;
}

} // namespace

TlsIdentity loadConfiguredIdentity(const ServerConfig &config, QString *error, bool *created)
{
    if (!config.certFile.isEmpty())
        return loadIdentity(config.certFile, config.keyFile, error);
    bool generated = false;
    TlsIdentity identity = loadOrCreateIdentity(config.dataDir, QHostInfo::localHostName(), &generated, error);
    if (created)
        *created = generated;
    return identity;
}

Server::Server(ServerConfig config, TlsIdentity identity, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_identity(std::move(identity))
    , m_name(m_config.serverName.isEmpty() ? QHostInfo::localHostName().toUtf8() : m_config.serverName)
    , m_listener(transport::Listener::create(m_config.tlsEngine, listenerSettings(m_config)))
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    if (m_name.isEmpty() || m_name.contains(' '))
        m_name = "tktalk.local";
    m_clock.start();
    m_registry.setPermanentChannel(m_config.defaultChannel);
    m_registry.setKeptWhenEmpty([this](const QByteArray &name) { return m_registeredChannels.find(name) != nullptr; });
    if (!m_config.defaultChannel.isEmpty())
        m_registry.findOrCreateChannel(m_config.defaultChannel, m_startedAt.toSecsSinceEpoch());

    m_listener->setIdentity(m_identity, &m_tlsError);
    connect(m_listener.get(), &transport::Listener::connectionReady, this, &Server::acceptConnection);

    m_housekeeping.setInterval(m_config.housekeepingIntervalMs);
    connect(&m_housekeeping, &QTimer::timeout, this, &Server::housekeeping);
}

Server::~Server()
{
    // Sessions are children; delete them before the registry they point into goes away.
    for (ClientSession *session : std::as_const(m_sessions)) {
        session->disconnect(this);
        delete session;
    }
}

bool Server::listen(QString *error)
{
    m_startFailure = StartFailure::Other;
    if (OpenSSL_version_num() < 0x30000000L) {
        // The TLS policy relies on OpenSSL 3 (SSL_get1_peer_certificate, its defaults).
        *error = QStringLiteral("OpenSSL 3 is required, found %1").arg(QLatin1String(OpenSSL_version(OPENSSL_VERSION)));
        return false;
    }
    if (!m_tlsError.isEmpty()) {
        *error = QStringLiteral("cannot set up TLS: %1").arg(m_tlsError);
        return false;
    }
    if (!m_config.motdFile.isEmpty()) {
        m_motd = readMotdFile(m_config.motdFile, error);
        if (!error->isEmpty())
            return false;
    } else {
        m_motd = defaultMotd(m_config.defaultChannel);
    }
    if (!m_config.passwordFile.isEmpty()) {
        m_password = readPasswordFile(m_config.passwordFile, error);
        if (!error->isEmpty())
            return false;
    }
    if (!openAccounts(error))
        return false;
    if (QString problem; !m_history.open(m_config, &problem)) {
        // History is a convenience: without it chat goes on, and the log says why.
        qCWarning(lcServer).noquote() << "history is off:" << problem;
    }
    if (m_history.isOn()) {
        connect(&m_history.store(), &HistoryStore::problemChanged, this, [this](const QString &problem) {
            noticeOperators(problem.isEmpty() ? QByteArrayLiteral("History is being stored again")
                                              : "History is not being stored: " + problem.toUtf8()
                                                    + " (chat goes on; what is said now is not kept)");
        });
        m_historyRetention.start();
    }
    if (!m_listener->listen(m_config.listenAddress, m_config.port)) {
        *error = QStringLiteral("cannot listen on %1 port %2: %3")
                     .arg(m_config.listenAddress.toString())
                     .arg(m_config.port)
                     .arg(m_listener->errorString());
        return false;
    }
    m_housekeeping.start();
    m_startFailure = StartFailure::None;
    qCInfo(lcServer).noquote() << "Listening on" << serverAddress().toString() + QLatin1Char(':')
                                                      + QString::number(serverPort())
                               << "as" << QString::fromUtf8(m_name) << "with the"
                               << tlsEngineName(m_listener->engine()) << "TLS engine";
    qCInfo(lcTls).noquote() << "Certificate SHA-256 fingerprint" << m_identity.fingerprint();
    return true;
}

quint16 Server::serverPort() const
{
    return m_listener->serverPort();
}

QHostAddress Server::serverAddress() const
{
    return m_listener->serverAddress();
}

bool Server::openAccounts(QString *error)
{
    if (!PasswordHasher::initialize()) {
        *error = QStringLiteral("libsodium failed to initialise");
        return false;
    }
    const HashCost cost{m_config.passwordHashOps, std::size_t(m_config.passwordHashMemoryBytes)};
    if (!PasswordHasher::isValidCost(cost)) {
        *error = QStringLiteral("invalid Argon2id parameters");
        return false;
    }
    if (!QDir().mkpath(m_config.dataDir)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(m_config.dataDir);
        return false;
    }
    m_accountStore = std::make_unique<AccountStore>();
    if (!m_accountStore->open(QDir(m_config.dataDir).filePath(QLatin1String(AccountStore::kFileName)), error)) {
        if (m_accountStore->openFailure() == AccountStore::OpenFailure::Damaged)
            m_startFailure = StartFailure::DamagedData;
        return false;
    }
    if (m_accountStore->isReadOnly()) {
        qCWarning(lcAccounts).noquote() << "The account database is on a read-only file system: logins work, but "
                                           "new accounts and password changes are refused until it is writable";
    }
    AuthPolicy policy;
    policy.hashCost = cost;
    policy.accountThrottle = {m_config.loginFreeFailures, m_config.loginLockoutMs, m_config.loginMaxLockoutMs};
    policy.addressThrottle = policy.accountThrottle;
    // An address may fail for several accounts (a shared NAT), so it gets a larger allowance.
    policy.addressThrottle.freeFailures = m_config.loginFreeFailures * 4;
    policy.registrationThrottle = {m_config.registrationsPerAddress, m_config.registrationLockoutMs,
                                   24LL * 3600 * 1000};
    if (m_config.registrationsPerAddress <= 0)
        policy.registrationThrottle.freeFailures = std::numeric_limits<int>::max();
    policy.maxPendingHashes = m_config.maxPendingHashes;
    m_authenticator = new Authenticator(*m_accountStore, policy, [this] { return nowMs(); }, this);
    m_auditLog.open(m_accountStore->connectionName());
    if (!m_registeredChannels.load(m_accountStore->connectionName(), error))
        return false;
    // A registered channel exists even when nobody is in it, with its modes, bans and topic.
    for (const RegisteredChannel &channel : m_registeredChannels.all()) {
        Channel *created = m_registry.findOrCreateChannel(channel.name, channel.registeredAtSecs);
        created->modes() = channel.modes;
        if (!channel.topic.isEmpty())
            created->setTopic(channel.topic, channel.topicSetBy, channel.topicSetAtSecs);
    }
    return m_serverBans.load(m_accountStore->connectionName(), error);
}

QByteArray Server::configurationName() const
{
    if (!m_config.configFile.isEmpty())
        return QDir::toNativeSeparators(m_config.configFile).toUtf8();
    return QDir::toNativeSeparators(m_config.certFile.isEmpty() ? m_config.dataDir : m_config.certFile).toUtf8();
}

void Server::reloadConfiguration(QStringList &done)
{
    if (!m_configReloader)
        return;
    ServerConfig next = m_config;
    if (!m_configReloader(next, &done))
        return;
    // A file setting that was removed goes back to what the server has without it.
    if (next.motdFile.isEmpty() && !m_config.motdFile.isEmpty())
        m_motd = defaultMotd(next.defaultChannel);
    if (next.passwordFile.isEmpty())
        m_password.clear();
    const Capabilities offeredBefore = commands::offeredCapabilities(*this);
    m_config = std::move(next);
    m_housekeeping.setInterval(m_config.housekeepingIntervalMs);
    commands::announceOfferChange(*this, QList<ClientSession *>(m_sessions.begin(), m_sessions.end()), offeredBefore);
}

QStringList Server::reload(const QString &cause)
{
    QStringList done;
    reloadConfiguration(done);
    QString error;
    const TlsIdentity identity = loadConfiguredIdentity(m_config, &error);
    if (identity.chain.isEmpty())
        done << QStringLiteral("keeping the current certificate: %1").arg(error);
    else if (!m_listener->setIdentity(identity, &error))
        done << QStringLiteral("keeping the current certificate: %1").arg(error);
    else if (identity.fingerprint() == m_identity.fingerprint())
        done << QStringLiteral("Certificate unchanged; SHA-256 fingerprint %1").arg(identity.fingerprint());
    else
        done << QStringLiteral("Certificate reloaded; SHA-256 fingerprint %1").arg(identity.fingerprint());
    if (!identity.chain.isEmpty() && error.isEmpty())
        m_identity = identity;
    // Re-reads a configured @p file with @p read into @p current, which a file that cannot be read
    // leaves as it is.
    const auto reloadFile = [&done](const QString &file, const QString &what, const auto &read, auto &current) {
        if (file.isEmpty())
            return;
        QString readError;
        auto fresh = read(file, &readError);
        if (!readError.isEmpty()) {
            done << QStringLiteral("keeping the current %1: %2").arg(what, readError);
            return;
        }
        done << what + (fresh == current ? QLatin1String(" unchanged") : QLatin1String(" reloaded"));
        current = std::move(fresh);
    };
    reloadFile(m_config.motdFile, QStringLiteral("MOTD"), readMotdFile, m_motd);
    reloadFile(m_config.passwordFile, QStringLiteral("server password"), readPasswordFile, m_password);
    if (m_accountStore) {
        error.clear();
        if (m_serverBans.load(m_accountStore->connectionName(), &error))
            done << QStringLiteral("%1 server bans loaded").arg(m_serverBans.active(QDateTime::currentSecsSinceEpoch()).size());
        else
            done << QStringLiteral("keeping the current server bans: %1").arg(error);
    }
    for (const QString &line : std::as_const(done)) {
        if (line.startsWith(QLatin1String("keeping")))
            qCWarning(lcServer).noquote().nospace() << cause << ": " << line;
        else
            qCInfo(lcServer).noquote().nospace() << cause << ": " << line;
    }
    return done;
}

void Server::setIdentity(const TlsIdentity &identity)
{
    QString error;
    if (!m_listener->setIdentity(identity, &error)) {
        qCWarning(lcTls).noquote() << "Keeping the current certificate:" << error;
        return;
    }
    m_identity = identity;
    qCInfo(lcTls).noquote() << "Certificate reloaded; SHA-256 fingerprint" << m_identity.fingerprint();
}

void Server::acceptConnection(transport::Connection *connection)
{
    if (m_shuttingDown) {
        connection->abort();
        connection->deleteLater();
        return;
    }
    const QHostAddress address = connection->peerAddress();
    auto *session = new ClientSession(connection, *this);
    m_registry.countArrival();
    session->setParent(this);
    m_sessions.insert(session);
    const int fromAddress = ++m_connectionsPerAddress[address];
    connect(session, &ClientSession::finished, this, &Server::onSessionFinished);
    qCInfo(lcConnection).noquote() << "New connection from" << session->host() << "using"
                                   << connection->protocolName() << connection->cipherName();

    m_arrivals.emplace_back(session);
    shedOldestUnregistered();

    if (int(m_sessions.size()) > m_config.maxClients) {
        session->close("Server is full", "Closing Link: " + session->host() + " (Server is full: "
                                             + QByteArray::number(m_config.maxClients) + " connections)");
    } else if (m_config.maxClientsPerAddress > 0 && fromAddress > m_config.maxClientsPerAddress) {
        session->close("Too many connections from your address",
                       "Closing Link: " + session->host() + " (Too many connections from your address: "
                           + QByteArray::number(m_config.maxClientsPerAddress) + " allowed)");
    }
}

void Server::shedOldestUnregistered()
{
    // Connections that dawdle over registering (slowloris) would otherwise keep the newest, real
    // clients out: the one that has been at it longest makes room.
    while (!m_arrivals.empty() && (!m_arrivals.front() || m_arrivals.front()->state() != ClientSession::State::Registering))
        m_arrivals.pop_front();
    if (m_config.maxUnregistered <= 0 || m_registry.unregisteredCount() <= m_config.maxUnregistered)
        return;
    ClientSession *oldest = m_arrivals.front();
    m_arrivals.pop_front();
    qCInfo(lcConnection).noquote() << "Too many connections registering (" + QByteArray::number(m_config.maxUnregistered)
                                          + "): closing the oldest, from" << oldest->host();
    oldest->close("Too many connections registering",
                  "Closing Link: " + oldest->host() + " (Too many connections registering at once; try again)");
}

void Server::onSessionFinished(ClientSession *session)
{
    m_sessions.remove(session);
    auto it = m_connectionsPerAddress.find(session->peerAddress());
    if (it != m_connectionsPerAddress.end() && --it.value() <= 0)
        m_connectionsPerAddress.erase(it);
    finishShutdownIfDone();
}

void Server::noticeOperators(const QByteArray &text)
{
    for (ClientSession *session : std::as_const(m_sessions)) {
        if (session->isRegistered() && session->isOperator())
            session->send(protocol::Message("NOTICE", {session->nick(), text}, m_name));
    }
}

void Server::housekeeping()
{
    const qint64 now = nowMs();
    // close() can finish a session synchronously; iterate over a copy.
    const QList<ClientSession *> sessions(m_sessions.begin(), m_sessions.end());
    for (ClientSession *session : sessions)
        session->checkTimeouts(now);
}

void Server::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_housekeeping.stop();
    m_listener->close();
    qCInfo(lcServer) << "Shutting down; closing" << m_sessions.size() << "connections";
    const QList<ClientSession *> sessions(m_sessions.begin(), m_sessions.end());
    for (ClientSession *session : sessions)
        session->closeForShutdown();
    // Clients that do not read cannot drain their ERROR line; cut them after the grace period.
    QTimer::singleShot(m_config.shutdownTimeoutMs, this, [this] {
        const QList<ClientSession *> stragglers(m_sessions.begin(), m_sessions.end());
        for (ClientSession *session : stragglers)
            session->abortConnection();
    });
    finishShutdownIfDone();
}

void Server::finishShutdownIfDone()
{
    if (!m_shuttingDown || !m_sessions.isEmpty())
        return;
    qCInfo(lcServer) << "All connections closed";
    Q_EMIT shutdownFinished();
}

QList<ClientSession *> Server::sessionsOf(const QByteArray &account) const
{
    QList<ClientSession *> found;
    for (ClientSession *session : m_sessions) {
        if (session->isRegistered() && !account.isEmpty() && protocol::equalsFolded(session->account(), account))
            found << session;
    }
    return found;
}

} // namespace tktalk::server
