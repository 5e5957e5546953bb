// tktalk: one executable, two roles. `tktalk --server` runs the headless chat server;
// `tktalk` or `tktalk --connect HOST:PORT` opens the Qt Quick client.

#include "accountmain.h"
#include "commandline.h"
#include "servermain.h"
#include "settings/configfile.h"
#include "settings/settingsdocs.h"

#ifdef TKTALK_WITH_CLIENT
#include "clientmain.h"
#endif

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk"));
    QCoreApplication::setApplicationName(QStringLiteral("tktalk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TKTALK_VERSION));
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-dd hh:mm:ss.zzz} %{if-category}%{category}: %{endif}%{message}"));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QString error;
    const std::optional<tktalk::app::CommandLine> commandLine = tktalk::app::parseCommandLine(arguments, &error);
    if (!commandLine) {
        std::fprintf(stderr, "tktalk: %s (see tktalk --help)\n", qPrintable(error));
        return 2;
    }
    switch (commandLine->role) {
    case tktalk::app::CommandLine::Role::Help:
        std::fputs(qPrintable(commandLine->helpText), stdout);
        return 0;
    case tktalk::app::CommandLine::Role::Version:
        std::printf("tktalk %s\n"
                    "Copyright (c) 2026 The tktalk authors. Free software under the MIT License, without warranty.\n"
                    "Uses Qt (LGPL-3), OpenSSL (Apache-2.0), libsodium (ISC) and SQLite (public domain).\n",
                    TKTALK_VERSION);
        return 0;
    case tktalk::app::CommandLine::Role::PrintConfigExample:
        std::fputs(qPrintable(tktalk::app::settings::configExample(tktalk::app::settings::ExampleFor::Anyone)), stdout);
        return 0;
    case tktalk::app::CommandLine::Role::CheckConfig: {
        const QString path = commandLine->server.configFile;
        if (!tktalk::app::settings::loadServerConfig(path, {}, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        std::printf("%s: OK\n", qPrintable(path));
        return 0;
    }
    case tktalk::app::CommandLine::Role::Account:
        return tktalk::app::runAccountCommand(argc, argv, commandLine->account, commandLine->server);
    case tktalk::app::CommandLine::Role::Server:
        return tktalk::app::runServer(argc, argv, commandLine->server, commandLine->serverFlags);
    case tktalk::app::CommandLine::Role::Client:
#ifdef TKTALK_WITH_CLIENT
        return tktalk::app::runClient(argc, argv, commandLine->client);
#else
        std::fputs("tktalk: this build has no client (built with TKTALK_BUILD_CLIENT=OFF); use --server\n", stderr);
        return 2;
#endif
    }
    return 2;
}
