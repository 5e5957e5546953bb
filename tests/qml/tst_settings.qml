import QtQuick
import QtQuick.Controls
import QtTest
import TkTalk
import TkTalk.Client

// The settings dialog in the real window (Main.qml): opened from the keyboard, and what it changes
// reaches the whole window at once.
Item {
    id: root
    width: 200
    height: 200

    ChatSession {
        id: chatSession
    }

    Component {
        id: loginComponent
        Main {
            session: ChatSession {}
            width: 800
            height: 600
        }
    }

    Component {
        id: mainComponent
        Main {
            session: chatSession
            width: 980
            height: 640
        }
    }

    TestCase {
        name: "Settings"
        when: windowShown

        property var window

        function resetSettings() {
            chatSession.settings.theme = ClientSettings.System
            chatSession.settings.fontScale = chatSession.settings.defaultFontScale
            chatSession.settings.showTimestamps = true
            chatSession.settings.notifications = true
            chatSession.settings.sendTyping = true
        }

        function initTestCase() {
            resetSettings()
            chatSession.connectToServer("127.0.0.1", testServerPort, "sam")
            tryCompare(chatSession, "state", ServerLink.AwaitingTrust, 10000)
            chatSession.trustCertificate()
            tryCompare(chatSession, "state", ServerLink.Connected, 10000)
            tryCompare(chatSession, "room", "#lobby", 10000)
            chatSession.send("a line to look at")
        }

        function cleanupTestCase() {
            resetSettings() // kept in the settings file: the next test file starts from the defaults
        }

        function init() {
            resetSettings()
            window = createTemporaryObject(mainComponent, root)
            verify(window)
            window.requestActivate()
            tryCompare(window, "active", true)
            waitForRendering(window.contentItem)
        }

        // Delegates are found among the items (they have no QObject parent), popups among the objects.
        function find(name) {
            return findChild(window.contentItem, name) || findChild(window, name)
        }

        function openSettings() {
            const dialog = find("settingsDialog")
            verify(dialog)
            keyClick(Qt.Key_Comma, Qt.ControlModifier)
            tryCompare(dialog, "opened", true)
            return dialog
        }

        // The colour of the window's own background, in the empty part of the message view.
        function backgroundPixel() {
            const list = find("messageList")
            const point = list.mapToItem(window.contentItem, list.width / 2, list.height - 10)
            return grabImage(window.contentItem).pixel(point.x, point.y)
        }

        function test_ctrlCommaOpensAndDarkSwitchesTheWholeWindow() {
            const lightBackground = backgroundPixel()
            verify(window.color.hslLightness > 0.5, window.color) // the test's system palette is light
            const dialog = openSettings()
            // The keyboard alone: the current choice has the focus, Tab moves to Light, then Dark.
            verify(find("themeSystem").activeFocus)
            keyClick(Qt.Key_Tab)
            keyClick(Qt.Key_Tab)
            verify(find("themeDark").activeFocus)
            keyClick(Qt.Key_Space)
            compare(chatSession.settings.theme, ClientSettings.Dark)
            // At once, while the dialog is open: the window's palette, so Qt's controls too.
            tryVerify(() => window.color.hslLightness < 0.5, 5000, "window colour " + window.color)
            verify(window.palette.window.hslLightness < 0.5)
            verify(window.palette.base.hslLightness < 0.5)
            verify(window.palette.text.hslLightness > 0.5)
            const input = find("inputField")
            verify(input.palette.base.hslLightness < 0.5)
            keyClick(Qt.Key_Escape)
            tryCompare(dialog, "opened", false)
            tryVerify(() => input.activeFocus) // back to typing
            waitForRendering(window.contentItem)
            const darkBackground = backgroundPixel()
            verify(!Qt.colorEqual(darkBackground, lightBackground), darkBackground + " " + lightBackground)
            verify(darkBackground.hslLightness < 0.5, darkBackground)
            verify(Qt.colorEqual(darkBackground, window.color), darkBackground + " " + window.color)

            // Back to the system's: light again.
            openSettings()
            find("themeSystem").forceActiveFocus()
            keyClick(Qt.Key_Space)
            compare(chatSession.settings.theme, ClientSettings.System)
            tryVerify(() => window.color.hslLightness > 0.5)
        }

        function test_textSizeGrowsMessages() {
            let text = find("messageText")
            verify(text)
            const before = text.font.pointSize
            const beforeHeight = text.contentHeight
            const title = find("conversationTitle")
            const titleBefore = title.font.pointSize
            const dialog = openSettings()
            const slider = find("fontScaleSlider")
            slider.forceActiveFocus()
            for (let i = 0; i < 5; ++i)
                keyClick(Qt.Key_Right)
            compare(chatSession.settings.fontScale, 150)
            compare(find("fontScaleValue").text, "150 %")
            // Every text grows by the same factor: the messages, the header, the controls.
            text = find("messageText")
            tryVerify(() => Math.abs(text.font.pointSize - before * 1.5) < 0.01, 5000, "size " + text.font.pointSize)
            tryVerify(() => text.contentHeight > beforeHeight * 1.3, 5000, text.contentHeight + " " + beforeHeight)
            verify(Math.abs(title.font.pointSize - titleBefore * 1.5) < 0.01)
            verify(Math.abs(window.font.pointSize / before - 1.5) < 0.01)
            // Never beyond the largest size.
            for (let i = 0; i < 20; ++i)
                keyClick(Qt.Key_Right)
            compare(chatSession.settings.fontScale, chatSession.settings.maxFontScale)
            // Default size puts it back.
            mouseClick(find("fontScaleReset"))
            compare(chatSession.settings.fontScale, chatSession.settings.defaultFontScale)
            tryVerify(() => Math.abs(find("messageText").font.pointSize - before) < 0.01)
            keyClick(Qt.Key_Escape)
            tryCompare(dialog, "opened", false)
        }

        function test_timestampsFollowTheSetting() {
            const time = find("messageTime")
            verify(time && time.visible)
            const sender = find("messageSender")
            const senderX = sender.x
            openSettings()
            const box = find("showTimestamps")
            box.forceActiveFocus()
            keyClick(Qt.Key_Space)
            compare(chatSession.settings.showTimestamps, false)
            tryVerify(() => !find("messageTime").visible)
            verify(find("messageSender").x < senderX) // the sender takes the time's place
            keyClick(Qt.Key_Space)
            compare(chatSession.settings.showTimestamps, true)
            tryVerify(() => find("messageTime").visible)
        }

        function test_everyControlByKeyboardWithAName() {
            const dialog = openSettings()
            // Tab visits every control once, in reading order, and each is named for a screen reader.
            const expected = ["themeSystem", "themeLight", "themeDark", "fontScaleSlider", "showTimestamps",
                              "notifications", "sendTyping", "settingsCloseButton"]
            for (let i = 0; i < expected.length; ++i) {
                const item = window.activeFocusItem
                compare(item.objectName, expected[i])
                verify(item.Accessible.name !== "", item.objectName)
                keyClick(Qt.Key_Tab)
            }
            compare(window.activeFocusItem.objectName, expected[0]) // round again, inside the dialog

            // Space switches the switches; Enter on Close closes.
            const notifications = find("notifications")
            notifications.forceActiveFocus()
            keyClick(Qt.Key_Space)
            compare(chatSession.settings.notifications, false)
            const typing = find("sendTyping")
            typing.forceActiveFocus()
            keyClick(Qt.Key_Space)
            compare(chatSession.settings.sendTyping, false)
            find("settingsCloseButton").forceActiveFocus()
            keyClick(Qt.Key_Return)
            tryCompare(dialog, "opened", false)

            // Opened again, it shows what is set.
            openSettings()
            verify(!find("notifications").checked)
            verify(!find("sendTyping").checked)
            verify(find("themeSystem").checked)
            keyClick(Qt.Key_Escape)
            tryCompare(dialog, "opened", false)
        }

        function test_loginPageOpensSettings() {
            // Another window, with a session that is not logged in: its login page has the button too.
            const login = createTemporaryObject(loginComponent, root)
            verify(login)
            const dialog = findChild(login, "settingsDialog")
            mouseClick(findChild(login.contentItem, "loginSettingsButton"))
            tryCompare(dialog, "opened", true)
            mouseClick(findChild(login, "settingsCloseButton"))
            tryCompare(dialog, "opened", false)
        }

        function test_headerButtonOpensSettings() {
            const dialog = find("settingsDialog")
            verify(!find("notificationsButton")) // notifications are in the dialog now
            mouseClick(find("settingsButton"))
            tryCompare(dialog, "opened", true)
            mouseClick(find("settingsCloseButton"))
            tryCompare(dialog, "opened", false)
        }
    }
}
