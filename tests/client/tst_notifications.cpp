// Desktop notifications, over a real D-Bus: a private dbus-daemon and a notification service of the
// test's own on it, reached by the client through its session bus like a desktop's.

#include "chatsession.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QDBusConnection>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using test::TestServer;

/// What a desktop's notification daemon offers (org.freedesktop.Notifications), keeping what it is asked to show.
class FakeNotifications : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Shown
    {
        QString app;
        QString summary;
        QString body;
        QVariantMap hints;
    };
    QList<Shown> shown;

public Q_SLOTS:
    uint Notify(const QString &app, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &hints, int)
    {
        shown.append({app, summary, body, hints});
        return uint(shown.size());
    }
};

class tst_Notifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void mentionsAndPrivateMessagesWhileAway();

private:
    test::PrivateUserDirs m_userDirs;
    QTemporaryDir m_busDir;
    QProcess m_bus;
    FakeNotifications m_service;
};

void tst_Notifications::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_notifications"));
    QVERIFY(m_userDirs.isValid());
    QVERIFY(m_busDir.isValid());
    // A session bus of this test's own (Debian's session configuration, its socket in a folder of
    // this test's): the notification service on it is this test's, registered before any use.
    m_bus.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--session"), QStringLiteral("--nofork"),
                                                QStringLiteral("--address=unix:dir=") + m_busDir.path(),
                                                QStringLiteral("--print-address=1")});
    QVERIFY2(m_bus.waitForStarted(10000), "dbus-daemon (Debian's dbus-daemon package) could not start");
    QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine(), 10000);
    const QByteArray address = m_bus.readLine().trimmed();
    QVERIFY(!address.isEmpty());
    // Before anything in this process opens the session bus.
    qputenv("DBUS_SESSION_BUS_ADDRESS", address);

    QDBusConnection service = QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("fake-desktop"));
    QVERIFY(service.isConnected());
    QVERIFY(service.registerObject(QLatin1String(client::Notifier::kPath), &m_service, QDBusConnection::ExportAllSlots));
    QVERIFY(service.registerService(QLatin1String(client::Notifier::kService)));
}

void tst_Notifications::cleanupTestCase()
{
    QDBusConnection::disconnectFromBus(QStringLiteral("fake-desktop"));
    m_bus.terminate();
    m_bus.waitForFinished(5000);
}

void tst_Notifications::mentionsAndPrivateMessagesWhileAway()
{
    QSettings().clear();
    TestServer server;
    ChatSession session;
    QVERIFY(session.settings()->notifications());
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.room(), QStringLiteral("#lobby"), 10000);
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QSignalSpy attention(&session, &ChatSession::attentionRequested);

    // While the window is active, nothing is shown.
    bob->sendLine("PRIVMSG alice :seen at once");
    QTRY_VERIFY(session.conversations()->find(QStringLiteral("bob")));
    QCOMPARE(session.notificationsSent(), 0);

    // In the background: a private message and a mention are shown, a plain line is not.
    session.setWindowActive(false);
    bob->sendLine("PRIVMSG #lobby :just talking");
    bob->sendLine("PRIVMSG #lobby :alice, look <here>");
    bob->sendLine("PRIVMSG alice :psst");
    QTRY_COMPARE(m_service.shown.size(), 2);
    QCOMPARE(m_service.shown.at(0).app, QStringLiteral("tktalk"));
    QCOMPARE(m_service.shown.at(0).summary, QStringLiteral("bob in #lobby"));
    QCOMPARE(m_service.shown.at(0).body, QStringLiteral("alice, look &lt;here&gt;"));
    QCOMPARE(m_service.shown.at(0).hints.value(QStringLiteral("category")).toString(), QStringLiteral("im.received"));
    QCOMPARE(m_service.shown.at(1).summary, QStringLiteral("bob"));
    QCOMPARE(m_service.shown.at(1).body, QStringLiteral("psst"));
    QCOMPARE(attention.count(), 2);

    // A muted conversation stays quiet, across runs; the others do not.
    session.setMuted(session.conversations()->indexOf(QStringLiteral("#lobby")), true);
    QVERIFY(session.conversations()->find(QStringLiteral("#lobby"))->muted());
    QVERIFY(QSettings().allKeys().join(QLatin1Char(' ')).contains(QStringLiteral("muted")));
    bob->sendLine("PRIVMSG #lobby :alice, muted");
    bob->sendLine("PRIVMSG alice :still heard");
    QTRY_COMPARE(m_service.shown.size(), 3);
    QCOMPARE(m_service.shown.at(2).body, QStringLiteral("still heard"));

    // Switched off: nothing at all, and the switch is kept.
    session.settings()->setNotifications(false);
    bob->sendLine("PRIVMSG alice :unheard");
    const client::MessageModel &withBob = *session.conversations()->find(QStringLiteral("bob"))->messages();
    QTRY_COMPARE(withBob.at(withBob.rowCount() - 1).text, QStringLiteral("unheard"));
    QCOMPARE(session.notificationsSent(), 3);
    QCOMPARE(attention.count(), 3);
    ChatSession later;
    QVERIFY(!later.settings()->notifications());
}

QTEST_GUILESS_MAIN(tst_Notifications)
#include "tst_notifications.moc"
