// Renders the real window offscreen at each step of a session against the in-process server, checks
// what is on screen, and saves PNGs under the build folder (screenshots/) for a person to look at.

#include "channelstate.h"
#include "chatsession.h"
#include "clientsetup.h"
#include "ports.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QDir>
#include <QGuiApplication>
#include <QPalette>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(TkTalkPlugin)
Q_IMPORT_QML_PLUGIN(TkTalk_ClientPlugin)

using namespace tktalk;
using client::ChatSession;
using test::TestServer;

class tst_Screenshots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void lightTheme();
    void darkTheme();
    void systemPaletteFollowedLive();
    void manyMessagesStayBounded();
    void scrollingUpLoadsOlderLinesInPlace();
    void changedCertificateWarning();
    void loginErrorShownInline();
    void runningAChannel_data();
    void runningAChannel();
    void accountScreens_data();
    void accountScreens();

private:
    void runSession(const QString &suffix, const QPalette *palette = nullptr);
    /// The settings dialog, then the chat in the other theme than the system's and in the largest text.
    void settingsSteps(QQuickWindow *window, ChatSession &session, const QString &suffix, bool systemIsDark);
    QQuickWindow *load(QQmlApplicationEngine &engine, ChatSession &session);
    void save(QQuickWindow *window, const QString &name);
    QString m_directory;
    QPalette m_systemPalette;
    test::PrivateUserDirs m_userDirs;
};

namespace {

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x24));
    palette.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x31));
    palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Highlight, QColor(0x4c, 0x8b, 0xf5));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8d, 0x91));
    palette.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    palette.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x47));
    palette.setColor(QPalette::Mid, QColor(0x33, 0x35, 0x39));
    palette.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1e));
    palette.setColor(QPalette::Shadow, QColor(0x0a, 0x0a, 0x0a));
    return palette;
}

/// The first item named @p name under @p item, by the item tree: a view's delegates have no QObject
/// parent, so QObject::findChild() does not reach them.
QQuickItem *findItem(QQuickItem *item, const QString &name)
{
    if (item->objectName() == name)
        return item;
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, name))
            return found;
    }
    return nullptr;
}

/// The point size of the text of the first message shown.
qreal messageTextSize(QQuickWindow *window)
{
    QQuickItem *text = findItem(window->contentItem(), QStringLiteral("messageText"));
    return text ? text->property("font").value<QFont>().pointSizeF() : -1;
}

/// Whether the message list shows its last row whole: laid out again after a change of text size,
/// and scrolled to its end.
bool lastRowShown(QQuickItem *list)
{
    const int count = list->property("count").toInt();
    QQuickItem *last = nullptr;
    QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, last), Q_ARG(int, count - 1));
    if (!last || !list->property("atYEnd").toBool())
        return false;
    const qreal bottom = last->mapToItem(list, QPointF(0, last->height())).y();
    return bottom <= list->height() + 0.5 && bottom > 0;
}

/// True when the image shows more than a flat background.
bool hasContent(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return colours.size() > 20;
}

} // namespace

void tst_Screenshots::initTestCase()
{
    QVERIFY(m_userDirs.isValid()); // settings and the QML cache of this process only
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_screenshots"));
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    QGuiApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    m_systemPalette = QGuiApplication::palette();
    m_directory = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QVERIFY(QDir().mkpath(m_directory));
}

void tst_Screenshots::init()
{
    QSettings().clear();
    QGuiApplication::setPalette(m_systemPalette);
}

