import QtQuick
import QtQuick.Controls
import TkTalk.Client

// The current conversation's transcript. It follows the newest message unless the user scrolled up;
// then a button says how many new messages arrived below. Reaching the top asks the server for older
// lines, which appear above without moving what is on screen.
Item {
    id: view

    required property ChatSession session
    required property Theme theme
    property bool follow: true
    property int unseen: 0
    property bool positioning: false
    // While older lines come in: the row at the top of the view when they were asked for, and how
    // many rows have been inserted above it since; the view keeps that row at its top.
    property int anchorRow: -1
    property int insertedAbove: 0

    function scrollToEnd() {
        positioning = true
        list.positionViewAtEnd()
        positioning = false
        follow = true
        unseen = 0
    }

    // Pages by rows rather than pixels: with rows of different heights the view only estimates where
    // far-away rows are, so pixel arithmetic can land anywhere.
    function page(direction) {
        const first = Math.max(0, list.indexAt(list.width / 2, list.contentY + 12))
        let last = list.indexAt(list.width / 2, list.contentY + list.height - 12)
        if (last < 0)
            last = list.count - 1
        const span = Math.max(1, last - first)
        if (direction < 0) {
            follow = false
            if (first - span <= 0)
                list.positionViewAtBeginning() // the header too: the top, where older lines are asked for
            else
                list.positionViewAtIndex(first - span, ListView.Beginning)
        } else if (last + span >= list.count - 1) {
            scrollToEnd()
        } else {
            list.positionViewAtIndex(last + span, ListView.End)
        }
    }

    // Deferred with Qt.callLater, like keepFollowing().
    function loadOlderIfAtTop() {
        if (!list.atYBeginning || follow || anchorRow >= 0 || list.count === 0)
            return
        const current = session.conversations.current
        if (!current || current.historyComplete || current.loadingOlder)
            return
        anchorRow = Math.max(0, list.indexAt(list.width / 2, list.contentY + list.headerItem.height + 1))
        insertedAbove = 0
        session.loadOlder()
        if (!current.loadingOlder)
            anchorRow = -1 // nothing was asked (a server without history)
    }

    function keepAnchor() {
        if (anchorRow < 0)
            return
        positioning = true
        list.positionViewAtIndex(anchorRow + insertedAbove, ListView.Beginning)
        positioning = false
        const current = session.conversations.current
        if (!current || !current.loadingOlder)
            anchorRow = -1
    }

    // Deferred with Qt.callLater: by the time it runs the user may have scrolled away.
    function keepFollowing() {
        if (follow)
            scrollToEnd()
    }

    ListView {
        id: list
        objectName: "messageList"
        anchors.fill: parent
        clip: true
        model: view.session.messages
        reuseItems: true
        activeFocusOnTab: true
        boundsBehavior: Flickable.StopAtBounds
        // Spacing as header and footer rather than margins: positionViewAtEnd() ignores bottomMargin.
        header: Item {
            width: ListView.view.width
            height: olderLabel.visible ? olderLabel.implicitHeight + 16 : 8
            Label {
                id: olderLabel
                objectName: "olderMessagesLabel"
                anchors.centerIn: parent
                visible: text !== ""
                color: view.theme.dimText
                text: view.session.conversations.current && view.session.conversations.current.loadingOlder
                      ? qsTr("Loading older messages…") : ""
            }
        }
        footer: Item {
            height: 8
        }

        ScrollBar.vertical: ScrollBar {
            id: scrollBar
        }

        delegate: MessageDelegate {
            width: ListView.view.width
            theme: view.theme
            showTime: view.session.settings.showTimestamps
        }

        // Another conversation: shown from its newest line.
        onModelChanged: {
            view.anchorRow = -1
            view.unseen = 0
            view.follow = true
            Qt.callLater(view.keepFollowing)
        }
        onCountChanged: if (view.follow) Qt.callLater(view.keepFollowing)
        Connections {
            target: list.model
            // Lines added at the end are new; older ones from the history go at the top and are not news.
            function onRowsInserted(parent, first, last) {
                if (view.anchorRow >= 0 && first <= view.anchorRow + view.insertedAbove) {
                    view.insertedAbove += last - first + 1
                    Qt.callLater(view.keepAnchor)
                } else if (!view.follow && last === list.model.rowCount() - 1) {
                    view.unseen += last - first + 1
                }
            }
        }
        onHeightChanged: if (view.follow) Qt.callLater(view.keepFollowing)
        onContentHeightChanged: if (view.follow) Qt.callLater(view.keepFollowing)

        // The user's own scrolling (drag, flick, wheel, scroll bar; keys below) decides whether to follow;
        // reaching the end again resumes it. Layout changes alone never stop following.
        onContentYChanged: {
            if (!view.positioning && (moving || scrollBar.pressed))
                view.follow = atYEnd
            if (atYEnd) {
                view.follow = true
                view.unseen = 0
            }
            if (atYBeginning && !view.follow)
                Qt.callLater(view.loadOlderIfAtTop)
        }

        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_PageUp) {
                view.page(-1)
            } else if (event.key === Qt.Key_PageDown) {
                view.page(1)
            } else if (event.key === Qt.Key_End) {
                view.scrollToEnd()
            } else {
                return
            }
            event.accepted = true
        }
    }

    Button {
        objectName: "newMessagesButton"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 12
        visible: !view.follow && view.unseen > 0
        text: view.unseen === 1 ? qsTr("1 new message ↓") : qsTr("%1 new messages ↓").arg(view.unseen)
        onClicked: view.scrollToEnd()
        focusPolicy: Qt.NoFocus
        padding: 8
        leftPadding: 16
        rightPadding: 16
        background: Rectangle {
            radius: height / 2
            color: view.theme.accent
        }
        contentItem: Label {
            text: parent.text
            color: view.theme.onAccent
            font.bold: true
        }
    }
}
