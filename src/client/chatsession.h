#pragma once

#include "attention.h"
#include "channeldirectory.h"
#include "channeltracker.h"
#include "clientsettings.h"
#include "commandrunner.h"
#include "conversationlist.h"
#include "inputhistory.h"
#include "membershiptracker.h"
#include "messagerouter.h"
#include "networkstate.h"
#include "passwordchange.h"
#include "readtracker.h"
#include "serverlink.h"
#include "typingtracker.h"

#include <QObject>
#include <QSettings>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief The chat as the window sees it: one object for QML to bind to, made of parts that each do
 * one job. ServerLink connects, logs in and reconnects; NetworkState knows the server's rules and
 * who the user is; MembershipTracker and MessageRouter sort what the server sends into the
 * conversations (ConversationList); ReadTracker and Attention keep track of what was read and tell
 * the user about what was not; CommandRunner turns what the user types into IRC.
 *
 * QML only binds to the properties and forwards what the user did to the invokables.
 */
class ChatSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// @brief Where the connection is.
    Q_PROPERTY(tktalk::client::ServerLink::State state READ state NOTIFY stateChanged)
    /// @brief True from the first successful login until the user leaves: the chat screen is shown.
    Q_PROPERTY(bool inChat READ inChat NOTIFY inChatChanged)
    /// @brief Why the last login attempt failed, in plain words; empty when it did not.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    /// @brief One line describing the connection for the status bar.
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)
    /// @brief The nickname in use (after login), or the one asked for.
    Q_PROPERTY(QString nick READ nick NOTIFY nickChanged)
    /// @brief The account the server says we are logged in as; empty for a guest.
    Q_PROPERTY(QString account READ account NOTIFY accountChanged)
    /// @brief The current conversation's channel while we are in it; empty otherwise.
    Q_PROPERTY(QString room READ room NOTIFY roomChanged)
    /// @brief Where plain text goes: room(), or the person of the current private conversation.
    Q_PROPERTY(QString target READ currentTarget NOTIFY targetChanged)
    /// @brief Login form prefill: from --connect/--nick or the last successful login.
    Q_PROPERTY(QString loginHost READ loginHost WRITE setLoginHost NOTIFY loginChanged)
    Q_PROPERTY(int loginPort READ loginPort WRITE setLoginPort NOTIFY loginChanged)
    Q_PROPERTY(QString loginNick READ loginNick WRITE setLoginNick NOTIFY loginChanged)
    /// @brief The certificate waiting for a decision: fingerprint, subject, issuer, reason, host,
    /// and pinnedFingerprint when it replaces a pinned one (changed: true). Empty when none.
    Q_PROPERTY(QVariantMap pendingCertificate READ pendingCertificate NOTIFY pendingCertificateChanged)
    /// @brief Messages that arrived while the window was not active.
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
    /// @brief The user's choices: theme, text size, timestamps, notifications, typing indicators.
    Q_PROPERTY(tktalk::client::ClientSettings *settings READ settings CONSTANT)
    /// @brief Set by the window: whether it has the focus.
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)
    /// @brief Every conversation, and which one is shown.
    Q_PROPERTY(tktalk::client::ConversationList *conversations READ conversations CONSTANT)
    /// @brief The current conversation's transcript and members (none but in a channel).
    Q_PROPERTY(tktalk::client::MessageModel *messages READ messages NOTIFY conversationChanged)
    Q_PROPERTY(tktalk::client::UserModel *users READ users NOTIFY conversationChanged)
    /// @brief The server's channels (LIST), for the "join or create a channel" dialog.
    Q_PROPERTY(tktalk::client::ChannelDirectory *channelDirectory READ channelDirectory CONSTANT)
    /// @brief Changing the account's password (NickServ SET PASSWORD).
    Q_PROPERTY(tktalk::client::PasswordChange *passwordChange READ passwordChange CONSTANT)