QQuickWindow *tst_Screenshots::load(QQmlApplicationEngine &engine, ChatSession &session)
{
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.setInitialProperties({{QStringLiteral("session"), QVariant::fromValue(&session)}});
    engine.load(QUrl(QStringLiteral("qrc:/TkTalk/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return nullptr;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    if (window)
        window->resize(980, 620);
    return window;
}

void tst_Screenshots::save(QQuickWindow *window, const QString &name)
{
    const QImage image = window->grabWindow();
    QVERIFY(!image.isNull());
    QVERIFY2(hasContent(image), qPrintable(name));
    const QString path = m_directory + QLatin1Char('/') + name + QStringLiteral(".png");
    QVERIFY(image.save(path));
    qInfo("saved %s", qPrintable(path));
}

void tst_Screenshots::runSession(const QString &suffix, const QPalette *palette)
{
    TestServer server;
    QVERIFY(server.isListening());
    // What a desktop in dark mode hands the application through the platform theme.
    if (palette)
        QGuiApplication::setPalette(*palette);
    ChatSession session;
    session.setLoginHost(QStringLiteral("127.0.0.1"));
    session.setLoginPort(server.port());
    session.setLoginNick(QStringLiteral("alice"));
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    // The window follows the system's palette (the theme's default).
    QCOMPARE(window->color(), (palette ? *palette : m_systemPalette).color(QPalette::Window));

    auto *login = window->findChild<QQuickItem *>(QStringLiteral("loginPage"));
    QVERIFY(login && login->isVisible());
    QCOMPARE(window->findChild<QQuickItem *>(QStringLiteral("nickField"))->property("text").toString(),
             QStringLiteral("alice"));
    save(window, QStringLiteral("login") + suffix);

    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    auto *dialog = window->findChild<QObject *>(QStringLiteral("certificateDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    save(window, QStringLiteral("certificate") + suffix);

    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QTRY_VERIFY(!dialog->property("visible").toBool());
    auto bob = server.registeredClient("bob");
    auto carol = server.registeredClient("carol");
    auto dave = server.registeredClient("dave");
    QVERIFY(bob && carol && dave);
    bob->sendLine("PRIVMSG #lobby :Morning all! Did anyone try the new build?");
    carol->sendLine("PRIVMSG #lobby :Yes, release notes are at https://tktalk.invalid/releases/0.1");
    QTRY_VERIFY(session.messages()->rowCount() > 0
                && session.messages()->at(session.messages()->rowCount() - 1).sender == QStringLiteral("carol"));
    session.send(QStringLiteral("Works nicely here. The certificate prompt was clear."));
    dave->sendLine("PRIVMSG #lobby :\x01" "ACTION grabs a coffee\x01");
    bob->sendLine("PRIVMSG alice :Can you review my patch later?");
    dave->sendLine("QUIT :back soon");
    QTRY_VERIFY(!session.users()->contains(QStringLiteral("dave")));
    // A private conversation of its own, shown while the user answers in it.
    QTRY_VERIFY(session.conversations()->find(QStringLiteral("bob")));
    session.send(QStringLiteral("/@bob Sure, after lunch."));
    client::Conversation *withBob = session.conversations()->current();
    QCOMPARE(withBob->name(), QStringLiteral("bob"));
    save(window, QStringLiteral("private") + suffix);
    session.conversations()->activate(session.conversations()->find(QStringLiteral("#lobby")));
    bob->sendLine("PRIVMSG alice :Thanks!");
    carol->sendLine("PRIVMSG #lobby :<b>markup</b> stays plain text, as it should.");
    QTRY_VERIFY(session.messages()->at(session.messages()->rowCount() - 1).sender == QStringLiteral("carol"));
    QTRY_COMPARE(withBob->unread(), 1);
    auto *chat = window->findChild<QQuickItem *>(QStringLiteral("chatPage"));
    QVERIFY(chat);
    QTRY_VERIFY(chat->isVisible());
    auto *list = window->findChild<QQuickItem *>(QStringLiteral("messageList"));
    QVERIFY(list);
    QTRY_VERIFY(list->property("atYEnd").toBool());
    QCOMPARE(window->findChild<QQuickItem *>(QStringLiteral("userCount"))->property("text").toString(),
             QStringLiteral("People — 3"));
    save(window, QStringLiteral("chat") + suffix);
    settingsSteps(window, session, suffix, palette != nullptr);
    if (QTest::currentTestFailed())
        return;

    // Ctrl+J: the server's channels, busiest first, filtered by what is typed.
    bob->sendLine("JOIN #release,#research,#design");
    bob->sendLine("TOPIC #release :Release 0.2: what is left before we ship it — the checklist at "
                  "https://tktalk.invalid/milestones/2 and the \x02" "blockers\x02 marked red, in order of pain");
    bob->sendLine("TOPIC #design :Mockups, colours, and reviews of the \x03" "04new\x03 icon set");
    bob->sendLine("TOPIC #research :Papers we read and want to try");
    QVERIFY(bob->sync());
    carol->sendLine("JOIN #release,#research");
    QVERIFY(test::settled({bob.get(), carol.get()}));
    session.send(QStringLiteral("/join #release"));
    QTRY_COMPARE_WITH_TIMEOUT(session.room(), QStringLiteral("#release"), 10000);
    auto *joinDialog = window->findChild<QObject *>(QStringLiteral("joinDialog"));
    QVERIFY(joinDialog);
    QTest::keyClick(window, Qt::Key_J, Qt::ControlModifier);
    QTRY_VERIFY(joinDialog->property("opened").toBool());
    client::ChannelDirectory &directory = *session.channelDirectory();
    QTRY_VERIFY_WITH_TIMEOUT(!directory.loading(), 10000);
    QCOMPARE(directory.total(), 4);
    QTest::keyClick(window, 'r');
    QTest::keyClick(window, 'e');
    QCOMPARE(directory.filter(), QStringLiteral("re"));
    QCOMPARE(directory.count(), 3); // #release and #research by name, #design by its topic
    // The rows are laid out before the picture is taken.
    auto *joinList = window->findChild<QQuickItem *>(QStringLiteral("joinList"));
    QVERIFY(joinList);
    const auto rowItem = [joinList](int row) {
        QQuickItem *item = nullptr;
        QMetaObject::invokeMethod(joinList, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, item), Q_ARG(int, row));
        return item;
    };
    QTRY_VERIFY(rowItem(2) && rowItem(2)->objectName() == QStringLiteral("channel_#design"));
    save(window, QStringLiteral("join-dialog") + suffix);
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!joinDialog->property("opened").toBool());

    // Closing the window leaves politely: the others see QUIT, then the window goes.
    window->close();
    const auto quit = bob->waitFor([](const protocol::Message &message) {
        return message.command == "QUIT" && message.sourceNick() == "alice";
    });
    QVERIFY(quit);
    QTRY_VERIFY(!window->isVisible());
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
}

void tst_Screenshots::settingsSteps(QQuickWindow *window, ChatSession &session, const QString &suffix,
                                    bool systemIsDark)
{
    client::ClientSettings &settings = *session.settings();
    auto *dialog = window->findChild<QObject *>(QStringLiteral("settingsDialog"));
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowActive(window));
    QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier);
    QTRY_VERIFY(dialog->property("opened").toBool());
    save(window, QStringLiteral("settings") + suffix);
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!dialog->property("opened").toBool());

    // The theme the system does not have: the whole window changes, at once.
    const QColor systemWindow = window->color();
    settings.setTheme(systemIsDark ? client::ClientSettings::Theme::Light : client::ClientSettings::Theme::Dark);
    QTRY_VERIFY(window->color() != systemWindow);
    QCOMPARE(window->color().lightness() > 128, systemIsDark);
    save(window, (systemIsDark ? QStringLiteral("light-forced") : QStringLiteral("dark-forced")) + suffix);

    // The largest text, in the system's theme, with the settings open over it.
    settings.setTheme(client::ClientSettings::Theme::System);
    QTRY_COMPARE(window->color(), systemWindow);
    const qreal normalSize = messageTextSize(window);
    QVERIFY(normalSize > 0);
    settings.setFontScale(client::ClientSettings::kMaxFontScale);
    QTRY_COMPARE(messageTextSize(window), normalSize * 2);
    auto *list = window->findChild<QQuickItem *>(QStringLiteral("messageList"));
    QVERIFY(list);
    // Geometry follows the new size once the window has polished its items.
    QTRY_VERIFY(!QQuickTest::qIsPolishScheduled(window) && lastRowShown(list));
    save(window, QStringLiteral("large-font") + suffix);
    QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier);
    QTRY_VERIFY(dialog->property("opened").toBool());
    save(window, QStringLiteral("large-font-settings") + suffix);
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!dialog->property("opened").toBool());
    settings.setFontScale(client::ClientSettings::kDefaultFontScale);
}

