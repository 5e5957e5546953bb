#pragma once

#include "operprivileges.h"
#include "transport/tlsengine.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace tktalk::server {

/// @brief Everything `tktalk --server` can be told; defaults are what a private server wants.
struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::AnyIPv4;
    quint16 port = 6697;

    TlsEngine tlsEngine = TlsEngine::Qt; ///< QSslServer/QSslSocket, or tktalk's own OpenSSL layer

    QString certFile;     ///< PEM certificate chain; empty: generate or reuse one in dataDir
    QString keyFile;      ///< PEM private key for certFile
    QString dataDir;      ///< state: the generated certificate and key
    QString motdFile;     ///< message of the day; empty: the built-in welcome and instructions
    QString passwordFile; ///< when set, clients must send this file's first line with PASS

    QByteArray serverName;             ///< the name in replies; empty: the host name
    QByteArray networkName = "tktalk"; ///< NETWORK= in ISUPPORT
    QByteArray defaultChannel = "#lobby"; ///< joined on registration; empty: no auto-join

    double floodLinesPerSecond = 4.0; ///< 0 turns flood control off
    int floodBurstLines = 20;         ///< lines accepted at once before throttling starts
    int maxClients = 10000;           ///< connections at once, registered or not
    int maxClientsPerAddress = 20;    ///< 0: unlimited
    qint64 sendQueueBytes = 1 << 20;  ///< output queued for one client before it is dropped

    // Abuse limits: every attack in docs/RELIABILITY.md meets one of these (or one above).
    int maxLinesBeforeRegistration = 64; ///< lines a connection may send before it registers
    int maxUnregistered = 1'000;      ///< connections still registering; past it the oldest goes
    int floodReplyLinesPerToken = 10; ///< reply lines (WHO, LIST, NAMES) that cost one more flood token
    int maxChannelsPerUser = 50;      ///< channels one client may be in (CHANLIMIT)
    int maxSessionsPerAccount = 5;    ///< connections sharing one account's user; 1: each its own
    int maxChannels = 20'000;         ///< channels on the server at once
    int channelCreateBurst = 10;      ///< channels one client may create at once,
    double channelCreatesPerSecond = 0.1; ///< and then how fast (one per 10 s); 0: no limit
    int joinBurst = 50;               ///< channels one client may join at once (a whole CHANLIMIT),
    double joinsPerSecond = 0.5;      ///< and then how fast; 0: no limit
    int nickChangeBurst = 5;          ///< nick changes after registration at once,
    double nickChangesPerSecond = 0.05; ///< and then how fast (one per 20 s); 0: no limit

    int handshakeTimeoutMs = 10'000;
    int handshakeBurstPerAddress = 20;        ///< TLS handshakes one address may begin at once,
    double handshakesPerSecondPerAddress = 2; ///< and then how fast; 0: no limit (nor with maxClientsPerAddress 0)
    int registrationTimeoutMs = 60'000;
    int pingIntervalMs = 120'000; ///< silence before the server sends PING
    int pingTimeoutMs = 60'000;   ///< time allowed for any answer to that PING
    int closeTimeoutMs = 5'000;   ///< a closing connection that will not drain is cut after this
    int shutdownTimeoutMs = 1'500; ///< on SIGINT/SIGTERM, time given to clients to take the ERROR line
    int housekeepingIntervalMs = 1'000; ///< how often timeouts are checked

    // Accounts (docs/SECURITY.md)
    bool requireAccount = false;      ///< admit only clients logged in to an account
    bool accountRegistration = true;  ///< clients may create accounts with REGISTER
    int nickGraceMs = 30'000;         ///< time to log in before a reserved nick is taken away; 0: refuse it
    quint64 passwordHashOps = 2;      ///< Argon2id passes (libsodium's INTERACTIVE)
    quint64 passwordHashMemoryBytes = 64ULL * 1024 * 1024; ///< Argon2id memory per hash
    int loginFreeFailures = 5;        ///< failed logins per account or address before throttling
    int loginLockoutMs = 2'000;       ///< the first lockout; it doubles with each further failure
    int loginMaxLockoutMs = 300'000;  ///< the longest lockout
    int registrationsPerAddress = 5;  ///< accounts one address may create before it is throttled
    int registrationLockoutMs = 60'000; ///< the first wait once that allowance is used up
    int maxPendingHashes = 16;        ///< password hashes queued at once; more get "busy, retry"
    int minPasswordLength = 8;        ///< bytes a new password needs (REGISTER, NickServ, tktalk account)

    // History (docs/PROTOCOL.md, "History")
    bool history = true;              ///< keep channel and private conversations (history.sqlite)
    int historyPlaybackLines = 20;    ///< messages replayed on JOIN to clients without draft/chathistory; 0: none
    int historyPlaybackAgeSecs = 86'400; ///< the oldest message replayed on JOIN
    int historyDays = 30;             ///< days entries are kept; 0: forever
    int historyMaxPerTarget = 10'000; ///< entries kept per channel or private conversation; 0: no cap
    int historyPurgeIntervalMs = 600'000; ///< how often old entries are purged (and once at start)

    // The configuration file (src/app/settings): where the settings came from, and what only the
    // file can say.
    QString configFile;               ///< --config; empty: flags only
    OperList opers;                   ///< [opers]: operator accounts besides `tktalk account oper`
};

} // namespace tktalk::server
