import QtQuick
import QtQuick.Controls
import QtTest
import TkTalk
import TkTalk.Client

// The member menu of the people list, as an operator: opened with the mouse and the keyboard,
// and a kick with its reason, seen by the one kicked (a second session).
Pane {
    id: root
    width: 900
    height: 600

    ChatSession {
        id: chatSession
    }
    ChatSession {
        id: other
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
        name: "MemberMenu"
        when: windowShown

        property var page

        function logIn(session, nick) {
            session.connectToServer("127.0.0.1", testServerPort, nick)
            tryVerify(() => session.state === ServerLink.AwaitingTrust || session.state === ServerLink.Connected,
                      10000)
            if (session.state === ServerLink.AwaitingTrust)
                session.trustCertificate()
            tryCompare(session, "state", ServerLink.Connected, 10000)
            tryCompare(session, "room", "#lobby", 10000)
        }

        function initTestCase() {
            logIn(chatSession, "quinn")
            logIn(other, "vic")
            // quinn founds #ops: its operator; vic comes in.
            chatSession.send("/join #ops")
            tryCompare(chatSession, "room", "#ops", 10000)
            tryVerify(() => chatSession.conversations.current.channel.isOperator, 10000)
            other.send("/join #ops")
            tryCompare(other, "room", "#ops", 10000)
            tryCompare(chatSession.users, "count", 2, 10000)
        }

        function init() {
            chatSession.conversations.activate(chatSession.conversations.indexOf("#ops"))
            page = createTemporaryObject(chatComponent, root)
            verify(page)
            waitForRendering(page)
        }

        function type(text) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i])
        }

        function test_1_menuKeyOnOneself() {
            const list = findChild(page, "userList")
            tryVerify(() => findChild(page, "user_quinn") !== null)
            list.forceActiveFocus()
            list.currentIndex = 0 // quinn, the operator, comes first
            keyClick(Qt.Key_Menu)
            const menu = findChild(page, "memberMenu")
            tryCompare(menu, "opened", true)
            compare(menu.nick, "quinn")
            // Oneself: no Message, no Kick; an operator may still take their own status.
            verify(!findChild(page, "memberMessage").visible)
            verify(findChild(page, "memberInfo").visible)
            verify(findChild(page, "memberOp").visible)
            compare(findChild(page, "memberOp").text, "Take operator (deop)")
            verify(!findChild(page, "memberKick").visible)
            keyClick(Qt.Key_Escape)
            tryCompare(menu, "opened", false)
            // Shift+F10 does the same.
            list.forceActiveFocus()
            keyClick(Qt.Key_F10, Qt.ShiftModifier)
            tryCompare(menu, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(menu, "opened", false)
            verify(list.activeFocus)
        }

        function test_2_kickWithReason() {
            tryVerify(() => findChild(page, "user_vic") !== null)
            const vic = findChild(page, "user_vic")
            mouseClick(vic, vic.width / 2, vic.height / 2, Qt.RightButton)
            const menu = findChild(page, "memberMenu")
            tryCompare(menu, "opened", true)
            compare(menu.nick, "vic")
            compare(findChild(page, "inputField").text, "") // a right click is not a click
            verify(findChild(page, "memberMessage").visible)
            compare(findChild(page, "memberOp").text, "Make operator (op)")
            const kick = findChild(page, "memberKick")
            verify(kick.visible)
            // Where a person would see it: placed and drawn (the placement waits for the next frame).
            waitForRendering(page)
            mouseClick(kick)
            const dialog = findChild(page, "kickDialog")
            tryCompare(dialog, "opened", true)
            compare(findChild(page, "kickTitle").text, "Put vic out of the channel")
            tryVerify(() => findChild(page, "kickReason").activeFocus)
            type("too loud")
            keyClick(Qt.Key_Return)
            tryCompare(dialog, "opened", false)
            // vic is out, and was told why.
            tryCompare(chatSession.users, "count", 1, 10000)
            tryVerify(() => !other.conversations.current.joined, 10000)
            const messages = other.messages
            compare(messages.get(messages.rowCount() - 1).text, "quinn put you out of #ops (too loud).")
            compare(chatSession.messages.get(chatSession.messages.rowCount() - 1).text, "quinn put vic out (too loud).")
        }

        function test_3_messageOpensThePrivateConversation() {
            other.send("/join #ops")
            tryCompare(chatSession.users, "count", 2, 10000)
            tryVerify(() => findChild(page, "user_vic") !== null)
            const vic = findChild(page, "user_vic")
            mouseClick(vic, vic.width / 2, vic.height / 2, Qt.RightButton)
            const menu = findChild(page, "memberMenu")
            tryCompare(menu, "opened", true)
            waitForRendering(page)
            mouseClick(findChild(page, "memberMessage"))
            tryCompare(menu, "opened", false)
            compare(chatSession.conversations.current.name, "vic")
            tryVerify(() => findChild(page, "inputField").activeFocus)
        }
    }
}
