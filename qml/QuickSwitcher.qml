import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Ctrl+K: type part of a conversation's name, Enter shows the first match (Up/Down choose another),
// Escape goes back. The matching and its order are the ConversationList's.
Popup {
    id: popup

    required property ChatSession session
    required property Theme theme

    objectName: "quickSwitcher"
    modal: true
    focus: true
    width: Math.min(parent.width - 80, popup.theme.em * 27)
    x: (parent.width - width) / 2
    y: 60
    padding: 8

    // The rows of session.conversations that match what is typed, best first.
    property var rows: []

    function rematch() {
        rows = session.conversations.matching(field.text)
        results.currentIndex = rows.length > 0 ? 0 : -1
    }

    function choose(index) {
        const row = index >= 0 && index < rows.length ? rows[index] : -1
        close()
        if (row >= 0)
            session.conversations.activate(row)
    }

    onOpened: {
        field.text = ""
        rematch()
        field.forceActiveFocus()
    }

    // The counts and names change while it is open: match again.
    Connections {
        target: popup.session.conversations
        enabled: popup.opened
        function onDataChanged() { popup.rematch() }
        function onCountChanged() { popup.rematch() }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        TextField {
            id: field
            objectName: "quickSwitcherField"
            Layout.fillWidth: true
            placeholderText: qsTr("Go to a conversation…")
            Accessible.name: qsTr("Conversation to show")
            onTextChanged: popup.rematch()
            Keys.onReturnPressed: popup.choose(results.currentIndex)
            Keys.onEnterPressed: popup.choose(results.currentIndex)
            Keys.onUpPressed: results.currentIndex = Math.max(0, results.currentIndex - 1)
            Keys.onDownPressed: results.currentIndex = Math.min(popup.rows.length - 1, results.currentIndex + 1)
        }

        ListView {
            id: results
            objectName: "quickSwitcherResults"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, popup.theme.em * 19)
            clip: true
            model: popup.rows
            highlightMoveDuration: 0
            delegate: ItemDelegate {
                id: result
                required property int index
                required property int modelData
                readonly property var conversation: popup.session.conversations.at(modelData)
                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                text: conversation ? (conversation.kind === Conversation.Private ? "@ " : "") + conversation.name
                                     + (conversation.unread > 0 ? "  (" + conversation.unread + ")" : "")
                                   : ""
                font.bold: conversation !== null && conversation.unread > 0
                onClicked: popup.choose(index)
            }
        }

        Label {
            visible: popup.rows.length === 0
            text: qsTr("No conversation matches.")
            color: popup.theme.dimText
        }
    }
}
