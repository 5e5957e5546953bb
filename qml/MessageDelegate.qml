import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// One line of the transcript: time, sender (in the nick's colour), text. The text is shown as escaped
// HTML from the model, so only the links it made are markup.
Item {
    id: row

    required property int kind
    required property string time
    required property string sender
    required property real senderHue
    required property string html
    required property string peer
    required property real peerHue
    required property Theme theme

    readonly property bool isPrivate: kind === MessageModel.PrivateIn || kind === MessageModel.PrivateOut
    readonly property bool isMeta: kind === MessageModel.System || kind === MessageModel.Error
                                   || kind === MessageModel.Notice

    implicitHeight: Math.max(body.implicitHeight, senderLabel.implicitHeight) + (isPrivate ? 8 : 4)

    Rectangle {
        anchors.fill: parent
        anchors.leftMargin: 4
        anchors.rightMargin: 4
        visible: row.isPrivate
        color: row.theme.privateBackground
        radius: 4
    }

    Label {
        id: timeLabel
        x: 12
        y: body.y
        width: 44
        text: row.time
        color: row.theme.dimText
        font.pixelSize: body.font.pixelSize * 0.9
        topPadding: 1
    }

    Label {
        id: senderLabel
        x: timeLabel.x + timeLabel.width + 4
        y: body.y
        width: 128
        horizontalAlignment: Text.AlignRight
        elide: Text.ElideLeft
        font.bold: !row.isMeta
        text: {
            switch (row.kind) {
            case MessageModel.Action: return "*"
            case MessageModel.PrivateIn: return row.sender + " → " + qsTr("you")
            case MessageModel.PrivateOut: return "→ " + row.peer
            case MessageModel.System: return "•"
            case MessageModel.Error: return "!"
            case MessageModel.Notice: return row.html === "" ? "" : "–"
            default: return row.sender
            }
        }
        color: row.kind === MessageModel.Error ? row.theme.errorText
             : row.isMeta ? row.theme.dimText
             : row.kind === MessageModel.PrivateOut ? row.theme.nickColor(row.peerHue)
             : row.theme.nickColor(row.senderHue)
    }

    Text {
        id: body
        objectName: "messageText"
        x: senderLabel.x + senderLabel.width + 10
        y: row.isPrivate ? 4 : 2
        width: row.width - x - 16
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
