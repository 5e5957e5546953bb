import QtQuick
import QtQuick.Controls

// A radio button whose circle grows with the text size and stands out in every theme (see
// ThemedCheckBox for why the style's own does not).
RadioButton {
    id: control

    required property Theme theme

    Accessible.name: text

    indicator: Rectangle {
        readonly property real side: Math.round(control.theme.em * 0.95)
        implicitWidth: side
        implicitHeight: side
        x: control.leftPadding
        y: control.topPadding + (control.availableHeight - height) / 2
        radius: width / 2
        color: control.theme.base
        border.color: control.checked || control.visualFocus ? control.theme.accent : control.theme.dimText
        border.width: control.checked || control.visualFocus ? 2 : 1

        Rectangle {
            anchors.centerIn: parent
            width: parent.width * 0.5
            height: width
            radius: width / 2
            color: control.theme.accent
            visible: control.checked
        }
        Rectangle {
            anchors.fill: parent
            anchors.margins: -3
            radius: width / 2
            color: "transparent"
            border.color: control.theme.accent
            border.width: 2
            visible: control.visualFocus
        }
    }

    contentItem: Label {
        leftPadding: control.indicator.width + control.spacing
        text: control.text
        wrapMode: Text.Wrap
        verticalAlignment: Text.AlignVCenter
        color: control.enabled ? control.theme.text : control.theme.disabledText
    }
}
