#include "servermain.h"

#include "logging.h"
#include "server.h"
#include "signalwatcher.h"
#include "tlsidentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QSslSocket>
#include <QStandardPaths>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>

namespace tktalk::app {

using server::lcServer;
using server::lcTls;

namespace {

constexpr int kExitFailure = 1;

/// Lifts the soft open-file limit to the hard one: every client is a file descriptor.
void raiseFileLimit(int maxClients)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur != RLIM_INFINITY && rlim_t(maxClients) + 64 > limit.rlim_cur) {
        qCWarning(lcServer) << "The open-file limit" << qulonglong(limit.rlim_cur) << "is below --max-clients"
                            << maxClients << "; raise it (ulimit -n, or LimitNOFILE= in the service)";
    }
}

server::TlsIdentity loadIdentity(const server::ServerConfig &config, QString *error)
{
    bool created = false;
    server::TlsIdentity identity = server::loadConfiguredIdentity(config, error, &created);
    if (created)
        qCInfo(lcTls).noquote() << "Generated a self-signed certificate in" << QDir::toNativeSeparators(config.dataDir);
    return identity;
}

QString defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

} // namespace

int runServer(int &argc, char **argv, server::ServerConfig config, const QList<settings::Assignment> &flags)
{
    // Qt's own poll() dispatcher instead of GLib's: with hundreds of sockets GLib's main loop costs
    // about 11% more instructions per relayed line (bench/callgrind). The GUI client keeps GLib.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    if (config.dataDir.isEmpty())
        config.dataDir = defaultDataDir();

    server::SignalWatcher signalWatcher;
    raiseFileLimit(config.maxClients);

    // The server runs TLS with OpenSSL itself, but reads certificates and keys through Qt's TLS
    // backend: without it, say so rather than fail to load a certificate that is fine.
    if (!QSslSocket::supportsSsl()) {
        std::fputs("tktalk: TLS is not available (the Qt OpenSSL backend or libssl3 is missing)\n", stderr);
        return kExitFailure;
    }
    QString error;
    const server::TlsIdentity identity = loadIdentity(config, &error);
    if (identity.chain.isEmpty()) {
        std::fprintf(stderr, "tktalk: %s\n", qPrintable(error));
        return 2;
    }
    server::Server server(config, identity);
    if (!config.configFile.isEmpty()) {
        server.setConfigReloader([flags](server::ServerConfig &current, QStringList *report) {
            QString error;
            std::optional<server::ServerConfig> fresh = settings::loadServerConfig(current.configFile, flags, &error);
            if (!fresh) {
                *report << QStringLiteral("keeping the current configuration: %1").arg(error);
                return false;
            }
            if (fresh->dataDir.isEmpty())
                fresh->dataDir = defaultDataDir();
            const QStringList changes = settings::applyReloadable(*fresh, current);
            *report << (changes.isEmpty() ? QStringLiteral("configuration %1 unchanged").arg(current.configFile)
                                          : QStringLiteral("configuration %1 reloaded").arg(current.configFile));
            *report << changes;
            return true;
        });
    }
    if (!server.listen(&error)) {
        std::fprintf(stderr, "tktalk: %s\n", qPrintable(error));
        // A damaged account database needs a person (restore or move it), like a bad certificate.
        return server.startFailure() == server::Server::StartFailure::DamagedData ? 2 : kExitFailure;
    }

    QObject::connect(&signalWatcher, &server::SignalWatcher::terminationRequested, &server, [&server](int signal) {
        qCInfo(lcServer) << "Received" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << "- shutting down";
        server.shutdown();
    });
    // SIGHUP does what an operator's REHASH does.
    QObject::connect(&signalWatcher, &server::SignalWatcher::reloadRequested, &server,
                     [&server] { server.reload(QStringLiteral("SIGHUP")); });
    QObject::connect(&server, &server::Server::shutdownFinished, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    return app.exec();
}

} // namespace tktalk::app