public:
    using State = ServerLink::State;
    enum class SendResult { Sent, Nothing, NeedsConfirmation, Rejected };
    Q_ENUM(SendResult)

    /// Pastes with more lines than this ask before sending.
    static constexpr int kConfirmLines = 3;
    /// The server's shortest password for a new account (WEAK_PASSWORD below it).
    static constexpr int kMinPasswordLength = 8;

    explicit ChatSession(QObject *parent = nullptr);

    /// Extra CA certificates (PEM file) to trust besides the system's; returns an error or empty.
    QString setCaFile(const QString &path) { return m_link.setCaFile(path); }
    /// For tests: the first reconnect delay (doubles on each failed attempt).
    void setReconnectDelay(int milliseconds) { m_link.setReconnectDelay(milliseconds); }
    /// For tests: how long connecting may take before it counts as timed out.
    void setConnectTimeout(int milliseconds) { m_link.setConnectTimeout(milliseconds); }

    State state() const { return m_link.state(); }
    bool inChat() const { return m_link.inChat(); }
    QString errorText() const { return m_link.errorText(); }
    QString statusText() const { return m_link.statusText(); }
    QString nick() const { return m_network.nick(); }
    QString account() const { return m_network.account(); }
    QString room() const { return m_membership.currentRoom(); }
    QString currentTarget() const { return m_commands.currentTarget(); }
    QString loginHost() const { return m_loginHost; }
    int loginPort() const { return m_loginPort; }
    QString loginNick() const { return m_loginNick; }
    void setLoginHost(const QString &host);
    void setLoginPort(int port);
    void setLoginNick(const QString &nick);
    QVariantMap pendingCertificate() const { return m_link.pendingCertificate(); }
    int unreadCount() const { return m_attention.unreadCount(); }
    bool windowActive() const { return m_attention.windowActive(); }
    void setWindowActive(bool active);
    ClientSettings *settings() { return &m_clientSettings; }
    /// Mutes (or unmutes) the conversation at @p row: no notification for it; kept in the settings.
    Q_INVOKABLE void setMuted(int row, bool muted) { m_attention.setMuted(row, muted); }
    /// The input's text changed: typing is told to the conversation's people (see TypingTracker).
    Q_INVOKABLE void setDraft(const QString &text) { m_typing.onDraftChanged(currentTarget(), text); }
    /// Desktop notifications asked for so far, for tests.
    int notificationsSent() const { return m_attention.notificationsSent(); }
    ConversationList *conversations() { return &m_conversations; }
    MessageModel *messages() { return m_conversations.current()->messages(); }
    UserModel *users() { return m_conversations.current()->members(); }
    ChannelDirectory *channelDirectory() { return &m_channelDirectory; }
    PasswordChange *passwordChange() { return &m_passwordChange; }

    /// Checks the login form; returns what is wrong in a sentence, or empty when it is fine.
    /// An empty @p password means a guest; @p createAccount needs one of kMinPasswordLength characters;
    /// @p account (optional) follows the nickname rules and needs a password.
    Q_INVOKABLE QString validateLogin(const QString &host, const QString &port, const QString &nick,
                                      const QString &password = {}, bool createAccount = false,
                                      const QString &account = {}, const QString &serverPassword = {}) const;
    /// Connects as @p nick. With a @p password it logs in to @p account, or to the account named @p nick
    /// when that is empty (SASL PLAIN), or creates that account first when @p createAccount. A
    /// @p serverPassword is sent with PASS. The passwords stay in memory for reconnects only.
    Q_INVOKABLE void connectToServer(const QString &host, int port, const QString &nick,
                                     const QString &password = {}, bool createAccount = false,
                                     const QString &account = {}, const QString &serverPassword = {});
    /// Trusts the pending certificate for this host:port (pins it) and connects again.
    Q_INVOKABLE void trustCertificate() { m_link.trustCertificate(); }
    Q_INVOKABLE void rejectCertificate() { m_link.rejectCertificate(); }
    /// Sends one input line or a paste: commands, messages (split to fit), several lines one by one.
    Q_INVOKABLE tktalk::client::ChatSession::SendResult send(const QString &text, bool confirmed = false);
    /// QUIT with @p reason, then close; leftChat() follows.
    Q_INVOKABLE void leave(const QString &reason = {}) { m_link.leave(reason); }
    Q_INVOKABLE QString historyPrevious(const QString &draft) { return m_history.previous(draft); }
    Q_INVOKABLE QString historyNext() { return m_history.next(); }
    /// Asks the server for the current conversation's lines before the oldest shown (scrolling up).
    Q_INVOKABLE void loadOlder();
    /// Closes the conversation at @p row of conversations(); a channel we are in is left (PART) first.
    Q_INVOKABLE void closeConversation(int row);
    /// Opens (or shows) the private conversation with @p nick, as the member menu's Message does.
    Q_INVOKABLE void openPrivate(const QString &nick);
    /// @p text with its last word completed to a nick in the room (with ": " at the start of a line).
    Q_INVOKABLE QString completeNick(const QString &text) const { return m_commands.completeNick(text); }

Q_SIGNALS:
    void stateChanged();
    void inChatChanged();
    void errorTextChanged();
    void statusTextChanged();
    void nickChanged();
    void roomChanged();
    void conversationChanged();
    void targetChanged();
    void accountChanged();
    void loginChanged();
    void pendingCertificateChanged();
    void unreadCountChanged();
    void windowActiveChanged();
    /// Someone spoke to the user while the window was not active: the window asks for attention.
    void attentionRequested();
    /// The session ended because the user left; the window may now close.
    void leftChat();
    /// `.exit`: the user wants the window closed once the session has ended.
    void exitRequested();

private:
    /// Passes a line from the server to the part whose job it is.
    void dispatch(const protocol::Message &message);
    void onRegistered(bool reconnected);
    /// Emits roomChanged() and targetChanged() when room() and currentTarget() changed.
    void refreshRoom();
    void forwardSignals();

    QSettings m_settings;
    ClientSettings m_clientSettings{m_settings, this};
    NetworkState m_network;
    ConversationList m_conversations;
    ServerLink m_link;
    MembershipTracker m_membership;
    MessageRouter m_router;
    ReadTracker m_reads;
    Attention m_attention;
    CommandRunner m_commands;
    TypingTracker m_typing;
    ChannelDirectory m_channelDirectory;
    ChannelTracker m_channels{m_link.connection(), m_network, m_conversations}; ///< topics, modes, bans, away
    PasswordChange m_passwordChange;
    InputHistory m_history;
    QString m_room;   ///< room() as last announced
    QString m_target; ///< currentTarget() as last announced
    QString m_loginHost;
    int m_loginPort = 6697;
    QString m_loginNick;
};

} // namespace tktalk::client
