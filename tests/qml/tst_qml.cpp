// Qt Quick Test runner: the QML components against a real in-process tktalk server.

#include "ports.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QSettings>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(TkTalkPlugin)
Q_IMPORT_QML_PLUGIN(TkTalk_ClientPlugin)

/// @brief Gives each QML test file a fresh server with "bob" logged in (in #lobby, #rust and #qt), and
/// isolated settings.
class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        if (!m_userDirs.isValid())
            qFatal("no temporary directory for the test's settings");
        QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_qml"));
        QSettings().clear();
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        m_bob.reset();
        m_server = std::make_unique<tktalk::test::TestServer>();
        m_bob = m_server->registeredClient("bob");
        if (!m_bob)
            qFatal("the test server did not log bob in");
        // Channels for the join dialog to list, besides #lobby.
        m_bob->sendLine("JOIN #rust,#qt");
        m_bob->sendLine("TOPIC #rust :Systems programming");
        if (!m_bob->sync())
            qFatal("the test server did not answer bob");
        // Test fixture only: the application itself injects its session with setInitialProperties.
        engine->rootContext()->setContextProperty(QStringLiteral("testServerPort"), m_server->port());
        // A port that refuses connections for the whole run, rather than a fixed one nobody should use.
        engine->rootContext()->setContextProperty(QStringLiteral("refusingPort"), m_refusing.port());
    }

    void cleanupTestCase()
    {
        m_bob.reset();
        m_server.reset();
    }

private:
    tktalk::test::PrivateUserDirs m_userDirs; // settings and the QML cache of this process only
    tktalk::test::RefusingPort m_refusing;
    std::unique_ptr<tktalk::test::TestServer> m_server;
    std::unique_ptr<tktalk::test::TestIrcClient> m_bob;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_qml, Setup)
#include "tst_qml.moc"
