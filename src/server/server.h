#pragma once

#include "auditlog.h"
#include "history/history.h"
#include "history/historyretention.h"
#include "messageids.h"
#include "registeredchannels.h"
#include "registry.h"
#include "serverbans.h"
#include "serverconfig.h"
#include "tlsidentity.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>


namespace tktalk::server {

class AccountStore;
class Authenticator;
class ClientSession;

namespace transport {
class Connection;
class Listener;
} // namespace transport

/// The certificate @p config names, or the one generated (once) in its data directory; on failure
/// an empty identity and the reason in @p error. Sets @p created when it generated one.
TlsIdentity loadConfiguredIdentity(const ServerConfig &config, QString *error, bool *created = nullptr);

/**
 * @brief The chat server: accepts TLS connections, owns a session per client and the shared
 * registry of nicknames and channels, enforces connection limits and timeouts, and shuts down
 * gracefully.
 */
class Server : public QObject
{
    Q_OBJECT
public:
    Server(ServerConfig config, TlsIdentity identity, QObject *parent = nullptr);
    ~Server() override;

    /// Starts listening; on failure returns false and sets @p error (see startFailure()).
    bool listen(QString *error);
    /// Why listen() failed: DamagedData when the account database is damaged, which a person must
    /// fix (`tktalk --server` exits with status 2 then), Other for everything else.
    enum class StartFailure { None, DamagedData, Other };
    StartFailure startFailure() const { return m_startFailure; }
    quint16 serverPort() const;
    QHostAddress serverAddress() const;

    /// Stops accepting, tells every client "ERROR :Server shutting down", and emits
    /// shutdownFinished() once every connection is closed (or cut after the shutdown timeout).
    void shutdown();
    bool isShuttingDown() const { return m_shuttingDown; }

    /**
     * Takes over @p connection, whose handshake is done, and starts a session on it, within the
     * connection caps. The listener hands over every TLS connection here; tests and the fuzzer
     * hand over in-memory ones (transport::MemoryConnection).
     */
    void acceptConnection(transport::Connection *connection);

    /// Replaces the certificate for new connections (SIGHUP). If @p identity cannot be used, the
    /// current one stays and a warning is logged.
    void setIdentity(const TlsIdentity &identity);
    /**
     * Re-reads the configuration for reload(): given the settings in force, updates those that
     * may change while the server runs and adds one line per change to @p report (and one per
     * change that needs a restart). On a file it cannot use it leaves @p config alone, reports
     * "keeping the current configuration: FILE:LINE: ..." and returns false.
     */
    using ConfigReloader = std::function<bool(ServerConfig &config, QStringList *report)>;
    void setConfigReloader(ConfigReloader reloader) { m_configReloader = std::move(reloader); }
    /// SIGHUP and REHASH: re-reads the configuration file (setConfigReloader), then reloads the
    /// certificate, the MOTD file and the password file (each kept as it was if the new one cannot
    /// be read) and the server bans; returns what it did, one line per item, as also logged after
    /// "<cause>: " ("SIGHUP", "REHASH by alice").
    QStringList reload(const QString &cause);
    /// What REHASH names in 382: the configuration file, else the certificate file, else the data
    /// directory holding it.
    QByteArray configurationName() const;

    const ServerConfig &config() const { return m_config; }
    Registry &registry() { return m_registry; }
    /// The msgid of every relayed message.
    MessageIds &messageIds() { return m_messageIds; }
    const QByteArray &name() const { return m_name; }
    const QByteArrayList &motd() const { return m_motd; }
    const QByteArray &password() const { return m_password; }
    /// Accounts: logins, registrations and the account database (open once listen() succeeded).
    Authenticator &authenticator() { return *m_authenticator; }
    AccountStore &accountStore() { return *m_accountStore; }
    /// Server bans (KLINE), stored with the accounts.
    ServerBans &serverBans() { return m_serverBans; }
    /// The audit log of server-operator actions.
    AuditLog &auditLog() { return m_auditLog; }
    /// What is kept of conversations (history.isOn() unless it is off or could not open).
    History &history() { return m_history; }
    const History &history() const { return m_history; }
    /// Removes old history entries, periodically and on an operator's request.
    HistoryRetention &historyRetention() { return m_historyRetention; }
    /// Sends a server NOTICE with @p text to every server operator online.
    void noticeOperators(const QByteArray &text);
    /// Channels registered with ChanServ.
    RegisteredChannels &registeredChannels() { return m_registeredChannels; }
    QDateTime startedAt() const { return m_startedAt; }
    /// Milliseconds on the server's monotonic clock.
    qint64 nowMs() const { return m_clock.elapsed(); }
    int connectionCount() const { return int(m_sessions.size()); }
    /// Every connection, registered or not.
    const QSet<ClientSession *> &sessions() const { return m_sessions; }
    /// The registered connections logged in to @p account (any case), under whatever nick: a scan
    /// of every connection, for the rare commands that need it (read markers, offline messages).
    QList<ClientSession *> sessionsOf(const QByteArray &account) const;

Q_SIGNALS:
    void shutdownFinished();

private:
    void onSessionFinished(ClientSession *session);
    /// Closes the connection that has been registering longest, once more than maxUnregistered are.
    void shedOldestUnregistered();
    void housekeeping();
    void finishShutdownIfDone();
    bool openAccounts(QString *error);
    /// reload()'s first step: the configuration file, then what follows from the new settings.
    void reloadConfiguration(QStringList &done);

    ServerConfig m_config;
    ConfigReloader m_configReloader;
    TlsIdentity m_identity;
    QString m_tlsError; // why the certificate could not be used, reported by listen()
    QByteArray m_name;
    QByteArrayList m_motd;
    QByteArray m_password;
    std::unique_ptr<AccountStore> m_accountStore;
    Authenticator *m_authenticator = nullptr;
    ServerBans m_serverBans;
    AuditLog m_auditLog;
    RegisteredChannels m_registeredChannels;
    std::unique_ptr<transport::Listener> m_listener;
    Registry m_registry;
    MessageIds m_messageIds;
    History m_history{m_messageIds};
    HistoryRetention m_historyRetention{m_history, m_config};
    QSet<ClientSession *> m_sessions;
    /// Sessions in the order they arrived, while they may still be registering: the oldest is
    /// the one to let go when too many are (ServerConfig::maxUnregistered).
    std::deque<QPointer<ClientSession>> m_arrivals;
    QHash<QHostAddress, int> m_connectionsPerAddress;
    QTimer m_housekeeping;
    QElapsedTimer m_clock;
    QDateTime m_startedAt;
    bool m_shuttingDown = false;
    StartFailure m_startFailure = StartFailure::None;
};

} // namespace tktalk::server
