// ClientSettings: the user's choices, kept in the client's settings file; what a damaged file holds
// never reaches the window.

#include "chatsession.h"
#include "clientsettings.h"
#include "privateuserdirs.h"

#include <QFile>
#include <QMetaProperty>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tktalk;
using client::ChatSession;
using client::ClientSettings;
using Theme = client::ClientSettings::Theme;

class tst_ClientSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void defaults();
    void persistsAcrossInstances();
    void chatSessionKeepsEarlierNotificationChoice();
    void storedValues_data();
    void storedValues();
    void unreadableFileGivesDefaults();
    void settersClamp();
    void changeSignals_data();
    void changeSignals();

private:
    /// A settings file of its own with @p text as its content.
    QString writeFile(const QByteArray &text);
    test::PrivateUserDirs m_userDirs;
    QTemporaryDir m_files;
    int m_fileCount = 0;
};

void tst_ClientSettings::initTestCase()
{
    QVERIFY(m_userDirs.isValid()); // the settings of this process only
    QVERIFY(m_files.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_clientsettings"));
}

void tst_ClientSettings::init()
{
    QSettings().clear();
}

QString tst_ClientSettings::writeFile(const QByteArray &text)
{
    // A new file each time: QSettings caches files per process, by name.
    const QString path = m_files.filePath(QStringLiteral("settings-%1.conf").arg(++m_fileCount));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

void tst_ClientSettings::defaults()
{
    QSettings store;
    const ClientSettings settings(store);
    QCOMPARE(settings.theme(), Theme::System);
    QCOMPARE(settings.fontScale(), ClientSettings::kDefaultFontScale);
    QCOMPARE(settings.fontScale(), 100);
    QVERIFY(settings.showTimestamps());
    QVERIFY(settings.sendTyping());
    QVERIFY(settings.notifications());
    // Reading writes nothing: a default stays a default if it changes in a later version.
    QVERIFY(store.allKeys().isEmpty());
}

void tst_ClientSettings::persistsAcrossInstances()
{
    {
        QSettings store;
        ClientSettings settings(store);
        settings.setTheme(Theme::Dark);
        settings.setFontScale(150);
        settings.setShowTimestamps(false);
        settings.setSendTyping(false);
        settings.setNotifications(false);
    }
    {
        QSettings store;
        const ClientSettings settings(store);
        QCOMPARE(settings.theme(), Theme::Dark);
        QCOMPARE(settings.fontScale(), 150);
        QVERIFY(!settings.showTimestamps());
        QVERIFY(!settings.sendTyping());
        QVERIFY(!settings.notifications());
        // Readable in the file, for a person who edits it.
        QCOMPARE(store.value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("dark"));
    }
    // And back, through the same keys.
    {
        QSettings store;
        ClientSettings settings(store);
        settings.setTheme(Theme::Light);
        settings.setFontScale(80);
        settings.setShowTimestamps(true);
    }
    QSettings store;
    const ClientSettings settings(store);
    QCOMPARE(settings.theme(), Theme::Light);
    QCOMPARE(settings.fontScale(), 80);
    QVERIFY(settings.showTimestamps());
    QVERIFY(!settings.sendTyping());
}

void tst_ClientSettings::chatSessionKeepsEarlierNotificationChoice()
{
    // Before ClientSettings, ChatSession kept the switch under this key; users keep their choice.
    QSettings().setValue(QStringLiteral("notifications/enabled"), false);
    {
        ChatSession session;
        QVERIFY(!session.settings()->notifications());
        session.settings()->setNotifications(true);
    }
    QCOMPARE(QSettings().value(QStringLiteral("notifications/enabled")).toString(), QStringLiteral("true"));
    ChatSession later;
    QVERIFY(later.settings()->notifications());
}

void tst_ClientSettings::storedValues_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("property");
    QTest::addColumn<QVariant>("expected");

    const auto theme = [](Theme value) { return QVariant::fromValue(value); };
    QTest::newRow("theme light") << QByteArray("[appearance]\ntheme=light\n") << QByteArray("theme") << theme(Theme::Light);
    QTest::newRow("theme dark") << QByteArray("[appearance]\ntheme=dark\n") << QByteArray("theme") << theme(Theme::Dark);
    QTest::newRow("theme in capitals") << QByteArray("[appearance]\ntheme=DARK\n") << QByteArray("theme") << theme(Theme::Dark);
    QTest::newRow("theme unknown") << QByteArray("[appearance]\ntheme=purple\n") << QByteArray("theme") << theme(Theme::System);
    QTest::newRow("theme as a number") << QByteArray("[appearance]\ntheme=2\n") << QByteArray("theme") << theme(Theme::System);
    QTest::newRow("theme empty") << QByteArray("[appearance]\ntheme=\n") << QByteArray("theme") << theme(Theme::System);

    QTest::newRow("size in range") << QByteArray("[appearance]\nfontScale=130\n") << QByteArray("fontScale") << QVariant(130);
    QTest::newRow("size at the bottom") << QByteArray("[appearance]\nfontScale=80\n") << QByteArray("fontScale") << QVariant(80);
    QTest::newRow("size at the top") << QByteArray("[appearance]\nfontScale=200\n") << QByteArray("fontScale") << QVariant(200);
    QTest::newRow("size too small") << QByteArray("[appearance]\nfontScale=10\n") << QByteArray("fontScale") << QVariant(80);
    QTest::newRow("size zero") << QByteArray("[appearance]\nfontScale=0\n") << QByteArray("fontScale") << QVariant(80);
    QTest::newRow("size negative") << QByteArray("[appearance]\nfontScale=-150\n") << QByteArray("fontScale") << QVariant(80);
    QTest::newRow("size too large") << QByteArray("[appearance]\nfontScale=5000\n") << QByteArray("fontScale") << QVariant(200);
    QTest::newRow("size beyond int") << QByteArray("[appearance]\nfontScale=99999999999999\n") << QByteArray("fontScale") << QVariant(200);
    QTest::newRow("size beyond any number") << QByteArray("[appearance]\nfontScale=999999999999999999999999\n") << QByteArray("fontScale") << QVariant(100);
    QTest::newRow("size not a number") << QByteArray("[appearance]\nfontScale=huge\n") << QByteArray("fontScale") << QVariant(100);
    QTest::newRow("size with junk") << QByteArray("[appearance]\nfontScale=120abc\n") << QByteArray("fontScale") << QVariant(100);
    QTest::newRow("size fraction") << QByteArray("[appearance]\nfontScale=120.5\n") << QByteArray("fontScale") << QVariant(100);
    QTest::newRow("size empty") << QByteArray("[appearance]\nfontScale=\n") << QByteArray("fontScale") << QVariant(100);
    QTest::newRow("size list") << QByteArray("[appearance]\nfontScale=120, 130\n") << QByteArray("fontScale") << QVariant(100);

    QTest::newRow("timestamps off") << QByteArray("[appearance]\nshowTimestamps=false\n") << QByteArray("showTimestamps") << QVariant(false);
    QTest::newRow("timestamps 0") << QByteArray("[appearance]\nshowTimestamps=0\n") << QByteArray("showTimestamps") << QVariant(false);
    QTest::newRow("timestamps garbage") << QByteArray("[appearance]\nshowTimestamps=maybe\n") << QByteArray("showTimestamps") << QVariant(true);
    QTest::newRow("typing off") << QByteArray("[typing]\nsend=false\n") << QByteArray("sendTyping") << QVariant(false);
    QTest::newRow("typing TRUE") << QByteArray("[typing]\nsend=TRUE\n") << QByteArray("sendTyping") << QVariant(true);
    QTest::newRow("typing garbage") << QByteArray("[typing]\nsend=no thanks\n") << QByteArray("sendTyping") << QVariant(true);
    QTest::newRow("notifications off") << QByteArray("[notifications]\nenabled=false\n") << QByteArray("notifications") << QVariant(false);
    QTest::newRow("notifications 1") << QByteArray("[notifications]\nenabled=1\n") << QByteArray("notifications") << QVariant(true);
    QTest::newRow("notifications garbage") << QByteArray("[notifications]\nenabled=\xff\xfe\n") << QByteArray("notifications") << QVariant(true);
}

void tst_ClientSettings::storedValues()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, property);
    QFETCH(QVariant, expected);
    const QString path = writeFile(file);
    QVERIFY(!path.isEmpty());
    QSettings store(path, QSettings::IniFormat);
    const ClientSettings settings(store);
    QCOMPARE(settings.property(property.constData()), expected);
}

