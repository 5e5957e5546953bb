// Renders the real window offscreen at each step of a session against the in-process server, checks
// what is on screen, and saves PNGs under the build folder (screenshots/) for a person to look at.

#include "chatsession.h"
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
    void manyMessagesStayBounded();
    void scrollingUpLoadsOlderLinesInPlace();
    void changedCertificateWarning();
    void loginErrorShownInline();
    void accountScreens_data();
    void accountScreens();

private:
    void runSession(const QString &suffix, const QPalette *palette = nullptr);
    QQuickWindow *load(QQmlApplicationEngine &engine, ChatSession &session);
    void save(QQuickWindow *window, const QString &name);
    QString m_directory;
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
    m_directory = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QVERIFY(QDir().mkpath(m_directory));
}

void tst_Screenshots::init()
{
    QSettings().clear();
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
    ChatSession session;
    session.setLoginHost(QStringLiteral("127.0.0.1"));
    session.setLoginPort(server.port());
    session.setLoginNick(QStringLiteral("alice"));
    QQmlApplicationEngine engine;
    QQuickWindow *window = load(engine, session);
    QVERIFY(window);
    if (palette) {
        // What a desktop in dark mode hands the window through the platform theme.
        auto *windowPalette = window->property("palette").value<QObject *>();
        QVERIFY(windowPalette);
        const std::pair<const char *, QPalette::ColorRole> roles[] = {
            {"window", QPalette::Window},         {"windowText", QPalette::WindowText},
            {"base", QPalette::Base},             {"alternateBase", QPalette::AlternateBase},
            {"text", QPalette::Text},             {"button", QPalette::Button},
            {"buttonText", QPalette::ButtonText}, {"highlight", QPalette::Highlight},
            {"highlightedText", QPalette::HighlightedText}, {"placeholderText", QPalette::PlaceholderText},
            {"toolTipBase", QPalette::ToolTipBase}, {"toolTipText", QPalette::ToolTipText},
            {"light", QPalette::Light}, {"midlight", QPalette::Midlight}, {"mid", QPalette::Mid},
            {"dark", QPalette::Dark}, {"shadow", QPalette::Shadow},
        };
        for (const auto &[name, role] : roles)
            windowPalette->setProperty(name, palette->color(role));
    }
    QVERIFY(QTest::qWaitForWindowExposed(window));

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

    // Closing the window leaves politely: the others see QUIT, then the window goes.
    window->close();
    const auto quit = bob->waitFor([](const protocol::Message &message) {
        return message.command == "QUIT" && message.sourceNick() == "alice";
    });
    QVERIFY(quit);
    QTRY_VERIFY(!window->isVisible());
    QCOMPARE(session.state(), ChatSession::State::Disconnected);
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
    QTRY_VERIFY(list->property("atYEnd").toBool());
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

void tst_Screenshots::accountScreens_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
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
