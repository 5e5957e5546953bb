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

    /// The user asked for the settings (the header's button).
    signal settingsRequested()

    function focusInput() {
        input.focusInput()
    }

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
                font.pointSize: page.theme.titleFontSize
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
                objectName: "channelSettingsButton"
                visible: page.inChannel
                enabled: page.inJoinedChannel
                text: qsTr("Channel settings")
                Accessible.name: qsTr("Settings of this channel")
                ToolTip.text: qsTr("Topic, modes and bans of this channel (Ctrl+Shift+S)")
                ToolTip.visible: hovered
                onClicked: page.openChannelSettings()
            }
            ToolButton {
                objectName: "settingsButton"
                text: qsTr("Settings")
                onClicked: page.settingsRequested()
                Accessible.name: qsTr("Settings")
                ToolTip.text: qsTr("Theme, text size, timestamps, notifications (Ctrl+,)")
                ToolTip.visible: hovered
            }
            ToolButton {
                objectName: "leaveButton"
                text: qsTr("Leave")
                Accessible.name: qsTr("Leave the server")
                onClicked: page.session.leave("")
                ToolTip.text: qsTr("Disconnect and go back to the login screen")
                ToolTip.visible: hovered
            }
        }
    }

    readonly property bool inChannel: session.conversations.current !== null
                                      && session.conversations.current.kind === Conversation.Channel
    readonly property bool inJoinedChannel: inChannel && session.conversations.current.joined

    function openChannelSettings() {
        if (inJoinedChannel)
            channelSettings.show(session.conversations.current)
    }

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

    Shortcut {
        sequence: "Ctrl+Shift+S"
        onActivated: page.openChannelSettings()
    }

    ChannelSettingsDialog {
        id: channelSettings
        theme: page.theme
        onClosed: input.focusInput()
    }

    QuickSwitcher {
        id: switcher
        session: page.session
        theme: page.theme
        onClosed: input.focusInput()
    }

    // Ctrl+J (or the sidebar's button): the server's channels, to join one or create one.
    Shortcut {
        sequence: "Ctrl+J"
        onActivated: joinDialog.open()
    }
    JoinDialog {
        id: joinDialog
        session: page.session
        theme: page.theme
        onClosed: input.focusInput()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationSidebar {
            Layout.fillHeight: true
            Layout.preferredWidth: Math.min(page.theme.em * 12.5, page.width * 0.22)
            session: page.session
            theme: page.theme
            onJoinChannelRequested: joinDialog.open()
        }
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            color: page.theme.divider
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TopicBar {
                objectName: "topicBar"
                visible: page.inChannel
                Layout.fillWidth: true
                channel: page.inChannel ? page.session.conversations.current.channel : null
                theme: page.theme
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 0

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
                    Layout.preferredWidth: Math.min(page.theme.em * 14, page.width * 0.22)
                    session: page.session
                    theme: page.theme
                    onUserChosen: (nick) => input.startPrivate(nick)
                    onMessageRequested: (nick) => {
                        page.session.openPrivate(nick)
                        input.focusInput()
                    }
                }
            }
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
