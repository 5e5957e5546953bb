import QtQuick
import QtQuick.Controls

// A check box whose box grows with the text size and stands out in every theme: the style's own box is
// 14 px whatever the font, and is filled with the base colour, so on a base-coloured card it vanished
// in a dark palette. Long labels wrap.
CheckBox {
    id: control

    required property Theme theme

    Accessible.name: text

    indicator: Rectangle {
        readonly property real side: Math.round(control.theme.em * 0.95)
        implicitWidth: side
        implicitHeight: side
        x: control.leftPadding
        y: control.topPadding + (control.availableHeight - height) / 2
        radius: 3
        color: control.checked ? control.theme.accent : control.theme.base
        // Non-text contrast (WCAG 1.4.11): the dim text colour is at least 4.5:1 on base and window.
        border.color: control.visualFocus ? control.theme.accent : control.checked ? control.theme.accent
                                                                                 : control.theme.dimText
        border.width: control.visualFocus ? 2 : 1

        Text {
            anchors.centerIn: parent
            visible: control.checked
            text: "✓"
            color: control.theme.onAccent
            font.pointSize: control.theme.fontSize * 0.85
            font.bold: true
        }
        Rectangle {
            // The focus ring, outside the box so that it shows on a ticked box too.
            anchors.fill: parent
            anchors.margins: -3
            radius: 5
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
