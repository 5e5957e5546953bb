import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// A coloured dot and a sentence: the connection state, always in view.
RowLayout {
    id: status

    required property ChatSession session
    required property Theme theme

    spacing: 8

    Rectangle {
        Layout.preferredWidth: Math.round(status.theme.em * 0.6)
        Layout.preferredHeight: Layout.preferredWidth
        radius: width / 2
        color: status.session.state === ServerLink.Connected ? status.theme.good
             : status.session.state === ServerLink.Disconnected ? status.theme.bad
             : status.theme.warn
    }
    Label {
        objectName: "statusText"
        Layout.fillWidth: true
        text: status.session.statusText
        elide: Text.ElideRight
        color: status.theme.dimText
    }
}
