import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Who is in the room, grouped by rank; choosing someone starts a private message to them.
Pane {
    id: pane

    required property ChatSession session
    required property Theme theme

    signal userChosen(string nick)

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

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string nick
                required property string prefix
                required property real hue
                required property bool isSelf

                objectName: "user_" + nick
                width: ListView.view.width
                highlighted: ListView.isCurrentItem && list.activeFocus
                focusPolicy: Qt.NoFocus
                background: Rectangle {
                    color: row.highlighted ? pane.theme.accent
                         : row.hovered ? pane.theme.divider : "transparent"
                }
                onClicked: {
                    list.currentIndex = index
                    pane.userChosen(nick)
                }
                ToolTip.text: isSelf ? qsTr("You") : qsTr("Send %1 a private message").arg(nick)
                ToolTip.visible: hovered
                ToolTip.delay: 600

                contentItem: RowLayout {
                    spacing: 8
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
                        elide: Text.ElideRight
                    }
                }
            }
        }
    }
}