void tst_Screenshots::lightTheme()
{
    runSession(QString());
}

void tst_Screenshots::darkTheme()
{
    const QPalette dark = darkPalette();
    runSession(QStringLiteral("-dark"), &dark);
}

void tst_Screenshots::systemPaletteFollowedLive()
{
    // The desktop switches to dark mode while the client runs: the window follows at once, unless
    // the user chose a theme of the client's own.
    ChatSession session;
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QCOMPARE(window->color(), m_systemPalette.color(QPalette::Window));
    const QPalette dark = darkPalette();
    QGuiApplication::setPalette(dark);
    QTRY_COMPARE(window->color(), dark.color(QPalette::Window));
    session.settings()->setTheme(client::ClientSettings::Theme::Light);
    QTRY_VERIFY(window->color().lightness() > 128);
    QGuiApplication::setPalette(m_systemPalette);
    session.settings()->setTheme(client::ClientSettings::Theme::System);
    QTRY_COMPARE(window->color(), m_systemPalette.color(QPalette::Window));
}

void tst_Screenshots::manyMessagesStayBounded()
{
    TestServer server;
    ChatSession session;
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    auto *list = window->findChild<QQuickItem *>(QStringLiteral("messageList"));
    QVERIFY(list);
    QTRY_VERIFY(list->isVisible());

    client::MessageModel &messages = *session.messages();
    constexpr int kMessages = 100'000;
    for (int i = 0; i < kMessages; ++i) {
        client::MessageModel::Entry entry;
        entry.kind = client::MessageModel::Kind::Chat;
        entry.sender = i % 3 == 0 ? QStringLiteral("bob") : QStringLiteral("carol");
        entry.text = QStringLiteral("message number %1 with some words to wrap around").arg(i);
        messages.append(std::move(entry));
    }
    // Bounded memory: the oldest rows went; virtualised view: only what fits the window has delegates.
    QVERIFY(messages.rowCount() <= client::MessageModel::kDefaultCapacity);
    QCOMPARE(list->property("count").toInt(), messages.rowCount());
    // Laid out (not merely empty) and at the end.
    QTRY_VERIFY(list->property("contentHeight").toDouble() > 100 * list->height());
    QTRY_VERIFY(list->property("atYEnd").toBool());
    auto *content = list->property("contentItem").value<QQuickItem *>();
    QVERIFY(content);
    QVERIFY2(content->childItems().size() < 100, qPrintable(QString::number(content->childItems().size())));
    QCOMPARE(messages.at(messages.rowCount() - 1).text, QStringLiteral("message number 99999 with some words to wrap around"));

    // Scrolled up, the view stays put and counts what arrives below.
    auto *newMessages = window->findChild<QQuickItem *>(QStringLiteral("newMessagesButton"));
    QVERIFY(newMessages && !newMessages->isVisible());
    list->forceActiveFocus();
    QTest::keyClick(window, Qt::Key_PageUp);
    QTest::keyClick(window, Qt::Key_PageUp);
    QTRY_VERIFY(!list->property("atYEnd").toBool());
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("PRIVMSG #lobby :while you were reading");
    QTRY_VERIFY(newMessages->isVisible());
    QVERIFY(!list->property("atYEnd").toBool());
    save(window, QStringLiteral("new-messages"));
    QTest::keyClick(window, Qt::Key_End);
    QTRY_VERIFY(list->property("atYEnd").toBool());
    QTRY_VERIFY(!newMessages->isVisible());
}

