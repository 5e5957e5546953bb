import QtQuick

// Colours derived from the window's palette, so the client follows the system's light or dark theme.
QtObject {
    id: theme

    required property var palette

    readonly property bool dark: palette.window.hslLightness < 0.5
    readonly property color text: palette.windowText
    readonly property color dimText: Qt.rgba(text.r, text.g, text.b, 0.62)
    readonly property color base: palette.base
    readonly property color surface: palette.window
    readonly property color accent: palette.highlight
    readonly property color divider: Qt.rgba(text.r, text.g, text.b, 0.14)
    readonly property color errorText: dark ? "#ff8a80" : "#b3261e"
    readonly property color good: dark ? "#81c784" : "#2e7d32"
    readonly property color warn: dark ? "#ffd54f" : "#b26a00"
    readonly property color bad: dark ? "#ff8a80" : "#c62828"
    readonly property color link: dark ? "#8ab4f8" : "#1a56c4"
    // Behind a modal dialog: dims the window so that the dialog stands out.
    readonly property color scrim: Qt.rgba(0, 0, 0, dark ? 0.45 : 0.25)

    function nickColor(hue) {
        return Qt.hsla(hue, dark ? 0.55 : 0.70, dark ? 0.72 : 0.36, 1.0)
    }
}
