import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// The client's settings (Ctrl+, or the Settings button): theme, text size, timestamps, notifications,
// typing indicators. Each change applies at once and is kept by ClientSettings; Escape or Close
// closes. The text size applies when the slider is let go (or at once from the keyboard), so that the
// dialog does not grow under the pointer; the preview shows it meanwhile.
Dialog {
    id: dialog

    required property ClientSettings settings
    required property Theme theme
    // The text size the slider points at: while it is dragged, where it is; otherwise the setting.
    readonly property int pendingScale: sizeSlider.pressed
                                        ? Math.round(sizeSlider.valueAt(sizeSlider.position) / settings.fontScaleStep)
                                          * settings.fontScaleStep
                                        : settings.fontScale

    // Scrolls the settings so that @p item, which just got the focus, is in view: with large text the
    // dialog may not show them all at once.
    function reveal(item) {
        let inside = item
        while (inside && inside !== column)
            inside = inside.parent
        if (!inside)
            return
        const flickable = scroller.contentItem
        const top = item.mapToItem(column, 0, 0).y
        if (top < flickable.contentY)
            flickable.contentY = top
        else if (top + item.height > flickable.contentY + flickable.height)
            flickable.contentY = top + item.height - flickable.height
    }

    objectName: "settingsDialog"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 40, theme.em * 34)
    height: Math.min(implicitHeight, parent.height - 40)
    modal: true
    focus: true
    padding: 20
    topPadding: 8
    title: qsTr("Settings")

    // Keyboard users see where they are from the start.
    onOpened: {
        scroller.contentItem.contentY = 0
        const current = followSystem.checked ? followSystem : lightTheme.checked ? lightTheme : darkTheme
        current.forceActiveFocus(Qt.TabFocusReason)
    }

    Overlay.modal: Rectangle {
        color: Qt.rgba(0, 0, 0, dialog.theme.dark ? 0.55 : 0.3)
    }

    background: Rectangle {
        color: dialog.theme.surface
        radius: 10
        border.color: dialog.theme.divider
    }

    header: Label {
        text: dialog.title
        font.pointSize: dialog.theme.headingFontSize
        font.bold: true
        leftPadding: 20
        rightPadding: 20
        topPadding: 18
        elide: Text.ElideRight
    }

    footer: DialogButtonBox {
        background: null
        Button {
            objectName: "settingsCloseButton"
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: qsTr("Close the settings")
            Keys.onReturnPressed: clicked()
            Keys.onEnterPressed: clicked()
        }
    }

    Connections {
        target: dialog.opened ? dialog.contentItem.Window.window : null
        function onActiveFocusItemChanged() {
            const item = dialog.contentItem.Window.window.activeFocusItem
            if (item)
                dialog.reveal(item)
        }
    }

    ScrollView {
        id: scroller
        readonly property bool overflows: column.implicitHeight > height
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true
        ScrollBar.vertical.policy: overflows ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded

        ColumnLayout {
            id: column
            width: scroller.availableWidth - (scroller.overflows ? scroller.ScrollBar.vertical.width + 6 : 0)
            spacing: 6

            Label {
                text: qsTr("Appearance")
                font.bold: true
                color: dialog.theme.dimText
                Layout.topMargin: 6
            }

            Label {
                text: qsTr("Theme")
            }
            Flow {
                Layout.fillWidth: true
                spacing: 12
                ButtonGroup {
                    id: themeGroup
                }
                ThemedRadioButton {
                    id: followSystem
                    objectName: "themeSystem"
                    theme: dialog.theme
                    text: qsTr("Follow the system")
                    ButtonGroup.group: themeGroup
                    checked: dialog.theme.followsSystem
                    onToggled: if (checked) dialog.settings.theme = ClientSettings.System
                    Accessible.name: qsTr("Theme: follow the system")
                }
                ThemedRadioButton {
                    id: lightTheme
                    objectName: "themeLight"
                    theme: dialog.theme
                    text: qsTr("Light")
                    ButtonGroup.group: themeGroup
                    checked: dialog.settings.theme === ClientSettings.Light
                    onToggled: if (checked) dialog.settings.theme = ClientSettings.Light
                    Accessible.name: qsTr("Theme: light")
                }
                ThemedRadioButton {
                    id: darkTheme
                    objectName: "themeDark"
                    theme: dialog.theme
                    text: qsTr("Dark")
                    ButtonGroup.group: themeGroup
                    checked: dialog.settings.theme === ClientSettings.Dark
                    onToggled: if (checked) dialog.settings.theme = ClientSettings.Dark
                    Accessible.name: qsTr("Theme: dark")
                }
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 6
                spacing: 8
                Label {
                    text: qsTr("Text size")
                }
                Label {
                    objectName: "fontScaleValue"
                    Layout.fillWidth: true
                    text: qsTr("%1 %").arg(dialog.pendingScale)
                    color: dialog.theme.dimText
                }
                Button {
                    objectName: "fontScaleReset"
                    text: qsTr("Default size")
                    flat: true
                    enabled: dialog.settings.fontScale !== dialog.settings.defaultFontScale
                    onClicked: dialog.settings.fontScale = dialog.settings.defaultFontScale
                    Accessible.name: qsTr("Default text size")
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                }
            }
            Slider {
                id: sizeSlider
                objectName: "fontScaleSlider"
                Layout.fillWidth: true
                from: dialog.settings.minFontScale
                to: dialog.settings.maxFontScale
                stepSize: dialog.settings.fontScaleStep
                snapMode: Slider.SnapAlways
                live: false
                value: dialog.settings.fontScale
                // Keys and wheel at once; a drag when let go.
                onMoved: if (!pressed) dialog.settings.fontScale = value
                onPressedChanged: if (!pressed) dialog.settings.fontScale = dialog.pendingScale
                Accessible.name: qsTr("Text size, %1 percent").arg(dialog.pendingScale)
                // A handle that grows with the text, like the check boxes.
                handle: Rectangle {
                    readonly property real side: Math.round(dialog.theme.em * 1.1)
                    x: sizeSlider.leftPadding + sizeSlider.visualPosition * (sizeSlider.availableWidth - width)
                    y: sizeSlider.topPadding + (sizeSlider.availableHeight - height) / 2
                    implicitWidth: side
                    implicitHeight: side
                    radius: width / 2
                    color: sizeSlider.pressed ? dialog.theme.accent : dialog.theme.base
                    border.color: dialog.theme.accent
                    border.width: sizeSlider.visualFocus ? 3 : 2
                }
            }
            // A message line at the size the slider points at.
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: preview.implicitHeight + 16
                color: dialog.theme.base
                radius: 6
                border.color: dialog.theme.divider
                Text {
                    id: preview
                    objectName: "fontScalePreview"
                    x: 10
                    y: 8
                    width: parent.width - 20
                    wrapMode: Text.Wrap
                    textFormat: Text.StyledText
                    font.pointSize: dialog.theme.fontSizeAt(dialog.pendingScale)
                    color: dialog.theme.text
                    text: "<font color=\"" + dialog.theme.dimText + "\">12:34</font>&nbsp;&nbsp;<b><font color=\""
                          + dialog.theme.nickColor(0.58) + "\">bob</font></b>&nbsp;&nbsp;"
                          + qsTr("The quick brown fox jumps over the lazy dog.")
                    Accessible.ignored: true
                }
            }

            ThemedCheckBox {
                objectName: "showTimestamps"
                Layout.fillWidth: true
                theme: dialog.theme
                text: qsTr("Show the time of each message")
                checked: dialog.settings.showTimestamps
                onToggled: dialog.settings.showTimestamps = checked
            }

            Label {
                text: qsTr("Notifications and privacy")
                font.bold: true
                color: dialog.theme.dimText
                Layout.topMargin: 10
            }
            ThemedCheckBox {
                objectName: "notifications"
                Layout.fillWidth: true
                theme: dialog.theme
                text: qsTr("Desktop notifications for private messages and mentions")
                checked: dialog.settings.notifications
                onToggled: dialog.settings.notifications = checked
            }
            Label {
                Layout.fillWidth: true
                Layout.leftMargin: dialog.theme.em * 0.95 + 12
                text: qsTr("While the window is in the background. To silence one conversation, right-click it in the list.")
                color: dialog.theme.dimText
                font.pointSize: dialog.theme.smallFontSize
                wrapMode: Text.Wrap
            }
            ThemedCheckBox {
                objectName: "sendTyping"
                Layout.fillWidth: true
                theme: dialog.theme
                text: qsTr("Let others see when I am typing")
                checked: dialog.settings.sendTyping
                onToggled: dialog.settings.sendTyping = checked
            }
        }
    }
}
