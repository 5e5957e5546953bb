import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// The current channel's topic, above its conversation, with its modes. Whoever may set it (an
// operator, or anyone when the channel is not +t) edits it in place: Enter sets it, Escape cancels.
Pane {
    id: bar

    required property ChannelState channel
    required property Theme theme
    property bool editing: false

    function startEditing() {
        if (!channel || !channel.canSetTopic)
            return
        field.text = channel.topic
        editing = true
        field.selectAll()
        field.forceActiveFocus()
    }

    function finishEditing(apply) {
        if (apply && channel)
            channel.setTopic(field.text)
        editing = false
    }

    // Another channel shown, or the right to edit lost: the edit is dropped.
    onChannelChanged: editing = false
    Connections {
        target: bar.channel
        function onCanSetTopicChanged() {
            if (!bar.channel.canSetTopic)
                bar.editing = false
        }
    }

    padding: 6
    leftPadding: 12
    rightPadding: 8
    background: Rectangle {
        color: bar.theme.surface
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: bar.theme.divider
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            objectName: "topicText"
            visible: !bar.editing
            Layout.fillWidth: true
            readonly property bool hasTopic: bar.channel !== null && bar.channel.topic !== ""
            text: hasTopic ? bar.channel.topic : qsTr("No topic")
            color: hasTopic ? bar.theme.text : bar.theme.dimText
            font.italic: !hasTopic
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            Accessible.name: qsTr("Topic: %1").arg(text)
            ToolTip.text: bar.channel && bar.channel.topicSetBy !== ""
                          ? (isNaN(bar.channel.topicSetAt)
                             ? qsTr("Set by %1").arg(bar.channel.topicSetBy)
                             : qsTr("Set by %1 on %2").arg(bar.channel.topicSetBy)
                                   .arg(bar.channel.topicSetAt.toLocaleString(Qt.locale(), Locale.ShortFormat)))
                          : ""
            ToolTip.visible: topicHover.hovered && ToolTip.text !== ""
            ToolTip.delay: 500
            HoverHandler { id: topicHover }
            TapHandler {
                onDoubleTapped: bar.startEditing()
            }
        }
        TextField {
            id: field
            objectName: "topicField"
            visible: bar.editing
            Layout.fillWidth: true
            placeholderText: qsTr("The topic (empty clears it)")
            Accessible.name: qsTr("New topic")
            Keys.onReturnPressed: bar.finishEditing(true)
            Keys.onEnterPressed: bar.finishEditing(true)
            Keys.onEscapePressed: bar.finishEditing(false)
        }
        Label {
            objectName: "modeText"
            visible: !bar.editing && bar.channel !== null && bar.channel.modeText !== ""
            text: bar.channel ? bar.channel.modeText : ""
            color: bar.theme.dimText
            font.pointSize: bar.theme.smallFontSize
            Accessible.name: qsTr("Modes: %1").arg(text)
        }
        ToolButton {
            objectName: "editTopicButton"
            visible: !bar.editing && bar.channel !== null && bar.channel.canSetTopic
            text: qsTr("Edit")
            Accessible.name: qsTr("Edit the topic")
            ToolTip.text: Accessible.name
            ToolTip.visible: hovered
            onClicked: bar.startEditing()
        }
        ToolButton {
            objectName: "setTopicButton"
            visible: bar.editing
            text: qsTr("Set")
            Accessible.name: qsTr("Set the topic")
            onClicked: bar.finishEditing(true)
        }
        ToolButton {
            objectName: "cancelTopicButton"
            visible: bar.editing
            text: qsTr("Cancel")
            Accessible.name: qsTr("Keep the topic as it is")
            onClicked: bar.finishEditing(false)
        }
    }
}