void tst_Screenshots::scrollingUpLoadsOlderLinesInPlace()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    for (int i = 1; i <= 120; ++i)
        bob->sendLine("PRIVMSG #lobby :line " + QByteArray::number(i));
    bob->sendLine("PING :settled");
    QVERIFY(bob->waitFor(test::commandWithParam("PONG", 1, "settled")));

    ChatSession session;
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    auto *list = window->findChild<QQuickItem *>(QStringLiteral("messageList"));
    QVERIFY(list);
    // The room's last page of history, followed to its end.
    const auto rowOf = [&](const QString &text) {
        const client::MessageModel &messages = *session.messages();
        for (int row = 0; row < messages.rowCount(); ++row) {
            if (messages.at(row).text == text)
                return row;
        }
        return -1;
    };
    QTRY_VERIFY(rowOf(QStringLiteral("line 71")) >= 0);
    // Laid out, not only given its rows: until the window polishes the list, it is at its end and at
    // its beginning at once, and paging up would find nothing to do.
    QTRY_VERIFY(!QQuickTest::qIsPolishScheduled(window) && list->property("atYEnd").toBool()
                && !list->property("atYBeginning").toBool());
    QCOMPARE(rowOf(QStringLiteral("line 70")), -1);

    // Paging up to the top asks for the page before; it appears above, and the line at the top of
    // the view stays where it was.
    const auto topText = [&] {
        int row = -1;
        QMetaObject::invokeMethod(list, "indexAt", Q_RETURN_ARG(int, row), Q_ARG(qreal, list->width() / 2),
                                  Q_ARG(qreal, list->property("contentY").toReal() + 5));
        return row < 0 ? QString() : session.messages()->at(row).text;
    };
    QVERIFY(QTest::qWaitForWindowActive(window));
    list->forceActiveFocus();
    QTRY_VERIFY(list->hasActiveFocus()); // the keys go to the message view
    for (int i = 0; i < 30 && !list->property("atYBeginning").toBool() && rowOf(QStringLiteral("line 70")) < 0; ++i)
        QTest::keyClick(window, Qt::Key_PageUp);
    QTRY_VERIFY(rowOf(QStringLiteral("line 21")) >= 0);
    QCOMPARE(rowOf(QStringLiteral("line 21")) + 50, rowOf(QStringLiteral("line 71")));
    QTRY_VERIFY(!session.conversations()->current()->loadingOlder());
    QTRY_COMPARE(topText(), QStringLiteral("line 71"));
    // No longer at the top, so nothing more is asked for until the user scrolls there.
    QVERIFY(!list->property("atYBeginning").toBool());
    QCOMPARE(rowOf(QStringLiteral("line 20")), -1);
    auto *newMessages = window->findChild<QQuickItem *>(QStringLiteral("newMessagesButton"));
    QVERIFY(newMessages && !newMessages->isVisible()); // older lines are not new ones
    save(window, QStringLiteral("history"));
}

