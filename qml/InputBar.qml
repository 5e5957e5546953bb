import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Where the user types. Enter sends, Shift+Enter starts a new line, Up/Down recall earlier input,
// Tab completes a nickname. A paste of many lines asks first.
Pane {
    id: bar

    required property ChatSession session
    required property Theme theme
    property string pendingPaste: ""

    function focusInput() {
        field.forceActiveFocus()
    }

    function startPrivate(nick) {
        field.text = "/@" + nick + " "
        field.cursorPosition = field.length
        field.forceActiveFocus()
    }

    function submit() {
        const result = session.send(field.text, false)
        if (result === ChatSession.NeedsConfirmation) {
            pendingPaste = field.text
            confirmPaste.open()
        } else if (result === ChatSession.Sent) {
            field.clear()
        }
    }

    padding: 8

    background: Rectangle {
        color: bar.theme.surface
        Rectangle {
            width: parent.width
            height: 1
            color: bar.theme.divider
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

    Label {
        objectName: "typingLabel"
        readonly property string typing: bar.session.conversations.current
                                         ? bar.session.conversations.current.typingText : ""
        Layout.fillWidth: true
        visible: typing !== ""
        text: typing
        font.italic: true
        font.pointSize: bar.theme.smallFontSize
        color: bar.theme.dimText
        elide: Text.ElideRight
        Accessible.role: Accessible.StaticText
        Accessible.name: typing
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: 8

        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(field.implicitHeight, bar.theme.em * 9)

            TextArea {
                id: field
                background: Rectangle {
                    color: bar.theme.base
                    radius: 6
                    border.color: field.activeFocus ? bar.theme.accent : bar.theme.divider
                    border.width: field.activeFocus ? 2 : 1
                }
                padding: 8
                objectName: "inputField"
                placeholderText: bar.session.target !== ""
                                 ? qsTr("Message %1 — /help for commands").arg(bar.session.target)
                                 : qsTr("/help for commands")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Message")
                // Tells the others while the user types (a setting can turn it off).
                onTextChanged: bar.session.setDraft(text)

                Keys.onPressed: (event) => {
                    const plainEnter = (event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                       && !(event.modifiers & Qt.ShiftModifier)
                    if (plainEnter) {
                        bar.submit()
                    } else if (event.key === Qt.Key_Up && field.text.indexOf("\n") < 0) {
                        field.text = bar.session.historyPrevious(field.text)
                        field.cursorPosition = field.length
                    } else if (event.key === Qt.Key_Down && field.text.indexOf("\n") < 0) {
                        field.text = bar.session.historyNext()
                        field.cursorPosition = field.length
                    } else if (event.key === Qt.Key_Tab && field.text.trim() !== "") {
                        const before = field.text.substring(0, field.cursorPosition)
                        const after = field.text.substring(field.cursorPosition)
                        const completed = bar.session.completeNick(before)
                        field.text = completed + after
                        field.cursorPosition = completed.length
                    } else if (event.key === Qt.Key_Tab || event.key === Qt.Key_Backtab) {
                        // Nothing to complete: Tab moves on, as everywhere else.
                        const next = field.nextItemInFocusChain(event.key === Qt.Key_Tab)
                        if (next)
                            next.forceActiveFocus(event.key === Qt.Key_Tab ? Qt.TabFocusReason : Qt.BacktabFocusReason)
                    } else {
                        return
                    }
                    event.accepted = true
                }
            }
        }

        Button {
            objectName: "sendButton"
            text: qsTr("Send")
            enabled: field.text.trim() !== ""
            focusPolicy: Qt.NoFocus
            onClicked: bar.submit()
        }
    }
    }

    Dialog {
        id: confirmPaste
        objectName: "confirmPaste"
        parent: Overlay.overlay
        anchors.centerIn: parent
        // A width of its own: sized by its title and buttons, its width loops when the font changes.
        width: Math.min(parent.width - 40, bar.theme.em * 24)
        modal: true
        title: qsTr("Send several lines?")
        standardButtons: Dialog.Yes | Dialog.No

        Label {
            text: qsTr("This will send %1 messages, one per line.")
                  .arg(bar.pendingPaste.split("\n").filter((line) => line.trim() !== "").length)
        }
        onAccepted: {
            if (bar.session.send(bar.pendingPaste, true) === ChatSession.Sent)
                field.clear()
            bar.pendingPaste = ""
            field.forceActiveFocus()
        }
        onRejected: {
            bar.pendingPaste = ""
            field.forceActiveFocus()
        }
    }
}
