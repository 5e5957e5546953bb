import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// The chat: the conversations on the left; the current one's messages, its people (in a channel)
// and the input; the connection in the header.
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
                objectName: "conversationTitle"
                text: page.session.conversations.current ? page.session.conversations.current.name : ""
                font.bold: true
                font.pixelSize: 17
            }
            AccountButton {
                objectName: "accountLabel"
                session: page.session
                theme: page.theme
            }
            ConnectionStatus {
                Layout.fillWidth: true
                session: page.session
                theme: page.theme
            }
            ToolButton {
                objectName: "notificationsButton"
                checkable: true
                checked: page.session.notificationsEnabled
                onToggled: page.session.notificationsEnabled = checked
                text: checked ? qsTr("Notifications on") : qsTr("Notifications off")
                Accessible.name: qsTr("Desktop notifications")
                ToolTip.text: qsTr("A desktop notification when someone writes to you or names you while the window is in the background")
                ToolTip.visible: hovered
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

    readonly property bool inChannel: session.conversations.current !== null
                                      && session.conversations.current.kind === Conversation.Channel

    // Alt+Up/Down: the conversation above or below; Alt+Shift+Up/Down: the next one with unread lines.
    Shortcut {
        sequence: "Alt+Up"
        onActivated: page.session.conversations.activateNext(-1)
    }
    Shortcut {
        sequence: "Alt+Down"
        onActivated: page.session.conversations.activateNext(1)
    }
    Shortcut {
        sequences: ["Alt+Shift+Up", "Alt+Shift+Down"]
        onActivated: page.session.conversations.activateNextUnread()
    }
    Shortcut {
        sequence: "Ctrl+K"
        onActivated: switcher.open()
    }

    QuickSwitcher {
        id: switcher
        session: page.session
        theme: page.theme
        onClosed: input.focusInput()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationSidebar {
            Layout.fillHeight: true
            Layout.preferredWidth: 190
            session: page.session
            theme: page.theme
        }
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: page.theme.divider
        }
        MessageView {
            id: messageView
            Layout.fillWidth: true
            Layout.fillHeight: true
            session: page.session
            theme: page.theme
        }
        Rectangle {
            visible: page.inChannel
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: page.theme.divider
        }
        UserList {
            visible: page.inChannel
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
