import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Changes the account's password: the new one twice, then the server's answer. The password goes
// straight to the server (never through the input line or its history).
Popup {
    id: dialog

    required property ChatSession session
    required property Theme theme
    readonly property PasswordChange change: session.passwordChange
    property string problem: ""

    function submit() {
        problem = change.change(newField.text, repeatField.text)
        if (problem === "") {
            newField.text = ""
            repeatField.text = ""
        }
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 40, 420)
    modal: true
    focus: true
    padding: 24

    onOpened: {
        problem = ""
        change.clearResult()
        newField.forceActiveFocus()
    }
    onClosed: {
        newField.text = ""
        repeatField.text = ""
    }

    background: Rectangle {
        color: dialog.theme.base
        radius: 10
        border.color: dialog.theme.divider
    }

    contentItem: ColumnLayout {
        spacing: 10

        Label {
            text: qsTr("Change the password of %1").arg(dialog.session.account)
            font.pointSize: dialog.theme.titleFontSize
            font.bold: true
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        Label {
            text: qsTr("New password")
            font.bold: true
        }
        TextField {
            id: newField
            objectName: "newPasswordField"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
            enabled: !dialog.change.busy
            onAccepted: repeatField.forceActiveFocus()
            Accessible.name: qsTr("New password")
        }
        Label {
            text: qsTr("Repeat it")
            font.bold: true
        }
        TextField {
            id: repeatField
            objectName: "repeatPasswordField"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
            enabled: !dialog.change.busy
            onAccepted: dialog.submit()
            Accessible.name: qsTr("Repeat the new password")
        }
        Label {
            objectName: "passwordChangeResult"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            text: dialog.problem !== "" ? dialog.problem : dialog.change.resultText
            color: dialog.problem === "" && dialog.change.succeeded ? dialog.theme.good : dialog.theme.errorText
        }
        RowLayout {
            Layout.fillWidth: true
            BusyIndicator {
                running: dialog.change.busy
                visible: running
                Layout.preferredHeight: 28
                Layout.preferredWidth: 28
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "closePasswordButton"
                text: dialog.change.succeeded ? qsTr("Done") : qsTr("Cancel")
                onClicked: dialog.close()
            }
            Button {
                objectName: "changePasswordButton"
                text: qsTr("Change password")
                highlighted: true
                enabled: !dialog.change.busy
                onClicked: dialog.submit()
            }
        }
    }
}
