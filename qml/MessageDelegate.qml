import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// One line of a conversation: time (unless the settings hide it), sender (in the nick's colour), text. The text is shown as escaped
// HTML from the model, so only the links it made are markup. A private conversation's lines look like
// a channel's: the conversation itself says who it is with.
Item {
    id: row

    required property int kind
    required property string time
    required property string sender
    required property real senderHue
    required property string html
    required property bool firstUnread
    required property Theme theme
    property bool showTime: true

    readonly property bool isMeta: kind === MessageModel.System || kind === MessageModel.Error
                                   || kind === MessageModel.Notice

    // Above the first line not yet read (the read marker, from any of the user's devices).
    readonly property real markHeight: firstUnread ? newMark.implicitHeight + 6 : 0
    implicitHeight: markHeight + Math.max(body.implicitHeight, senderLabel.implicitHeight) + 4

    RowLayout {
        id: newMark
        objectName: "newMessagesMark"
        visible: row.firstUnread
        x: 12
        width: row.width - 24
        spacing: 8
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 1
            color: row.theme.bad
        }
        Label {
            text: qsTr("new messages")
            color: row.theme.bad
            font.pointSize: row.theme.smallFontSize
            font.bold: true
        }
    }

    Label {
        id: timeLabel
        objectName: "messageTime"
        visible: row.showTime
        x: 12
        y: body.y + body.baselineOffset - baselineOffset // on the text's baseline, though smaller
        width: row.theme.timeWidth
        text: row.time
        color: row.theme.dimText
        font.pointSize: row.theme.smallFontSize
    }

    Label {
        id: senderLabel
        objectName: "messageSender"
        x: row.showTime ? timeLabel.x + timeLabel.width + 4 : 12
        y: body.y
        width: Math.min(row.theme.em * 8.5, row.width * 0.25)
        font.pointSize: row.theme.fontSize
        horizontalAlignment: Text.AlignRight
        elide: Text.ElideLeft
        font.bold: !row.isMeta
        text: {
            switch (row.kind) {
            case MessageModel.Action: return "*"
            case MessageModel.System: return "•"
            case MessageModel.Error: return "!"
            case MessageModel.Notice: return row.html === "" ? "" : "–"
            default: return row.sender
            }
        }
        color: row.kind === MessageModel.Error ? row.theme.errorText
             : row.isMeta ? row.theme.dimText
             : row.theme.nickColor(row.senderHue)
    }

    Text {
        id: body
        objectName: "messageText"
        x: senderLabel.x + senderLabel.width + 10
        y: row.markHeight + 2
        width: row.width - x - 16
        font.pointSize: row.theme.fontSize
        wrapMode: Text.Wrap
        textFormat: Text.StyledText
        linkColor: row.theme.link
        color: row.kind === MessageModel.Error ? row.theme.errorText
             : row.isMeta ? row.theme.dimText
             : row.theme.text
        text: row.html
        onLinkActivated: (link) => Qt.openUrlExternally(link)

        HoverHandler {
            cursorShape: body.hoveredLink !== "" ? Qt.PointingHandCursor : Qt.IBeamCursor
        }
    }
}