void tst_ClientSettings::unreadableFileGivesDefaults()
{
    QByteArray noise;
    for (int i = 0; i < 4096; ++i)
        noise.append(char((i * 7919 + 13) % 256));
    const QString path = writeFile(noise);
    QVERIFY(!path.isEmpty());
    QSettings store(path, QSettings::IniFormat);
    ClientSettings settings(store);
    QCOMPARE(settings.theme(), Theme::System);
    QCOMPARE(settings.fontScale(), 100);
    QVERIFY(settings.showTimestamps());
    QVERIFY(settings.sendTyping());
    QVERIFY(settings.notifications());
    // Still usable for this run.
    settings.setFontScale(120);
    QCOMPARE(settings.fontScale(), 120);
}

void tst_ClientSettings::settersClamp()
{
    QSettings store;
    ClientSettings settings(store);
    QSignalSpy changed(&settings, &ClientSettings::fontScaleChanged);
    settings.setFontScale(1000);
    QCOMPARE(settings.fontScale(), ClientSettings::kMaxFontScale);
    QCOMPARE(changed.count(), 1);
    settings.setFontScale(250); // clamps to what it already is: no change
    QCOMPARE(changed.count(), 1);
    settings.setFontScale(-5);
    QCOMPARE(settings.fontScale(), ClientSettings::kMinFontScale);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(store.value(QStringLiteral("appearance/fontScale")).toInt(), ClientSettings::kMinFontScale);

    // QML can put any number in an enum property.
    settings.setTheme(Theme::Dark);
    settings.setTheme(static_cast<Theme>(7));
    QCOMPARE(settings.theme(), Theme::System);
    QCOMPARE(store.value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("system"));
}

