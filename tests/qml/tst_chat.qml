import QtQuick
import QtQuick.Controls
import QtTest
import TkTalk
import TkTalk.Client

Pane {
    id: root
    width: 900
    height: 600

    ChatSession {
        id: chatSession
    }

    Component {
        id: chatComponent
        ChatPage {
            anchors.fill: parent
            session: chatSession
            theme: Theme {
                settings: chatSession.settings
            }
        }
    }

    TestCase {
        name: "ChatPage"
        when: windowShown

        property var page

        function initTestCase() {
            chatSession.connectToServer("127.0.0.1", testServerPort, "quinn")
            tryCompare(chatSession, "state", ServerLink.AwaitingTrust, 10000)
            chatSession.trustCertificate()
            tryCompare(chatSession, "state", ServerLink.Connected, 10000)
            tryCompare(chatSession, "room", "#lobby", 10000)
            tryCompare(chatSession.users, "count", 2, 10000)
        }

        function init() {
            // Each test starts in the room, whatever conversation the last one showed.
            chatSession.conversations.activate(chatSession.conversations.indexOf("#lobby"))
            page = createTemporaryObject(chatComponent, root)
            verify(page)
            waitForRendering(page)
        }

        function lastMessage() {
            return chatSession.messages.get(chatSession.messages.rowCount() - 1)
        }

        function type(text) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i])
        }

        function test_sendFromInputBox() {
            const field = findChild(page, "inputField")
            field.forceActiveFocus()
            type("hi there")
            keyClick(Qt.Key_Return)
            compare(field.text, "")
            compare(lastMessage().text, "hi there")
            compare(lastMessage().sender, "quinn")
            compare(lastMessage().kind, MessageModel.Chat)
            // Up recalls it.
            keyClick(Qt.Key_Up)
            compare(field.text, "hi there")
            keyClick(Qt.Key_Down)
            compare(field.text, "")
        }

        function test_shiftEnterAddsLine() {
            const field = findChild(page, "inputField")
            field.forceActiveFocus()
            type("a")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            type("b")
            compare(field.text, "a\nb")
            field.clear()
        }

        function test_clickUserStartsPrivateMessage() {
            tryVerify(() => findChild(page, "user_bob") !== null)
            const bob = findChild(page, "user_bob")
            mouseClick(bob)
            const field = findChild(page, "inputField")
            compare(field.text, "/@bob ")
            verify(field.activeFocus)
            type("psst")
            keyClick(Qt.Key_Return)
            // Shown in the private conversation with bob, which has no people list.
            compare(chatSession.conversations.current.name, "bob")
            compare(findChild(page, "conversationTitle").text, "bob")
            compare(lastMessage().kind, MessageModel.PrivateOut)
            compare(lastMessage().peer, "bob")
            compare(lastMessage().text, "psst")
            verify(!findChild(page, "userList").visible)
            // Clicking the room in the sidebar shows it again.
            mouseClick(findChild(page, "conversation_#lobby"))
            compare(chatSession.conversations.current.name, "#lobby")
            tryVerify(() => findChild(page, "userList").visible)
            compare(findChild(page, "userCount").text, "People — 2")
        }

        function test_ctrlKShowsAConversationByName() {
            chatSession.send("/@bob hello")
            chatSession.conversations.activate(chatSession.conversations.indexOf("#lobby"))
            const switcher = findChild(page, "quickSwitcher")
            verify(switcher)
            findChild(page, "inputField").forceActiveFocus()
            keyClick(Qt.Key_K, Qt.ControlModifier)
            tryCompare(switcher, "opened", true)
            type("bo")
            compare(switcher.rows.length, 1)
            compare(chatSession.conversations.at(switcher.rows[0]).name, "bob")
            keyClick(Qt.Key_Return)
            tryCompare(switcher, "opened", false)
            compare(chatSession.conversations.current.name, "bob")
            // Nothing matches: Enter shows nothing else, Escape goes back.
            keyClick(Qt.Key_K, Qt.ControlModifier)
            tryCompare(switcher, "opened", true)
            type("zzz")
            compare(switcher.rows.length, 0)
            keyClick(Qt.Key_Escape)
            tryCompare(switcher, "opened", false)
            compare(chatSession.conversations.current.name, "bob")
        }

        function openJoinDialog() {
            const dialog = findChild(page, "joinDialog")
            verify(dialog)
            findChild(page, "inputField").forceActiveFocus()
            keyClick(Qt.Key_J, Qt.ControlModifier)
            tryCompare(dialog, "opened", true)
            tryCompare(chatSession.channelDirectory, "loading", false, 10000)
            compare(chatSession.channelDirectory.errorText, "")
            return dialog
        }

        function test_ctrlJJoinsAChannelFromTheList() {
            const directory = chatSession.channelDirectory
            const dialog = openJoinDialog()
            verify(directory.total >= 3) // #lobby, #rust, #qt
            verify(findChild(dialog, "joinField").activeFocus)
            type("rus")
            compare(directory.count, 1)
            compare(directory.nameAt(0), "#rust")
            compare(findChild(dialog, "joinList").currentIndex, 0)
            keyClick(Qt.Key_Return)
            tryCompare(dialog, "opened", false)
            tryVerify(() => chatSession.conversations.current.name === "#rust", 10000)
            tryCompare(chatSession, "room", "#rust", 10000)
            verify(findChild(page, "inputField").activeFocus)

            // Open again: #rust is marked as joined; Escape closes without joining anything.
            openJoinDialog()
            type("#rust")
            compare(directory.bestRow, 0)
            const list = findChild(dialog, "joinList")
            tryVerify(() => list.itemAtIndex(0) !== null)
            const rust = list.itemAtIndex(0)
            compare(rust.objectName, "channel_#rust")
            verify(findChild(rust, "joinedMark").visible)
            chatSession.conversations.activate(chatSession.conversations.indexOf("#lobby"))
            keyClick(Qt.Key_Escape)
            tryCompare(dialog, "opened", false)
            compare(chatSession.conversations.current.name, "#lobby")
        }

        function test_joinDialogCreatesATypedChannel() {
            const directory = chatSession.channelDirectory
            const dialog = findChild(page, "joinDialog")
            // The sidebar's button opens it too.
            mouseClick(findChild(page, "joinChannelButton"))
            tryCompare(dialog, "opened", true)
            tryCompare(directory, "loading", false, 10000)
            type("fresh-room")
            compare(directory.count, 0)
            compare(directory.newChannel, "#fresh-room")
            verify(findChild(dialog, "createChannel").visible)
            verify(findChild(dialog, "joinEmpty").visible)
            compare(findChild(dialog, "joinButton").text, "Create")
            keyClick(Qt.Key_Return)
            tryCompare(dialog, "opened", false)
            tryVerify(() => chatSession.conversations.current.name === "#fresh-room", 10000)
            tryCompare(chatSession, "room", "#fresh-room", 10000)
        }

        function test_joinDialogRefusesABadName() {
            const dialog = openJoinDialog()
            type("two words")
            compare(chatSession.channelDirectory.count, 0)
            verify(!findChild(dialog, "createChannel").visible)
            keyClick(Qt.Key_Return)
            compare(dialog.opened, true)
            const error = findChild(dialog, "joinError")
            verify(error.visible)
            compare(error.text, "A channel name cannot contain spaces.")
            // Typing on clears it.
            keyClick(Qt.Key_Backspace)
            verify(!error.visible)
            keyClick(Qt.Key_Escape)
            tryCompare(dialog, "opened", false)
            compare(chatSession.conversations.current.name, "#lobby")
        }

        function test_tabCompletesNick() {
            const field = findChild(page, "inputField")
            field.forceActiveFocus()
            type("bo")
            keyClick(Qt.Key_Tab)
            compare(field.text, "bob: ")
            field.clear()
        }

        function test_tabMovesFocusWhenEmpty() {
            const field = findChild(page, "inputField")
            field.forceActiveFocus()
            keyClick(Qt.Key_Tab)
            verify(!field.activeFocus)
            compare(field.text, "")
        }

        function test_longPasteAsksFirst() {
            const field = findChild(page, "inputField")
            field.forceActiveFocus()
            field.text = "one\ntwo\nthree\nfour\nfive"
            const rows = chatSession.messages.rowCount()
            keyClick(Qt.Key_Return)
            const confirm = findChild(page, "confirmPaste")
            tryCompare(confirm, "opened", true)
            compare(chatSession.messages.rowCount(), rows)
            confirm.accept()
            compare(chatSession.messages.rowCount(), rows + 5)
            compare(field.text, "")
        }

        function test_unknownCommandKeepsText() {
            const field = findChild(page, "inputField")
            field.forceActiveFocus()
            type("/bogus")
            keyClick(Qt.Key_Return)
            compare(field.text, "/bogus")
            compare(lastMessage().kind, MessageModel.Error)
            field.clear()
        }
    }
}
