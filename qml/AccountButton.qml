import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// The header's account label: who the user is logged in as, with a menu to change the password
// or log out; for a guest, what an account gives and how to get one.
ToolButton {
    id: button

    required property ChatSession session
    required property Theme theme
    readonly property bool guest: session.account === ""

    text: (guest ? qsTr("Guest") : qsTr("Logged in as %1").arg(session.account)) + " ▾"
    Accessible.name: guest ? qsTr("Guest: about accounts") : qsTr("Account %1").arg(session.account)
    ToolTip.text: guest ? qsTr("Not logged in to an account") : qsTr("Your nickname is protected by your account")
    ToolTip.visible: hovered && !menu.visible && !guestInfo.visible
    onClicked: guest ? guestInfo.open() : menu.popup(button, 0, button.height)
    Keys.onMenuPressed: clicked()

    Menu {
        id: menu
        objectName: "accountMenu"
        MenuItem {
            objectName: "changePasswordItem"
            text: qsTr("Change password…")
            onTriggered: passwordDialog.open()
        }
        MenuItem {
            objectName: "logOutItem"
            text: qsTr("Log out")
            onTriggered: button.session.leave("")
        }
    }

    ChangePasswordDialog {
        id: passwordDialog
        objectName: "changePasswordDialog"
        session: button.session
        theme: button.theme
    }

    Popup {
        id: guestInfo
        objectName: "guestInfo"
        parent: Overlay.overlay
        x: Math.min(button.mapToItem(parent, 0, 0).x, parent.width - width - 12)
        y: button.mapToItem(parent, 0, button.height).y + 4
        width: Math.min(parent.width - 24, 380)
        padding: 16
        focus: true
        onOpened: closeButton.forceActiveFocus()

        background: Rectangle {
            color: button.theme.base
            radius: 8
            border.color: button.theme.divider
        }

        contentItem: ColumnLayout {
            spacing: 8
            Label {
                text: qsTr("You are chatting as a guest")
                font.bold: true
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }
            Label {
                objectName: "guestInfoText"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("An account keeps your nickname yours (nobody else can use it), gives you your "
                           + "history on all your devices, and remembers what you read across them.")
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: button.theme.dimText
                text: qsTr("To create one: log out, enter a password and tick \"Create an account\" on the "
                           + "login screen.")
            }
            RowLayout {
                Layout.fillWidth: true
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "guestLogOutButton"
                    text: qsTr("Log out")
                    onClicked: {
                        guestInfo.close()
                        button.session.leave("")
                    }
                }
                Button {
                    id: closeButton
                    text: qsTr("Close")
                    highlighted: true
                    onClicked: guestInfo.close()
                }
            }
        }
    }
}