void tst_ClientSettings::changeSignals_data()
{
    QTest::addColumn<QByteArray>("property");
    QTest::addColumn<QVariant>("changed");

    QTest::newRow("theme") << QByteArray("theme") << QVariant::fromValue(Theme::Dark);
    QTest::newRow("fontScale") << QByteArray("fontScale") << QVariant(140);
    QTest::newRow("showTimestamps") << QByteArray("showTimestamps") << QVariant(false);
    QTest::newRow("sendTyping") << QByteArray("sendTyping") << QVariant(false);
    QTest::newRow("notifications") << QByteArray("notifications") << QVariant(false);
}

void tst_ClientSettings::changeSignals()
{
    QFETCH(QByteArray, property);
    QFETCH(QVariant, changed);
    QSettings store;
    ClientSettings settings(store);
    const QMetaObject *meta = settings.metaObject();
    const QMetaProperty metaProperty = meta->property(meta->indexOfProperty(property.constData()));
    QVERIFY(metaProperty.isValid() && metaProperty.hasNotifySignal());
    QSignalSpy spy(&settings, metaProperty.notifySignal());
    QVERIFY(spy.isValid());
    const QVariant original = settings.property(property.constData());

    // Setting what it already is says nothing; a change says so once; the way back too.
    QVERIFY(settings.setProperty(property.constData(), original));
    QCOMPARE(spy.count(), 0);
    QVERIFY(settings.setProperty(property.constData(), changed));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(settings.property(property.constData()), changed);
    QVERIFY(settings.setProperty(property.constData(), changed));
    QCOMPARE(spy.count(), 1);
    QVERIFY(settings.setProperty(property.constData(), original));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(settings.property(property.constData()), original);
}

QTEST_GUILESS_MAIN(tst_ClientSettings)
#include "tst_clientsettings.moc"
