import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Every conversation: the server's, the channels, the private ones. Bold with a count when unread,
// the count in the accent colour when something in it speaks to you; the current one highlighted.
// Below them, the button that opens the "join or create a channel" dialog.
Pane {
    id: pane

    required property ChatSession session
    required property Theme theme

    signal joinChannelRequested()

    padding: 0
    background: Rectangle {
        color: pane.theme.surface
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.session.conversations
            currentIndex: pane.session.conversations.currentIndex
            activeFocusOnTab: true
            keyNavigationEnabled: false
            highlightMoveDuration: 0
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Conversations")

            Keys.onUpPressed: pane.session.conversations.activateNext(-1)
            Keys.onDownPressed: pane.session.conversations.activateNext(1)

            section.property: "kind"
            section.delegate: Label {
                required property string section
                width: ListView.view.width
                leftPadding: 12
                topPadding: 10
                bottomPadding: 4
                // Conversation.Kind: 0 server, 1 channels, 2 private
                text: section === "1" ? qsTr("Channels") : section === "2" ? qsTr("Private") : qsTr("Server")
                font.bold: true
                font.pointSize: pane.theme.smallFontSize
                color: pane.theme.dimText
            }

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string name
                required property int kind
                required property int unread
                required property int mentions
                required property bool joined
                required property bool current
                required property var conversation

                objectName: "conversation_" + name
                width: ListView.view.width
                leftPadding: 12
                focusPolicy: Qt.NoFocus
                highlighted: current
                Accessible.name: unread > 0 ? qsTr("%1, %2 unread").arg(name).arg(unread) : name
                background: Rectangle {
                    color: row.current ? pane.theme.accent : row.hovered ? pane.theme.divider : "transparent"
                }
                onClicked: pane.session.conversations.activate(index)
                // Right-click (or the menu key): mute, close.
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: menu.popup()
                }
                Keys.onMenuPressed: menu.popup()
                Menu {
                    id: menu
                    objectName: "conversationMenu"
                    MenuItem {
                        text: row.conversation && row.conversation.muted ? qsTr("Unmute") : qsTr("Mute notifications")
                        onTriggered: pane.session.setMuted(row.index, !row.conversation.muted)
                    }
                    MenuItem {
                        enabled: row.kind !== 0
                        text: row.kind === 1 && row.joined ? qsTr("Leave") : qsTr("Close")
                        onTriggered: pane.session.closeConversation(row.index)
                    }
                }

                contentItem: RowLayout {
                    spacing: 6
                    Label {
                        Layout.fillWidth: true
                        text: (row.kind === 2 ? "@ " + row.name : row.name)
                              + (row.conversation && row.conversation.muted ? "  🔕" : "")
                        font.bold: row.unread > 0
                        font.italic: !row.joined
                        opacity: row.joined ? 1.0 : 0.6
                        elide: Text.ElideRight
                        color: row.current ? pane.palette.highlightedText : pane.theme.text
                    }
                    Rectangle {
                        objectName: "badge"
                        visible: row.unread > 0
                        Layout.preferredHeight: Math.ceil(count.implicitHeight) + 2
                        Layout.preferredWidth: Math.max(Layout.preferredHeight, count.implicitWidth + 10)
                        radius: height / 2
                        color: row.mentions > 0 ? pane.theme.bad : pane.theme.divider
                        Label {
                            id: count
                            anchors.centerIn: parent
                            text: row.unread > 99 ? "99+" : row.unread
                            font.pointSize: pane.theme.smallFontSize
                            font.bold: true
                            color: row.mentions > 0 ? pane.theme.onBad : pane.theme.text
                        }
                    }
                    ToolButton {
                        objectName: "closeConversation"
                        visible: row.kind !== 0 && (row.hovered || row.current)
                        text: "×"
                        Layout.preferredHeight: Math.round(pane.theme.em * 1.4)
                        Layout.preferredWidth: Math.round(pane.theme.em * 1.4)
                        padding: 0
                        Accessible.name: row.kind === 1 && row.joined ? qsTr("Leave %1").arg(row.name)
                                                                       : qsTr("Close %1").arg(row.name)
                        ToolTip.text: Accessible.name
                        ToolTip.visible: hovered
                        onClicked: pane.session.closeConversation(row.index)
                    }
                }
            }
        }

        Button {
            objectName: "joinChannelButton"
            Layout.fillWidth: true
            Layout.margins: 8
            text: qsTr("Join a channel…")
            flat: true
            Accessible.name: qsTr("Join or create a channel")
            ToolTip.text: qsTr("Find a channel of the server, or create one (Ctrl+J)")
            ToolTip.visible: hovered
            ToolTip.delay: 600
            onClicked: pane.joinChannelRequested()
        }
    }
}
