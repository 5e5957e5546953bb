import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Ctrl+J, or "Join a channel" in the sidebar: the server's channels (LIST), filtered as you type,
// biggest first. Enter, a double click or Join joins the chosen one, or the name typed when it is
// a new channel (joining creates it); Escape closes. The list, its filter and the name rules are
// the ChannelDirectory's; joining is the /join command, which shows the channel once joined.
Popup {
    id: dialog

    required property ChatSession session
    required property Theme theme
    readonly property ChannelDirectory directory: session.channelDirectory
    // Why the name typed cannot be joined; set when the user tries, cleared as they type.
    property string nameError: ""

    function join(row) {
        const name = directory.joinTarget(row)
        const problem = directory.validateName(name)
        if (problem !== "") {
            nameError = problem
            return
        }
        close()
        session.send("/join " + name)
    }

    objectName: "joinDialog"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 80, 560)
    height: Math.min(parent.height - 80, 520)
    modal: true
    focus: true
    padding: 16

    background: Rectangle {
        color: dialog.theme.base
        radius: 10
        border.color: dialog.theme.divider
    }
    Overlay.modal: Rectangle {
        color: dialog.theme.scrim
    }

    onOpened: {
        field.text = ""
        nameError = ""
        directory.filter = ""
        directory.refresh()
        list.currentIndex = directory.bestRow
        field.forceActiveFocus()
    }

    // After each change of the rows, the best one is chosen: the channel typed exactly, else the first.
    Connections {
        target: dialog.directory
        function onResultsChanged() { list.currentIndex = dialog.directory.bestRow }
    }

    contentItem: ColumnLayout {
        spacing: 10

        Label {
            text: qsTr("Join or create a channel")
            font.bold: true
            font.pointSize: dialog.theme.titleFontSize
            color: dialog.theme.text
        }

        TextField {
            id: field
            objectName: "joinField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search the channels, or type a new name")
            Accessible.name: qsTr("Channel to join, or words to search for")
            onTextChanged: {
                dialog.nameError = ""
                dialog.directory.filter = text
            }
            Keys.onReturnPressed: dialog.join(list.currentIndex)
            Keys.onEnterPressed: dialog.join(list.currentIndex)
            // Up from the first row reaches the new channel's line, when there is one.
            Keys.onUpPressed: list.currentIndex = list.currentIndex > 0 ? list.currentIndex - 1
                                                  : dialog.directory.newChannel !== "" ? -1 : list.currentIndex
            Keys.onDownPressed: list.currentIndex = Math.min(list.count - 1, list.currentIndex + 1)
        }

        Label {
            objectName: "joinError"
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.nameError !== "" ? dialog.nameError : dialog.directory.errorText
            color: dialog.theme.errorText
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            BusyIndicator {
                objectName: "joinLoading"
                visible: dialog.directory.loading
                running: visible
                Layout.preferredWidth: 22
                Layout.preferredHeight: Math.round(dialog.theme.em * 1.4)
                Accessible.name: qsTr("Loading the channels")
            }
            Label {
                objectName: "joinSummary"
                Layout.fillWidth: true
                color: dialog.theme.dimText
                elide: Text.ElideRight
                text: dialog.directory.loading ? qsTr("Asking the server for its channels…")
                    : dialog.directory.total === 0 ? ""
                    : dialog.directory.total === 1 ? qsTr("1 channel")
                    : dialog.directory.count === dialog.directory.total
                      ? qsTr("%1 channels, the busiest first").arg(dialog.directory.total)
                      : qsTr("%1 of %2 channels").arg(dialog.directory.count).arg(dialog.directory.total)
            }
            ToolButton {
                objectName: "joinRefresh"
                text: qsTr("Refresh")
                enabled: !dialog.directory.loading
                Accessible.name: qsTr("Ask the server for its channels again")
                onClicked: dialog.directory.refresh()
            }
        }

        // The name typed, when no channel has it: joining it creates the channel.
        ItemDelegate {
            id: createRow
            objectName: "createChannel"
            Layout.fillWidth: true
            visible: dialog.directory.newChannel !== ""
            focusPolicy: Qt.NoFocus
            highlighted: list.currentIndex === -1
            Accessible.name: qsTr("Create %1").arg(dialog.directory.newChannel)
            background: Rectangle {
                radius: 6
                color: createRow.highlighted ? dialog.theme.accent
                     : createRow.hovered ? dialog.theme.divider : "transparent"
            }
            onClicked: list.currentIndex = -1
            onDoubleClicked: dialog.join(-1)
            contentItem: ColumnLayout {
                spacing: 2
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Create %1").arg(dialog.directory.newChannel)
                    font.bold: true
                    elide: Text.ElideRight
                    color: createRow.highlighted ? dialog.palette.highlightedText : dialog.theme.text
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Not in the list: joining it creates it, and you are its operator.")
                    font.pointSize: dialog.theme.smallFontSize
                    elide: Text.ElideRight
                    color: createRow.highlighted ? dialog.palette.highlightedText : dialog.theme.dimText
                }
            }
        }

        ListView {
            id: list
            objectName: "joinList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.directory
            activeFocusOnTab: true
            keyNavigationEnabled: true
            highlightMoveDuration: 0
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Channels")

            Keys.onReturnPressed: dialog.join(currentIndex)
            Keys.onEnterPressed: dialog.join(currentIndex)

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string name
                required property int members
                required property string topic
                required property bool joined

                objectName: "channel_" + name
                width: ListView.view.width
                focusPolicy: Qt.NoFocus
                highlighted: ListView.isCurrentItem
                Accessible.name: qsTr("%1, %2 people%3").arg(name).arg(members).arg(joined ? qsTr(", joined") : "")
                Accessible.description: topic
                background: Rectangle {
                    radius: 6
                    color: row.highlighted ? dialog.theme.accent : row.hovered ? dialog.theme.divider : "transparent"
                }
                onClicked: list.currentIndex = index
                onDoubleClicked: dialog.join(index)

                readonly property color textColor: highlighted ? dialog.palette.highlightedText : dialog.theme.text
                readonly property color dimColor: highlighted ? dialog.palette.highlightedText : dialog.theme.dimText

                contentItem: ColumnLayout {
                    spacing: 2
                    RowLayout {
                        spacing: 8
                        Label {
                            Layout.fillWidth: true
                            Layout.minimumWidth: 40
                            text: row.name
                            font.bold: true
                            elide: Text.ElideRight
                            color: row.textColor
                        }
                        Label {
                            objectName: "joinedMark"
                            visible: row.joined
                            text: qsTr("✓ joined")
                            font.pointSize: dialog.theme.smallFontSize
                            color: row.highlighted ? dialog.palette.highlightedText : dialog.theme.good
                        }
                        Label {
                            text: row.members === 1 ? qsTr("1 person") : qsTr("%1 people").arg(row.members)
                            font.pointSize: dialog.theme.smallFontSize
                            color: row.dimColor
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: row.topic !== ""
                        text: row.topic
                        textFormat: Text.PlainText
                        maximumLineCount: 1
                        elide: Text.ElideRight
                        font.pointSize: dialog.theme.smallFontSize
                        color: row.dimColor
                    }
                }
            }

            Label {
                objectName: "joinEmpty"
                anchors.centerIn: parent
                width: parent.width - 40
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                visible: !dialog.directory.loading && dialog.directory.count === 0
                text: dialog.directory.total === 0 ? qsTr("No channels yet — type a name to create one")
                                                   : qsTr("No channel matches “%1”.").arg(field.text.trim())
                color: dialog.theme.dimText
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Item { Layout.fillWidth: true }
            Button {
                objectName: "joinCancel"
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
            Button {
                objectName: "joinButton"
                text: list.currentIndex < 0 && dialog.directory.newChannel !== "" ? qsTr("Create") : qsTr("Join")
                highlighted: true
                enabled: list.currentIndex >= 0 || field.text.trim() !== ""
                Accessible.name: qsTr("Join %1").arg(list.currentIndex >= 0
                                                     ? dialog.directory.nameAt(list.currentIndex)
                                                     : dialog.directory.channelName(field.text))
                onClicked: dialog.join(list.currentIndex)
            }
        }
    }
}
