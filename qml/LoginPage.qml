import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// The first screen: server, port, nickname and an optional password (the account's; empty for a guest).
// "Advanced" opens two more: the account's name when it differs from the nickname, and the server's
// own password. Enter in any field submits.
Pane {
    id: page

    required property ChatSession session
    required property Theme theme
    property string problem: ""

    /// The user asked for the settings (the button in the corner).
    signal settingsRequested()
    readonly property bool busy: session.state === ServerLink.Connecting
                                 || session.state === ServerLink.Registering
                                 || session.state === ServerLink.AwaitingTrust

    function submit() {
        problem = session.validateLogin(hostField.text, portField.text, nickField.text,
                                        passwordField.text, createAccountBox.checked,
                                        accountField.text, serverPasswordField.text)
        if (problem === "")
            session.connectToServer(hostField.text.trim(), parseInt(portField.text), nickField.text.trim(),
                                    passwordField.text, createAccountBox.checked,
                                    accountField.text, serverPasswordField.text)
    }

    padding: 0

    Component.onCompleted: {
        hostField.text = session.loginHost
        portField.text = session.loginPort > 0 ? session.loginPort : "6697"
        nickField.text = session.loginNick
        if (hostField.text === "")
            hostField.forceActiveFocus()
        else
            nickField.forceActiveFocus()
    }

    Frame {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, page.theme.em * 28)
        padding: 28

        background: Rectangle {
            color: page.theme.base
            radius: 10
            border.color: page.theme.divider
        }

        ColumnLayout {
            anchors.fill: parent
            spacing: 10

            Label {
                text: "tktalk"
                font.pointSize: page.theme.displayFontSize
                font.bold: true
                color: page.theme.accent
            }
            Label {
                text: qsTr("Secure chat over TLS. Connect to a tktalk or IRC server.")
                color: page.theme.dimText
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.bottomMargin: 8
            }

            Label {
                text: qsTr("Server")
                font.bold: true
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 8
                TextField {
                    id: hostField
                    objectName: "hostField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("chat.example.org")
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    enabled: !page.busy
                    onAccepted: page.submit()
                    Accessible.name: qsTr("Server host")
                }
                Label {
                    text: ":"
                }
                TextField {
                    id: portField
                    objectName: "portField"
                    Layout.preferredWidth: page.theme.em * 5.5
                    placeholderText: "6697"
                    inputMethodHints: Qt.ImhDigitsOnly
                    validator: IntValidator { bottom: 1; top: 65535 }
                    enabled: !page.busy
                    onAccepted: page.submit()
                    Accessible.name: qsTr("Server port")
                }
            }

            Label {
                text: qsTr("Nickname")
                font.bold: true
                Layout.topMargin: 4
            }
            TextField {
                id: nickField
                objectName: "nickField"
                Layout.fillWidth: true
                placeholderText: qsTr("How others see you")
                maximumLength: 30
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                enabled: !page.busy
                onAccepted: page.submit()
                Accessible.name: qsTr("Nickname")
            }

            Label {
                text: qsTr("Password (optional)")
                font.bold: true
                Layout.topMargin: 4
            }
            TextField {
                id: passwordField
                objectName: "passwordField"
                Layout.fillWidth: true
                placeholderText: createAccountBox.checked ? qsTr("At least 8 characters")
                                                          : qsTr("Empty to join as a guest")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                enabled: !page.busy
                onAccepted: page.submit()
                Accessible.name: qsTr("Password")
            }
            ThemedCheckBox {
                id: createAccountBox
                objectName: "createAccountBox"
                Layout.fillWidth: true
                theme: page.theme
                text: accountField.text.trim() !== ""
                      ? qsTr("Create the account %1 with this password").arg(accountField.text.trim())
                      : qsTr("Create an account with this nickname and password")
                enabled: !page.busy
                Keys.onReturnPressed: page.submit()
                Keys.onEnterPressed: page.submit()
                Accessible.name: text
            }

            ToolButton {
                id: advancedButton
                objectName: "advancedButton"
                checkable: true
                text: (checked ? "▾ " : "▸ ") + qsTr("Advanced")
                enabled: !page.busy
                Accessible.name: qsTr("Advanced login options")
                Accessible.description: qsTr("Account name and server password")
                Layout.leftMargin: -6
            }
            GridLayout {
                objectName: "advancedOptions"
                visible: advancedButton.checked
                Layout.fillWidth: true
                columns: 2
                columnSpacing: 10
                rowSpacing: 6

                Label {
                    text: qsTr("Account")
                    font.bold: true
                }
                TextField {
                    id: accountField
                    objectName: "accountField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Same as the nickname")
                    maximumLength: 30
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    enabled: !page.busy
                    onAccepted: page.submit()
                    Accessible.name: qsTr("Account name")
                    Accessible.description: qsTr("The account to log in to, when it is not named like your nickname")
                }
                Label {
                    text: qsTr("Server password")
                    font.bold: true
                }
                TextField {
                    id: serverPasswordField
                    objectName: "serverPasswordField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Only if the server has one")
                    echoMode: TextInput.Password
                    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                    enabled: !page.busy
                    onAccepted: page.submit()
                    Accessible.name: qsTr("Server password")
                    Accessible.description: qsTr("The password of the server itself, which some private servers ask of everybody")
                }
            }

            Label {
                id: errorLabel
                objectName: "errorLabel"
                Layout.fillWidth: true
                Layout.topMargin: 4
                visible: text !== ""
                text: page.problem !== "" ? page.problem : page.session.errorText
                color: page.theme.errorText
                wrapMode: Text.Wrap
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 8
                BusyIndicator {
                    running: page.busy
                    visible: page.busy
                    Layout.preferredHeight: page.theme.em * 2
                    Layout.preferredWidth: page.theme.em * 2
                }
                Label {
                    Layout.fillWidth: true
                    visible: page.busy
                    text: page.session.statusText
                    color: page.theme.dimText
                    elide: Text.ElideRight
                }
                Item {
                    Layout.fillWidth: true
                    visible: !page.busy
                }
                Button {
                    objectName: "connectButton"
                    text: createAccountBox.checked ? qsTr("Create account and connect") : qsTr("Connect")
                    highlighted: true
                    enabled: !page.busy
                    onClicked: page.submit()
                }
            }
        }
    }

    ToolButton {
        objectName: "loginSettingsButton"
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: 8
        text: qsTr("Settings")
        onClicked: page.settingsRequested()
        Accessible.name: qsTr("Settings")
        ToolTip.text: qsTr("Theme, text size, timestamps, notifications (Ctrl+,)")
        ToolTip.visible: hovered
    }
}