void tst_Screenshots::changedCertificateWarning()
{
    QString error;
    const server::TlsIdentity other = server::generateSelfSignedIdentity({QStringLiteral("127.0.0.1")}, 30, &error);
    QVERIFY2(!other.chain.isEmpty(), qPrintable(error));
    TestServer server;
    QSettings settings;
    client::CertificatePins(settings).pin(QStringLiteral("127.0.0.1"), server.port(), other.chain.first());
    ChatSession session;
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    auto *dialog = window->findChild<QObject *>(QStringLiteral("certificateDialog"));
    QTRY_VERIFY(dialog && dialog->property("opened").toBool());
    auto *title = window->findChild<QQuickItem *>(QStringLiteral("certificateTitle"));
    QVERIFY(title);
    QVERIFY(title->property("text").toString().contains(QStringLiteral("changed")));
    auto *pinned = window->findChild<QQuickItem *>(QStringLiteral("pinnedFingerprint"));
    QVERIFY(pinned && pinned->isVisible());
    QCOMPARE(pinned->property("text").toString().remove(QLatin1Char('\n')),
             other.fingerprint().remove(47, 1));
    save(window, QStringLiteral("certificate-changed"));
    // Escape is Cancel: no connection without an explicit decision.
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_COMPARE(session.state(), ChatSession::State::Disconnected);
    QCOMPARE(server.server().registry().userCount(), 0);
}

void tst_Screenshots::loginErrorShownInline()
{
    const test::RefusingPort closed;
    QVERIFY(closed.port() != 0);
    ChatSession session;
    session.setLoginHost(QStringLiteral("127.0.0.1"));
    session.setLoginPort(closed.port());
    session.setLoginNick(QStringLiteral("alice"));
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    // Enter in the nickname field submits.
    QTest::keyClick(window, Qt::Key_Return);
    auto *error = window->findChild<QQuickItem *>(QStringLiteral("errorLabel"));
    QVERIFY(error);
    QTRY_VERIFY_WITH_TIMEOUT(error->property("text").toString().startsWith(QStringLiteral("Connection refused")), 10000);
    QTRY_VERIFY(error->isVisible());
    save(window, QStringLiteral("login-error"));
}

