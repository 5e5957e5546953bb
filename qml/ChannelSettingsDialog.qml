import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// A channel's settings: its topic, modes (+i +m +n +s +t, the key +k, the limit +l) and bans.
// Operators change them; Apply sends only what differs from the channel as it is now. Bans are
// added and removed at once. Others see the settings without changing them. Escape closes.
Popup {
    id: dialog

    required property Theme theme
    property Conversation conversation: null
    readonly property ChannelState channel: conversation ? conversation.channel : null
    readonly property bool editable: channel !== null && channel.isOperator
    property string error: ""

    /// Shows the settings of @p target (a joined channel's conversation) as they are now.
    function show(target) {
        conversation = target
        if (!channel)
            return
        topicField.text = channel.topic
        topicField.cursorPosition = 0 // its start in view
        inviteOnly.checked = channel.inviteOnly
        moderated.checked = channel.moderated
        noExternal.checked = channel.noExternalMessages
        secret.checked = channel.secret
        topicLocked.checked = channel.topicLocked
        hasKey.checked = channel.key !== ""
        keyField.text = channel.key
        hasLimit.checked = channel.limit > 0
        limitBox.value = channel.limit > 0 ? channel.limit : 20
        banField.text = ""
        error = ""
        channel.requestBans()
        open()
    }

    function apply() {
        error = channel.applySettings({
            "topic": topicField.text,
            "inviteOnly": inviteOnly.checked,
            "moderated": moderated.checked,
            "noExternalMessages": noExternal.checked,
            "secret": secret.checked,
            "topicLocked": topicLocked.checked,
            "key": hasKey.checked ? keyField.text : "",
            "limit": hasLimit.checked ? limitBox.value : 0
        })
        if (error === "")
            close()
    }

    function addBan() {
        const result = channel.ban(banField.text)
        if (result === "")
            banField.text = ""
        error = result
    }

    objectName: "channelSettings"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 40, 560)
    height: Math.min(parent.height - 40, implicitHeight)
    modal: true
    focus: true
    padding: 20
    closePolicy: Popup.CloseOnEscape

    onOpened: (dialog.editable ? topicField : closeButton).forceActiveFocus()
    // Out of the channel (kicked, disconnected): nothing here can be sent any more.
    Connections {
        target: dialog.conversation
        function onJoinedChanged() {
            if (!dialog.conversation.joined)
                dialog.close()
        }
    }

    // The window's colour, so that the fields and boxes (in the base colour) stand out.
    background: Rectangle {
        color: dialog.theme.surface
        radius: 10
        border.color: dialog.theme.divider
    }

    contentItem: ColumnLayout {
        spacing: 10

        Label {
            objectName: "settingsTitle"
            Layout.fillWidth: true
            text: qsTr("Settings of %1").arg(dialog.conversation ? dialog.conversation.name : "")
            font.pointSize: dialog.theme.titleFontSize
            font.bold: true
            elide: Text.ElideRight
        }
        Label {
            objectName: "settingsReadOnly"
            Layout.fillWidth: true
            visible: !dialog.editable
            text: qsTr("Only the channel's operators can change these.")
            color: dialog.theme.dimText
            wrapMode: Text.Wrap
        }

        Label {
            text: qsTr("Topic")
            color: dialog.theme.dimText
        }
        TextField {
            id: topicField
            objectName: "settingsTopic"
            Layout.fillWidth: true
            enabled: dialog.channel !== null && dialog.channel.canSetTopic
            placeholderText: qsTr("No topic")
            Accessible.name: qsTr("Topic")
            Keys.onReturnPressed: dialog.apply()
            Keys.onEnterPressed: dialog.apply()
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: 16
            rowSpacing: 0
            enabled: dialog.editable

            CheckBox {
                id: inviteOnly
                objectName: "settingsInviteOnly"
                text: qsTr("Invitation only (+i)")
                Accessible.name: text
            }
            CheckBox {
                id: moderated
                objectName: "settingsModerated"
                text: qsTr("Only voiced people speak (+m)")
                Accessible.name: text
            }
            CheckBox {
                id: topicLocked
                objectName: "settingsTopicLocked"
                text: qsTr("Only operators set the topic (+t)")
                Accessible.name: text
            }
            CheckBox {
                id: secret
                objectName: "settingsSecret"
                text: qsTr("Secret (+s)")
                Accessible.name: text
            }
            CheckBox {
                id: noExternal
                objectName: "settingsNoExternal"
                text: qsTr("No messages from outside (+n)")
                Accessible.name: text
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            enabled: dialog.editable
            CheckBox {
                id: hasKey
                objectName: "settingsHasKey"
                text: qsTr("Key (+k)")
                Accessible.name: qsTr("Needs a key to join")
            }
            TextField {
                id: keyField
                objectName: "settingsKey"
                Layout.fillWidth: true
                enabled: hasKey.checked
                placeholderText: qsTr("The password to join")
                Accessible.name: qsTr("Key")
                Keys.onReturnPressed: dialog.apply()
                Keys.onEnterPressed: dialog.apply()
            }
            CheckBox {
                id: hasLimit
                objectName: "settingsHasLimit"
                text: qsTr("Limit (+l)")
                Accessible.name: qsTr("Limits how many people can be in it")
            }
            SpinBox {
                id: limitBox
                objectName: "settingsLimit"
                enabled: hasLimit.checked
                from: 1
                to: 100000
                editable: true
                Accessible.name: qsTr("Most people")
            }
        }

        Label {
            objectName: "bansTitle"
            Layout.topMargin: 4
            text: dialog.channel && dialog.channel.bansKnown ? qsTr("Bans (%1)").arg(dialog.channel.bans.count)
                                                             : qsTr("Bans")
            color: dialog.theme.dimText
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: Math.round(dialog.theme.em * 4)
            Layout.preferredHeight: Math.round(dialog.theme.em * 7)
            color: dialog.theme.base
            border.color: dialog.theme.divider
            radius: 4

            ListView {
                id: banList
                objectName: "banList"
                anchors.fill: parent
                anchors.margins: 1
                clip: true
                model: dialog.channel ? dialog.channel.bans : null
                activeFocusOnTab: count > 0
                keyNavigationEnabled: true
                highlightMoveDuration: 0
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Bans")
                ScrollBar.vertical: ScrollBar {}
                Keys.onDeletePressed: if (currentItem && dialog.editable) dialog.channel.unban(currentItem.mask)

                delegate: ItemDelegate {
                    id: banRow
                    required property string mask
                    required property string setBy
                    required property var setAt
                    required property int index
                    objectName: "ban_" + mask
                    width: ListView.view.width
                    focusPolicy: Qt.NoFocus
                    highlighted: ListView.isCurrentItem && banList.activeFocus
                    background: Rectangle {
                        color: banRow.highlighted ? dialog.theme.accent : "transparent"
                    }
                    Accessible.name: setBy !== "" ? qsTr("%1, set by %2").arg(mask).arg(setBy) : mask
                    onClicked: banList.currentIndex = index
                    contentItem: RowLayout {
                        spacing: 8
                        Label {
                            Layout.fillWidth: true
                            text: banRow.mask
                            elide: Text.ElideRight
                            font.family: "monospace"
                            color: banRow.highlighted ? dialog.palette.highlightedText : dialog.theme.text
                        }
                        Label {
                            text: banRow.setBy !== "" ? qsTr("by %1").arg(banRow.setBy) : ""
                            color: banRow.highlighted ? dialog.palette.highlightedText : dialog.theme.dimText
                            font.pointSize: dialog.theme.smallFontSize
                        }
                        Button {
                            objectName: "removeBan"
                            visible: dialog.editable
                            text: qsTr("Remove")
                            Accessible.name: qsTr("Remove the ban on %1").arg(banRow.mask)
                            onClicked: dialog.channel.unban(banRow.mask)
                        }
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: banList.count === 0
                text: !dialog.channel ? ""
                      : dialog.channel.bansLoading ? qsTr("Loading…")
                      : dialog.channel.bansKnown ? qsTr("Nobody is banned.")
                      : qsTr("The server did not list the bans.")
                color: dialog.theme.dimText
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            visible: dialog.editable
            TextField {
                id: banField
                objectName: "banField"
                Layout.fillWidth: true
                placeholderText: qsTr("nick, or nick!user@host with * and ?")
                Accessible.name: qsTr("Mask to ban")
                Keys.onReturnPressed: dialog.addBan()
                Keys.onEnterPressed: dialog.addBan()
            }
            Button {
                objectName: "addBan"
                text: qsTr("Add ban")
                enabled: banField.text.trim() !== ""
                onClicked: dialog.addBan()
            }
        }

        Label {
            objectName: "settingsError"
            Layout.fillWidth: true
            visible: dialog.error !== ""
            text: dialog.error
            color: dialog.theme.errorText
            wrapMode: Text.Wrap
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            Item {
                Layout.fillWidth: true
            }
            Button {
                id: closeButton
                objectName: "settingsClose"
                text: dialog.editable ? qsTr("Cancel") : qsTr("Close")
                onClicked: dialog.close()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
            Button {
                objectName: "settingsApply"
                visible: dialog.editable || (dialog.channel !== null && dialog.channel.canSetTopic)
                text: qsTr("Apply")
                highlighted: true
                onClicked: dialog.apply()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
        }
    }
}
