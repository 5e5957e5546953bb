import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

ApplicationWindow {
    id: window

    required property ChatSession session
    property bool closeRequested: false

    width: 980
    height: 640
    minimumWidth: 720
    minimumHeight: 420
    visible: true
    title: (session.unreadCount > 0 ? "(" + session.unreadCount + ") " : "")
           + (session.inChat && session.conversations.current ? session.conversations.current.name + " — " : "")
           + "tktalk"

    Theme {
        id: theme
        settings: window.session.settings
    }

    // The theme's colours and text size for the whole window: Qt's controls, popups and menus too.
    font.pointSize: theme.fontSize
    palette.window: theme.window
    palette.windowText: theme.windowText
    palette.base: theme.base
    palette.alternateBase: theme.alternateBase
    palette.text: theme.text
    palette.button: theme.button
    palette.buttonText: theme.buttonText
    palette.brightText: theme.onBad
    palette.highlight: theme.highlight
    palette.highlightedText: theme.highlightedText
    palette.placeholderText: theme.placeholderText
    palette.toolTipBase: theme.base
    palette.toolTipText: theme.text
    palette.link: theme.link
    palette.linkVisited: theme.link
    palette.light: theme.light
    palette.midlight: theme.midlight
    palette.mid: theme.mid
    palette.dark: theme.shade
    palette.shadow: theme.shadow
    palette.disabled.windowText: theme.disabledText
    palette.disabled.text: theme.disabledText
    palette.disabled.buttonText: theme.disabledText

    onActiveChanged: session.windowActive = active

    // Closing leaves politely: QUIT goes out, then the window really closes once the session ended.
    onClosing: (close) => {
        if (session.state !== ServerLink.Disconnected && !closeRequested) {
            close.accepted = false
            closeRequested = true
            session.leave("")
        }
    }

    Connections {
        target: window.session
        function onLeftChat() {
            if (window.closeRequested)
                window.close()
        }
        function onExitRequested() {
            window.closeRequested = true
            window.close()
        }
        // Spoken to while the window is in the background: the taskbar shows it (urgency hint).
        function onAttentionRequested() {
            window.alert(0)
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: window.session.inChat ? 1 : 0

        LoginPage {
            objectName: "loginPage"
            session: window.session
            theme: theme
            onSettingsRequested: settingsDialog.open()
        }
        ChatPage {
            id: chatPage
            objectName: "chatPage"
            session: window.session
            theme: theme
            onSettingsRequested: settingsDialog.open()
        }
    }

    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }

    SettingsDialog {
        id: settingsDialog
        settings: window.session.settings
        theme: theme
        onClosed: if (window.session.inChat) chatPage.focusInput()
    }

    CertificateDialog {
        objectName: "certificateDialog"
        session: window.session
        theme: theme
    }
}
