import QtQuick
import TkTalk.Client

// The client's colours and text sizes, following the user's settings. Colours: the system's palette
// (settings.theme System), or a light or dark palette of the client's own, which the window takes as
// its palette so that Qt's controls switch with ours. Text: every size derives from fontSize, the
// system's font size scaled by settings.fontScale.
QtObject {
    id: theme

    required property ClientSettings settings

    // What the desktop gives the application; followed while the theme is System.
    readonly property SystemPalette systemPalette: SystemPalette { colorGroup: SystemPalette.Active }
    readonly property SystemPalette systemDisabled: SystemPalette { colorGroup: SystemPalette.Disabled }

    readonly property bool followsSystem: settings.theme !== ClientSettings.Light
                                          && settings.theme !== ClientSettings.Dark
    readonly property bool dark: followsSystem ? systemPalette.window.hslLightness < 0.5
                                               : settings.theme === ClientSettings.Dark

    // The client's own palettes. Text, dim text, links and the accent keep at least 4.5:1 (WCAG AA)
    // against both base and window; so do the texts drawn on highlight and on bad.
    readonly property var lightColors: ({
        window: "#f2f3f5", windowText: "#1d2127", base: "#ffffff", alternateBase: "#f6f7f9",
        text: "#1d2127", dimText: "#555e68", disabledText: "#9aa0a8", button: "#e4e6ea",
        buttonText: "#1d2127", highlight: "#1f5fc9", highlightedText: "#ffffff",
        placeholderText: "#6a717a", light: "#ffffff", midlight: "#eceef1", mid: "#c3c8cf",
        dark: "#8c939c", shadow: "#5a000000"
    })
    readonly property var darkColors: ({
        window: "#232529", windowText: "#e6e8eb", base: "#1a1b1e", alternateBase: "#202226",
        text: "#e6e8eb", dimText: "#a3aab2", disabledText: "#6b7178", button: "#33363c",
        buttonText: "#e6e8eb", highlight: "#8ab4f8", highlightedText: "#0e1116",
        placeholderText: "#8f969e", light: "#4a4e55", midlight: "#3c3f45", mid: "#2c2e33",
        dark: "#141517", shadow: "#a0000000"
    })
    readonly property var own: dark ? darkColors : lightColors

    // The window's palette roles.
    readonly property color window: followsSystem ? systemPalette.window : own.window
    readonly property color windowText: followsSystem ? systemPalette.windowText : own.windowText
    readonly property color base: followsSystem ? systemPalette.base : own.base
    readonly property color alternateBase: followsSystem ? systemPalette.alternateBase : own.alternateBase
    readonly property color button: followsSystem ? systemPalette.button : own.button
    readonly property color buttonText: followsSystem ? systemPalette.buttonText : own.buttonText
    readonly property color highlight: followsSystem ? systemPalette.highlight : own.highlight
    readonly property color highlightedText: followsSystem ? systemPalette.highlightedText : own.highlightedText
    readonly property color placeholderText: followsSystem ? systemPalette.placeholderText : own.placeholderText
    readonly property color light: followsSystem ? systemPalette.light : own.light
    readonly property color midlight: followsSystem ? systemPalette.midlight : own.midlight
    readonly property color mid: followsSystem ? systemPalette.mid : own.mid
    readonly property color shade: followsSystem ? systemPalette.dark : own.dark
    readonly property color shadow: followsSystem ? systemPalette.shadow : own.shadow
    readonly property color disabledText: followsSystem ? systemDisabled.windowText : own.disabledText

    // What our components draw with.
    readonly property color text: followsSystem ? systemPalette.windowText : own.text
    readonly property color dimText: followsSystem ? Qt.rgba(text.r, text.g, text.b, 0.62) : own.dimText
    readonly property color surface: window
    readonly property color accent: highlight
    readonly property color onAccent: highlightedText
    readonly property color divider: Qt.rgba(text.r, text.g, text.b, 0.14)
    readonly property color errorText: dark ? "#ff8a80" : "#b3261e"
    readonly property color good: dark ? "#81c784" : "#2e7d32"
    readonly property color warn: dark ? "#ffd54f" : "#b26a00"
    readonly property color bad: dark ? "#ff8a80" : "#c62828"
    readonly property color onBad: dark ? "#1a1b1e" : "#ffffff"
    readonly property color link: dark ? "#8ab4f8" : "#1a56c4"
    // Behind a modal dialog: dims the window so that the dialog stands out.
    readonly property color scrim: Qt.rgba(0, 0, 0, dark ? 0.45 : 0.25)

    function nickColor(hue) {
        return Qt.hsla(hue, dark ? 0.55 : 0.70, dark ? 0.72 : 0.36, 1.0)
    }

    // Text sizes, in points. The system's size (a font given in pixels counts at 96 dpi) times the
    // user's scale; the others are fixed proportions of it.
    readonly property real systemFontSize: Qt.application.font.pointSize > 0 ? Qt.application.font.pointSize
                                                                             : Math.max(1, Qt.application.font.pixelSize) * 0.75
    function fontSizeAt(percent) {
        return systemFontSize * percent / 100
    }
    readonly property real fontSize: fontSizeAt(settings.fontScale)
    readonly property real smallFontSize: fontSize * 0.85
    readonly property real titleFontSize: fontSize * 1.3
    readonly property real headingFontSize: fontSize * 1.5
    readonly property real displayFontSize: fontSize * 2.25

    // Lengths that grow with the text: em is the height of a line of it (about 16 px at 10 pt).
    readonly property FontMetrics metrics: FontMetrics {
        font.pointSize: theme.fontSize
    }
    readonly property real em: metrics.height
    readonly property real timeWidth: Math.ceil(metrics.advanceWidth("00:00")) + 4
}