void tst_Screenshots::runningAChannel_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void tst_Screenshots::accountScreens_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void tst_Screenshots::runningAChannel()
{
    QFETCH(bool, dark);
    const QString suffix = dark ? QStringLiteral("-dark") : QString();
    TestServer server;
    ChatSession session;
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    if (dark)
        QGuiApplication::setPalette(darkPalette()); // as a desktop in dark mode would
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(QTest::qWaitForWindowActive(window)); // for the shortcut and the popups' keys
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    // alice founds #lobby: she runs it.
    QTRY_VERIFY_WITH_TIMEOUT(session.conversations()->find(QStringLiteral("#lobby"))
                                 && session.conversations()->find(QStringLiteral("#lobby"))->channel()->isOperator(),
                             10000);
    client::ChannelState &channel = *session.conversations()->find(QStringLiteral("#lobby"))->channel();
    auto bob = server.registeredClient("bob");
    auto carol = server.registeredClient("carol");
    auto dave = server.registeredClient("dave");
    auto erin = server.registeredClient("erin");
    QVERIFY(bob && carol && dave && erin);
    QTRY_COMPARE(session.users()->count(), 5);
    channel.op(QStringLiteral("bob"));
    channel.voice(QStringLiteral("carol"));
    channel.setTopic(QStringLiteral("Release 0.2 on Friday: please try the new build and report what breaks at "
                                    "https://tktalk.invalid/issues"));
    channel.setModes({{QStringLiteral("limit"), 25}});
    channel.ban(QStringLiteral("troll"));
    channel.ban(QStringLiteral("*!*@10.0.0.*"));
    dave->sendLine("AWAY :At lunch, back at two");
    bob->sendLine("PRIVMSG #lobby :I have put the release notes in the topic.");
    carol->sendLine("PRIVMSG #lobby :Thanks! Trying it now.");
    QTRY_COMPARE(session.users()->namesWithPrefixes(), (QStringList{"@alice", "@bob", "+carol", "dave", "erin"}));
    QTRY_VERIFY(session.users()->isAway(QStringLiteral("dave")));
    QTRY_COMPARE(channel.limit(), 25);
    QTRY_VERIFY(!channel.topic().isEmpty());
    QTRY_VERIFY(session.messages()->rowCount() > 0
                && session.messages()->at(session.messages()->rowCount() - 1).sender == QStringLiteral("carol"));

    auto *topicBar = window->findChild<QQuickItem *>(QStringLiteral("topicBar"));
    QVERIFY(topicBar && topicBar->isVisible());
    auto *topicText = window->findChild<QQuickItem *>(QStringLiteral("topicText"));
    QVERIFY(topicText);
    QTRY_VERIFY(topicText->property("text").toString().startsWith(QStringLiteral("Release 0.2")));
    auto *editTopic = window->findChild<QQuickItem *>(QStringLiteral("editTopicButton"));
    QVERIFY(editTopic && editTopic->isVisible());
    save(window, QStringLiteral("topic") + suffix);

    // The member menu, opened with a right click on carol, as an operator sees it.
    QQuickItem *carolRow = findItem(window->contentItem(), QStringLiteral("user_carol"));
    QVERIFY(carolRow);
    QTest::mouseClick(window, Qt::RightButton, {}, carolRow->mapToScene(QPointF(30, carolRow->height() / 2)).toPoint());
    auto *menu = window->findChild<QObject *>(QStringLiteral("memberMenu"));
    QVERIFY(menu);
    QTRY_VERIFY(menu->property("opened").toBool());
    QCOMPARE(menu->property("nick").toString(), QStringLiteral("carol"));
    auto *kick = window->findChild<QQuickItem *>(QStringLiteral("memberKick"));
    QVERIFY(kick && kick->isVisible());
    save(window, QStringLiteral("operator-menu") + suffix);
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!menu->property("opened").toBool());

    // The settings dialog (Ctrl+Shift+S), with the bans it asked for.
    QTest::keyClick(window, Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    auto *settings = window->findChild<QObject *>(QStringLiteral("channelSettings"));
    QVERIFY(settings);
    QTRY_VERIFY(settings->property("opened").toBool());
    QTRY_VERIFY(channel.bansKnown());
    QCOMPARE(channel.bans()->count(), 2);
    auto *bansTitle = window->findChild<QQuickItem *>(QStringLiteral("bansTitle"));
    QVERIFY(bansTitle);
    QTRY_COMPARE(bansTitle->property("text").toString(), QStringLiteral("Bans (2)"));
    save(window, QStringLiteral("channel-settings") + suffix);
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!settings->property("opened").toBool());
}

