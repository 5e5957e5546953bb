import QtQuick
import QtQuick.Controls
import TkTalk.Client

// What can be done with a member of the channel: message them, ask who they are, and for an
// operator, op, voice, kick and ban them. Opened by a right click or the Menu key (Shift+F10).
Menu {
    id: menu

    required property Theme theme
    property ChannelState channel: null
    property string nick: ""
    property string prefixes: ""
    property bool isSelf: false

    // The operator's part (and Message, for oneself) is left out rather than disabled: such an item
    // is not shown and 0 high. Its height follows "shown", not "visible": the items of a closed menu
    // are never visible, and would all be laid out 0 high.
    readonly property bool operator: channel !== null && channel.isOperator

    /// Message: the private conversation with them is to be shown.
    signal messageRequested(string nick)
    /// Kick or Ban and kick: the reason is to be asked for.
    signal kickRequested(string nick, bool alsoBan)

    /// Opens the menu for a member (@p item, their row): at @p position in it (where it was
    /// clicked), or below the row when there is none (the keyboard).
    function openFor(state, who, memberPrefixes, self, item, position) {
        channel = state
        nick = who
        prefixes = memberPrefixes
        isSelf = self
        // The items' heights changed with the member: lay them out before the menu takes its size.
        contentItem.forceLayout()
        if (position)
            popup(item, position.x, position.y)
        else
            popup(item, 24, item.height)
    }

    objectName: "memberMenu"

    // The window's colour and a frame: the style's own is the list's colour, which it would melt into.
    background: Rectangle {
        implicitWidth: Math.round(menu.theme.em * 13)
        color: menu.theme.surface
        border.color: menu.theme.divider
        radius: 4
    }

    // Whom it is about: the menu may cover their row. Not a choice, but in the text's colour.
    MenuItem {
        objectName: "memberName"
        text: menu.nick
        enabled: false
        font.bold: true
        palette.disabled.windowText: menu.theme.text
        palette.disabled.text: menu.theme.text
    }
    MenuItem {
        objectName: "memberMessage"
        text: qsTr("Message")
        readonly property bool shown: !menu.isSelf
        visible: shown
        height: shown ? implicitHeight : 0
        onTriggered: menu.messageRequested(menu.nick)
    }
    MenuItem {
        objectName: "memberInfo"
        text: qsTr("Info")
        onTriggered: menu.channel.whois(menu.nick)
    }
    MenuSeparator {
        readonly property bool shown: menu.operator
        visible: shown
        height: shown ? implicitHeight : 0
    }
    MenuItem {
        objectName: "memberOp"
        readonly property bool isOp: menu.prefixes.indexOf("@") >= 0
        text: isOp ? qsTr("Take operator (deop)") : qsTr("Make operator (op)")
        readonly property bool shown: menu.operator
        visible: shown
        height: shown ? implicitHeight : 0
        onTriggered: isOp ? menu.channel.deop(menu.nick) : menu.channel.op(menu.nick)
    }
    MenuItem {
        objectName: "memberVoice"
        readonly property bool isVoiced: menu.prefixes.indexOf("+") >= 0
        text: isVoiced ? qsTr("Take voice (devoice)") : qsTr("Give voice")
        readonly property bool shown: menu.operator
        visible: shown
        height: shown ? implicitHeight : 0
        onTriggered: isVoiced ? menu.channel.devoice(menu.nick) : menu.channel.voice(menu.nick)
    }
    MenuItem {
        objectName: "memberKick"
        text: qsTr("Kick…")
        readonly property bool shown: menu.operator && !menu.isSelf
        visible: shown
        height: shown ? implicitHeight : 0
        onTriggered: menu.kickRequested(menu.nick, false)
    }
    MenuItem {
        objectName: "memberBan"
        text: qsTr("Ban and kick…")
        readonly property bool shown: menu.operator && !menu.isSelf
        visible: shown
        height: shown ? implicitHeight : 0
        onTriggered: menu.kickRequested(menu.nick, true)
    }
}
