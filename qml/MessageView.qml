import QtQuick
import QtQuick.Controls
import TkTalk.Client

// The transcript. It follows the newest message unless the user scrolled up; then a button says how
// many new messages arrived below.
Item {
    id: view

    required property ChatSession session
    required property Theme theme
    property bool follow: true
    property int unseen: 0
    property bool positioning: false

    function scrollToEnd() {
        positioning = true
        list.positionViewAtEnd()
        positioning = false
        follow = true
        unseen = 0
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
        topMargin: 8
        bottomMargin: 8

        ScrollBar.vertical: ScrollBar {
            id: scrollBar
        }

        delegate: MessageDelegate {
            width: ListView.view.width
            theme: view.theme
        }

        onCountChanged: {
            if (view.follow)
                Qt.callLater(view.scrollToEnd)
            else
                view.unseen += 1
        }
        onHeightChanged: if (view.follow) Qt.callLater(view.scrollToEnd)
        onContentYChanged: {
            if (!view.positioning && (moving || scrollBar.pressed || activeFocus || wheelActive))
                view.follow = atYEnd
            if (atYEnd) {
                view.follow = true
                view.unseen = 0
            }
        }

        property bool wheelActive: false
        WheelHandler {
            onActiveChanged: list.wheelActive = active
            onWheel: (event) => {
                list.wheelActive = true
                if (event.angleDelta.y > 0)
                    view.follow = false
            }
        }

        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_PageUp) {
                view.follow = false
                list.contentY = Math.max(list.originY, list.contentY - list.height * 0.9)
            } else if (event.key === Qt.Key_PageDown) {
                list.contentY = Math.min(list.contentY + list.height * 0.9, list.originY + list.contentHeight - list.height)
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
        highlighted: true
        onClicked: view.scrollToEnd()
    }
}
