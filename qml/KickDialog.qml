import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Asks for the reason before putting someone out of the channel (and, for "Ban and kick", banning
// them first). Enter confirms, Escape cancels.
Popup {
    id: dialog

    required property Theme theme
    property ChannelState channel: null
    property string nick: ""
    property bool alsoBan: false

    function ask(state, who, ban) {
        channel = state
        nick = who
        alsoBan = ban
        reason.text = ""
        open()
    }

    function confirm() {
        if (channel) {
            if (alsoBan)
                channel.kickBan(nick, reason.text)
            else
                channel.kick(nick, reason.text)
        }
        close()
    }

    objectName: "kickDialog"
    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 40, 420)
    modal: true
    focus: true
    padding: 20
    closePolicy: Popup.CloseOnEscape

    onOpened: reason.forceActiveFocus()

    // The window's colour, so that the fields and boxes (in the base colour) stand out.
    background: Rectangle {
        color: dialog.theme.surface
        radius: 10
        border.color: dialog.theme.divider
    }

    contentItem: ColumnLayout {
        spacing: 10

        Label {
            objectName: "kickTitle"
            Layout.fillWidth: true
            text: dialog.alsoBan ? qsTr("Ban %1 and put them out").arg(dialog.nick)
                                 : qsTr("Put %1 out of the channel").arg(dialog.nick)
            font.pointSize: dialog.theme.titleFontSize
            font.bold: true
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            visible: dialog.alsoBan
            text: qsTr("They will not be able to come back while %1 is banned.")
                  .arg(dialog.channel ? dialog.channel.maskForNick(dialog.nick) : "")
            color: dialog.theme.dimText
            wrapMode: Text.Wrap
        }
        TextField {
            id: reason
            objectName: "kickReason"
            Layout.fillWidth: true
            placeholderText: qsTr("Reason (optional; everyone sees it)")
            Accessible.name: qsTr("Reason")
            Keys.onReturnPressed: dialog.confirm()
            Keys.onEnterPressed: dialog.confirm()
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            Item {
                Layout.fillWidth: true
            }
            Button {
                objectName: "kickCancel"
                text: qsTr("Cancel")
                onClicked: dialog.close()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
            Button {
                objectName: "kickConfirm"
                text: dialog.alsoBan ? qsTr("Ban and kick") : qsTr("Kick")
                highlighted: true
                onClicked: dialog.confirm()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
        }
    }
}
