import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// The chat: header with the room and the connection, messages beside the people, and the input.
Page {
    id: page

    required property ChatSession session
    required property Theme theme

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 6
            spacing: 14
            Label {
                text: page.session.room !== "" ? page.session.room : qsTr("(no room)")
                font.bold: true
                font.pixelSize: 17
            }
            Label {
                objectName: "accountLabel"
                text: page.session.account !== "" ? qsTr("Logged in as %1").arg(page.session.account)
                                                  : qsTr("Guest")
                color: page.theme.dimText
                ToolTip.text: page.session.account !== "" ? qsTr("Your nickname is protected by your account")
                                                          : qsTr("Not logged in to an account")
                ToolTip.visible: accountHover.hovered
                HoverHandler { id: accountHover }
            }
            ConnectionStatus {
                Layout.fillWidth: true
                session: page.session
                theme: page.theme
            }
            ToolButton {
                objectName: "leaveButton"
                text: qsTr("Leave")
                onClicked: page.session.leave("")
                ToolTip.text: qsTr("Disconnect and go back to the login screen")
                ToolTip.visible: hovered
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        MessageView {
            id: messageView
            Layout.fillWidth: true
            Layout.fillHeight: true
            session: page.session
            theme: page.theme
        }
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: page.theme.divider
        }
        UserList {
            Layout.fillHeight: true
            Layout.preferredWidth: 210
            session: page.session
            theme: page.theme
            onUserChosen: (nick) => input.startPrivate(nick)
        }
    }

    footer: InputBar {
        id: input
        session: page.session
        theme: page.theme
    }

    Component.onCompleted: input.focusInput()
    onVisibleChanged: if (visible) input.focusInput()
}
