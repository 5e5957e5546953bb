import QtQuick
import QtQuick.Controls
import QtTest
import TkTalk
import TkTalk.Client

Pane {
    id: root
    width: 800
    height: 600

    Component {
        id: pageComponent
        LoginPage {
            anchors.fill: parent
            id: loginPage
            session: ChatSession {}
            theme: Theme {
                settings: loginPage.session.settings
            }
        }
    }

    TestCase {
        name: "LoginPage"
        when: windowShown

        property var page

        function init() {
            page = createTemporaryObject(pageComponent, root)
            verify(page)
            waitForRendering(page)
        }

        function fill(host, port, nick) {
            findChild(page, "hostField").text = host
            findChild(page, "portField").text = port
            findChild(page, "nickField").text = nick
        }

        function test_emptyHostIsExplained() {
            fill("", "6697", "alice")
            mouseClick(findChild(page, "connectButton"))
            const error = findChild(page, "errorLabel")
            verify(error.visible)
            verify(error.text.indexOf("host name") >= 0, error.text)
            compare(page.session.state, ServerLink.Disconnected)
        }

        function test_invalidNickIsExplained() {
            fill("127.0.0.1", "6697", "9lives")
            mouseClick(findChild(page, "connectButton"))
            const error = findChild(page, "errorLabel")
            verify(error.text.indexOf("9lives") >= 0 && error.text.indexOf("not valid") >= 0, error.text)
            compare(page.session.state, ServerLink.Disconnected)
        }

        function test_refusedConnectionIsExplained() {
            verify(refusingPort > 0)
            fill("127.0.0.1", String(refusingPort), "alice")
            mouseClick(findChild(page, "connectButton"))
            const error = findChild(page, "errorLabel")
            tryVerify(() => error.text.indexOf("Connection refused") === 0, 10000, error.text)
        }

        function test_enterSubmits() {
            fill("127.0.0.1", String(testServerPort), "alice")
            const nick = findChild(page, "nickField")
            nick.forceActiveFocus()
            keyClick(Qt.Key_Return)
            tryCompare(page.session, "state", ServerLink.AwaitingTrust, 10000)
            compare(findChild(page, "errorLabel").visible, false)
            compare(page.session.pendingCertificate.host, "127.0.0.1:" + testServerPort)
            page.session.rejectCertificate()
            compare(page.session.state, ServerLink.Disconnected)
            verify(findChild(page, "errorLabel").text.indexOf("did not trust") >= 0)
        }

        function test_passwordAndCreateAccount() {
            fill("127.0.0.1", String(testServerPort), "alice")
            const password = findChild(page, "passwordField")
            const create = findChild(page, "createAccountBox")
            const button = findChild(page, "connectButton")
            compare(password.echoMode, TextInput.Password)
            compare(button.text, "Connect")
            mouseClick(create)
            verify(create.checked)
            compare(button.text, "Create account and connect")

            // A new account needs a real password: explained inline, nothing sent.
            password.text = "short"
            password.forceActiveFocus()
            keyClick(Qt.Key_Return)
            const error = findChild(page, "errorLabel")
            verify(error.text.indexOf("at least 8") >= 0, error.text)
            compare(page.session.state, ServerLink.Disconnected)

            password.text = "correct-horse"
            keyClick(Qt.Key_Return)
            tryCompare(page.session, "state", ServerLink.AwaitingTrust, 10000)
            compare(error.visible, false)
            page.session.rejectCertificate()
            compare(page.session.state, ServerLink.Disconnected)
        }
    }
}
