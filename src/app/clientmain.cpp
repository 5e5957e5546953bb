#include "clientmain.h"

#include "chatsession.h"
#include "signalwatcher.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSslSocket>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(TkTalkPlugin)
Q_IMPORT_QML_PLUGIN(TkTalk_ClientPlugin)

namespace tktalk::app {

namespace {

/// Without a display QGuiApplication aborts with a long message; say it in one line instead.
bool displayAvailable()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
           || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

} // namespace

int runClient(int &argc, char **argv, const ClientOptions &options)
{
    if (!displayAvailable()) {
        std::fputs("tktalk: no display to open the client on (DISPLAY and WAYLAND_DISPLAY are not set); "
                   "use tktalk --server for the headless server\n",
                   stderr);
        return 1;
    }
    QGuiApplication app(argc, argv);
    if (!QSslSocket::supportsSsl()) {
        std::fputs("tktalk: TLS is not available (the Qt OpenSSL backend or libssl3 is missing)\n", stderr);
        return 1;
    }
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Fusion")); // follows the system palette, light or dark

    client::ChatSession session;
    if (!options.caFile.isEmpty()) {
        const QString error = session.setCaFile(options.caFile);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "tktalk: --ca-file: %s\n", qPrintable(error));
            return 2;
        }
    }
    if (!options.host.isEmpty()) {
        session.setLoginHost(options.host);
        session.setLoginPort(options.port);
    }
    if (!options.nick.isEmpty())
        session.setLoginNick(options.nick);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.setInitialProperties({{QStringLiteral("session"), QVariant::fromValue(&session)}});
    engine.load(QUrl(QStringLiteral("qrc:/TkTalk/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        std::fputs("tktalk: the client's window could not be loaded (are the Qt Quick modules installed?)\n",
                   stderr);
        return 3;
    }
    // Ctrl+C or SIGTERM close the window like the user would: QUIT goes out before the process ends.
    server::SignalWatcher signalWatcher;
    if (auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst())) {
        QObject::connect(&signalWatcher, &server::SignalWatcher::terminationRequested, window,
                         [window](int) { window->close(); });
    }
    // Both given on the command line: the user already said where and as whom, so log in at once.
    if (!options.host.isEmpty() && !options.nick.isEmpty())
        session.connectToServer(options.host, options.port, options.nick);
    return app.exec();
}

} // namespace tktalk::app
