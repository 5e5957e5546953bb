import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import TkTalk.Client

// Trust on first use, and the warning when a trusted server's certificate changed.
Popup {
    id: dialog

    required property ChatSession session
    required property Theme theme
    readonly property var certificate: session.pendingCertificate
    readonly property bool changed: certificate.changed === true

    // 32 bytes as "AB:CD:..." are 95 characters: two lines of 16 bytes read and compare better.
    function twoLines(fingerprint) {
        return fingerprint === undefined ? "" : fingerprint.substring(0, 47) + "\n" + fingerprint.substring(48)
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 40, dialog.theme.em * 40)
    modal: true
    focus: true
    padding: 24
    closePolicy: Popup.NoAutoClose
    visible: certificate.fingerprint !== undefined

    onOpened: (changed ? cancelButton : trustButton).forceActiveFocus()

    background: Rectangle {
        color: dialog.theme.base
        radius: 10
        border.color: dialog.changed ? dialog.theme.bad : dialog.theme.divider
        border.width: dialog.changed ? 2 : 1
    }

    contentItem: ColumnLayout {
        spacing: 12

        Keys.onEscapePressed: dialog.session.rejectCertificate()

        Label {
            objectName: "certificateTitle"
            Layout.fillWidth: true
            text: dialog.changed ? qsTr("Warning: the server's certificate has changed")
                                 : qsTr("Do you trust this server?")
            font.pointSize: dialog.theme.headingFontSize
            font.bold: true
            color: dialog.changed ? dialog.theme.bad : dialog.theme.text
            wrapMode: Text.Wrap
        }

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: dialog.changed
                  ? qsTr("%1 presented a different certificate from the one you trusted before. This happens "
                         + "when the operator replaced it (a reinstalled server, a new certificate), but it "
                         + "is also what an attacker intercepting the connection would show. Do not continue "
                         + "unless the operator confirms the new fingerprint.").arg(dialog.certificate.host)
                  : qsTr("%1 presented a certificate that no trusted authority vouches for. A tktalk "
                         + "server makes such a certificate on its first start. Compare the fingerprint below "
                         + "with the one the server's operator gave you; if they match, trust it once and "
                         + "tktalk will remember it for this server.").arg(dialog.certificate.host)
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: 14
            rowSpacing: 6

            Label {
                visible: dialog.changed
                text: qsTr("Trusted before")
                color: dialog.theme.dimText
            }
            TextEdit {
                objectName: "pinnedFingerprint"
                visible: dialog.changed
                Layout.fillWidth: true
                text: dialog.twoLines(dialog.certificate.pinnedFingerprint)
                readOnly: true
                selectByMouse: true
                wrapMode: Text.NoWrap
                font.family: "monospace"
                font.pointSize: dialog.theme.fontSize
                color: dialog.theme.text
            }
            Label {
                text: dialog.changed ? qsTr("Presented now") : qsTr("SHA-256")
                color: dialog.theme.dimText
            }
            TextEdit {
                objectName: "fingerprint"
                Layout.fillWidth: true
                text: dialog.twoLines(dialog.certificate.fingerprint)
                readOnly: true
                selectByMouse: true
                wrapMode: Text.NoWrap
                font.family: "monospace"
                font.pointSize: dialog.theme.fontSize
                font.bold: true
                color: dialog.changed ? dialog.theme.bad : dialog.theme.text
            }
            Label {
                text: qsTr("Subject")
                color: dialog.theme.dimText
            }
            Label {
                Layout.fillWidth: true
                text: dialog.certificate.subject ?? ""
                wrapMode: Text.WrapAnywhere
            }
            Label {
                text: qsTr("Issuer")
                color: dialog.theme.dimText
            }
            Label {
                Layout.fillWidth: true
                text: dialog.certificate.issuer ?? ""
                wrapMode: Text.WrapAnywhere
            }
            Label {
                visible: !dialog.changed
                text: qsTr("Problem")
                color: dialog.theme.dimText
            }
            Label {
                visible: !dialog.changed
                Layout.fillWidth: true
                text: dialog.certificate.reason ?? ""
                wrapMode: Text.Wrap
            }
            Label {
                text: qsTr("Expires")
                color: dialog.theme.dimText
            }
            Label {
                Layout.fillWidth: true
                text: dialog.certificate.expires ?? ""
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 6
            spacing: 10
            Item {
                Layout.fillWidth: true
            }
            Button {
                id: cancelButton
                objectName: "rejectButton"
                text: qsTr("Cancel")
                onClicked: dialog.session.rejectCertificate()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
            Button {
                id: trustButton
                objectName: "trustButton"
                text: dialog.changed ? qsTr("Trust the new certificate") : qsTr("Trust and connect")
                highlighted: !dialog.changed
                onClicked: dialog.session.trustCertificate()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
        }
    }
}
