#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace tktalk::server {

/// @brief Everything `tktalk --server` can be told; defaults are what a private server wants.
struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::AnyIPv4;
    quint16 port = 6697;

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

    int handshakeTimeoutMs = 10'000;
    int registrationTimeoutMs = 60'000;
    int pingIntervalMs = 120'000; ///< silence before the server sends PING
    int pingTimeoutMs = 60'000;   ///< time allowed for any answer to that PING
    int closeTimeoutMs = 5'000;   ///< a closing connection that will not drain is cut after this
    int shutdownTimeoutMs = 1'500; ///< on SIGINT/SIGTERM, time given to clients to take the ERROR line
    int housekeepingIntervalMs = 1'000; ///< how often timeouts are checked
};

} // namespace tktalk::server
