import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Who is in the room, grouped by rank, those away dimmed; choosing someone starts a private
// message to them. A right click, or the Menu key (Shift+F10) on the chosen one, opens the member
// menu (MemberMenu): message, info, and for an operator op, voice, kick and ban.
Pane {
    id: pane

    required property ChatSession session
    required property Theme theme
    readonly property ChannelState channel: session.conversations.current ? session.conversations.current.channel
                                                                          : null

    signal userChosen(string nick)
    /// The member menu's Message.
    signal messageRequested(string nick)

    /// The member menu for the row @p item, at @p position in it (a click), else below it.
    function openMenu(item, position) {
        if (item && pane.channel)
            memberMenu.openFor(pane.channel, item.nick, item.prefixes, item.isSelf, item, position)
    }

    padding: 0
    background: Rectangle {
        color: pane.theme.base
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Label {
            objectName: "userCount"
            Layout.fillWidth: true
            Layout.margins: 12
            text: qsTr("People — %1").arg(pane.session.users.count)
            font.bold: true
            color: pane.theme.dimText
        }

        ListView {
            id: list
            objectName: "userList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.session.users
            activeFocusOnTab: true
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            ScrollBar.vertical: ScrollBar {}

            // Operators, then voiced, then everyone else (the model's order), each under a heading.
            section.property: "group"
            section.delegate: Label {
                required property string section
                width: ListView.view.width
                leftPadding: 12
                topPadding: 6
                bottomPadding: 2
                text: section === "operators" ? qsTr("Operators")
                    : section === "halfops" ? qsTr("Half-operators")
                    : section === "voiced" ? qsTr("Voiced") : qsTr("Members")
                font.pointSize: pane.theme.smallFontSize
                font.bold: true
                color: pane.theme.dimText
            }

            Keys.onReturnPressed: if (currentItem) pane.userChosen(currentItem.nick)
            Keys.onEnterPressed: if (currentItem) pane.userChosen(currentItem.nick)
            Keys.onMenuPressed: pane.openMenu(currentItem)
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier)) {
                    pane.openMenu(currentItem)
                    event.accepted = true
                }
            }

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string nick
                required property string prefix
                required property real hue
                required property bool isSelf
                required property string prefixes
                required property bool away
                required property string awayMessage

                objectName: "user_" + nick
                width: ListView.view.width
                highlighted: ListView.isCurrentItem && list.activeFocus
                focusPolicy: Qt.NoFocus
                background: Rectangle {
                    color: row.highlighted ? pane.theme.accent
                         : row.hovered ? pane.theme.divider : "transparent"
                }
                // Handlers rather than onClicked, which a right click emits too.
                TapHandler {
                    acceptedButtons: Qt.LeftButton
                    onTapped: {
                        list.currentIndex = row.index
                        pane.userChosen(row.nick)
                    }
                }
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: (eventPoint) => {
                        list.currentIndex = row.index
                        pane.openMenu(row, eventPoint.position)
                    }
                }
                Accessible.name: (row.away ? qsTr("%1, away").arg(row.prefix + row.nick) : row.prefix + row.nick)
                                 + (row.isSelf ? qsTr(" (you)") : "")
                ToolTip.text: row.away ? (row.awayMessage !== "" ? qsTr("%1 is away: %2").arg(nick).arg(row.awayMessage)
                                                                 : qsTr("%1 is away").arg(nick))
                                       : isSelf ? qsTr("You") : qsTr("Send %1 a private message").arg(nick)
                ToolTip.visible: hovered
                ToolTip.delay: 600

                contentItem: RowLayout {
                    spacing: 8
                    // Away: the whole row dimmed (the tooltip says why, when known).
                    opacity: row.away ? 0.5 : 1.0
                    Rectangle {
                        Layout.preferredWidth: Math.round(pane.theme.em / 2)
                        Layout.preferredHeight: Layout.preferredWidth
                        radius: width / 2
                        color: pane.theme.nickColor(row.hue)
                    }
                    Label {
                        Layout.fillWidth: true
                        text: row.prefix + row.nick + (row.isSelf ? qsTr("  (you)") : "")
                        font.bold: row.isSelf
                        font.italic: row.away
                        elide: Text.ElideRight
                        color: row.highlighted ? pane.palette.highlightedText : pane.theme.text
                    }
                }
            }
        }
    }

    MemberMenu {
        id: memberMenu
        theme: pane.theme
        onMessageRequested: (nick) => pane.messageRequested(nick)
        onKickRequested: (nick, alsoBan) => kickDialog.ask(memberMenu.channel, nick, alsoBan)
        // Back to the list, unless what was chosen went elsewhere (the kick's question, a conversation).
        onClosed: if (!kickDialog.visible && list.visible) list.forceActiveFocus()
    }

    KickDialog {
        id: kickDialog
        theme: pane.theme
        onClosed: if (list.visible) list.forceActiveFocus()
    }
}