// The login page with its advanced fields open, then the account menu and the password dialog.
void tst_Screenshots::accountScreens()
{
    QFETCH(bool, dark);
    const QString suffix = dark ? QStringLiteral("-dark") : QString();
    TestServer server(test::accountsTestConfig());
    QVERIFY(server.addAccount("alice", "correct-horse"));
    ChatSession session;
    session.setLoginHost(QStringLiteral("127.0.0.1"));
    session.setLoginPort(server.port());
    session.setLoginNick(QStringLiteral("ali_laptop"));
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    if (dark) {
        const QPalette palette = darkPalette();
        auto *windowPalette = window->property("palette").value<QObject *>();
        QVERIFY(windowPalette);
        const std::pair<const char *, QPalette::ColorRole> roles[] = {
            {"window", QPalette::Window},         {"windowText", QPalette::WindowText},
            {"base", QPalette::Base},             {"alternateBase", QPalette::AlternateBase},
            {"text", QPalette::Text},             {"button", QPalette::Button},
            {"buttonText", QPalette::ButtonText}, {"highlight", QPalette::Highlight},
            {"highlightedText", QPalette::HighlightedText}, {"placeholderText", QPalette::PlaceholderText},
            {"light", QPalette::Light}, {"midlight", QPalette::Midlight}, {"mid", QPalette::Mid},
            {"dark", QPalette::Dark}, {"shadow", QPalette::Shadow},
        };
        for (const auto &[name, role] : roles)
            windowPalette->setProperty(name, palette.color(role));
    }
    QVERIFY(QTest::qWaitForWindowExposed(window));

    auto *advanced = window->findChild<QQuickItem *>(QStringLiteral("advancedButton"));
    auto *options = window->findChild<QQuickItem *>(QStringLiteral("advancedOptions"));
    QVERIFY(advanced && options);
    QVERIFY(!options->isVisible());
    advanced->setProperty("checked", true);
    QTRY_VERIFY(options->isVisible());
    window->findChild<QQuickItem *>(QStringLiteral("passwordField"))->setProperty("text", QStringLiteral("correct-horse"));
    window->findChild<QQuickItem *>(QStringLiteral("accountField"))->setProperty("text", QStringLiteral("alice"));
    window->findChild<QQuickItem *>(QStringLiteral("serverPasswordField"))->setProperty("text", QStringLiteral("pw"));
    save(window, QStringLiteral("login-advanced") + suffix);

    // A server password on a server that has none is ignored by it; clear it and log in.
    window->findChild<QQuickItem *>(QStringLiteral("serverPasswordField"))->setProperty("text", QString());
    QMetaObject::invokeMethod(window->findChild<QQuickItem *>(QStringLiteral("loginPage")), "submit");
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QCOMPARE(session.account(), QStringLiteral("alice"));
    auto *account = window->findChild<QQuickItem *>(QStringLiteral("accountLabel"));
    QVERIFY(account);
    QTRY_VERIFY(account->isVisible());
    QMetaObject::invokeMethod(account, "clicked");
    auto *menu = window->findChild<QObject *>(QStringLiteral("accountMenu"));
    QVERIFY(menu);
    QTRY_VERIFY(menu->property("opened").toBool());
    save(window, QStringLiteral("account-menu") + suffix);
    QMetaObject::invokeMethod(menu, "close");
    QTRY_VERIFY(!menu->property("visible").toBool());

    auto *dialog = window->findChild<QObject *>(QStringLiteral("changePasswordDialog"));
    QVERIFY(dialog);
    QMetaObject::invokeMethod(dialog, "open");
    QTRY_VERIFY(dialog->property("opened").toBool());
    window->findChild<QQuickItem *>(QStringLiteral("newPasswordField"))->setProperty("text", QStringLiteral("short"));
    window->findChild<QQuickItem *>(QStringLiteral("repeatPasswordField"))->setProperty("text", QStringLiteral("short"));
    QMetaObject::invokeMethod(dialog, "submit");
    auto *result = window->findChild<QQuickItem *>(QStringLiteral("passwordChangeResult"));
    QVERIFY(result);
    QTRY_VERIFY_WITH_TIMEOUT(result->property("text").toString().contains(QStringLiteral("Passwords need at least")),
                             10000);
    save(window, QStringLiteral("change-password") + suffix);
}

QTEST_MAIN(tst_Screenshots)
#include "tst_screenshots.moc"
