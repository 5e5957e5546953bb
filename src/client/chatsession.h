#pragma once

#include "casemapping.h"
#include "certificatepins.h"
#include "channeltracker.h"
#include "conversationlist.h"
#include "historyloader.h"
#include "inputhistory.h"
#include "inputparser.h"
#include "notifier.h"
#include "ircconnection.h"
#include "protocol/modes.h"
#include "seenmessages.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSettings>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief The chat as the window sees it: logs in, sorts what the server sends into conversations
 * (ConversationList), turns what the user types into IRC, reconnects after a drop, and asks the user
 * about certificates it cannot verify.
 *
 * QML only binds to the properties and forwards what the user did to the invokables.
 */
class ChatSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// @brief Where the connection is.
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
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
    /// @brief Desktop notifications (and the window's urgency hint) for a private message or a
    /// mention while the window is not active; kept in the settings.
    Q_PROPERTY(bool notificationsEnabled READ notificationsEnabled WRITE setNotificationsEnabled NOTIFY
                   notificationsEnabledChanged)
    /// @brief Set by the window: whether it has the focus.
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)
    /// @brief Every conversation, and which one is shown.
    Q_PROPERTY(tktalk::client::ConversationList *conversations READ conversations CONSTANT)
    /// @brief The current conversation's transcript and members (none but in a channel).
    Q_PROPERTY(tktalk::client::MessageModel *messages READ messages NOTIFY conversationChanged)
    Q_PROPERTY(tktalk::client::UserModel *users READ users NOTIFY conversationChanged)
public:
    enum class State { Disconnected, Connecting, AwaitingTrust, Registering, Connected, Reconnecting, Leaving };
    Q_ENUM(State)
    enum class SendResult { Sent, Nothing, NeedsConfirmation, Rejected };
    Q_ENUM(SendResult)

    static constexpr int kReconnectFirstDelayMs = 1'000;
    static constexpr int kReconnectMaxDelayMs = 30'000;
    static constexpr int kLeaveTimeoutMs = 2'000;
    /// Lines read are reported to the server (MARKREAD) this long after the last one arrived.
    static constexpr int kMarkReadDelayMs = 500;
    static constexpr int kMaxNickAttempts = 5;
    /// RFC 1459's nickname limit, which every server accepts.
    static constexpr int kShortestNickLength = 9;
    /// Pastes with more lines than this ask before sending.
    static constexpr int kConfirmLines = 3;
    static constexpr const char *kDefaultRoom = "#lobby";
    /// The server's shortest password for a new account (WEAK_PASSWORD below it).
    static constexpr int kMinPasswordLength = 8;
    /// Mode changes per MODE line when the server announces no MODES (RFC 1459's three), and when
    /// it announces MODES without a number (no limit: as many as a line holds comfortably).
    static constexpr int kDefaultModesPerLine = 3;
    static constexpr int kUnlimitedModesPerLine = 12;

    explicit ChatSession(QObject *parent = nullptr);
    ~ChatSession() override;

    /// Extra CA certificates (PEM file) to trust besides the system's; returns an error or empty.
    QString setCaFile(const QString &path);
    /// For tests: the first reconnect delay (doubles on each failed attempt).
    void setReconnectDelay(int milliseconds) { m_firstReconnectDelayMs = milliseconds; }
    /// For tests: how long connecting may take before it counts as timed out.
    void setConnectTimeout(int milliseconds) { m_connection.setConnectTimeout(milliseconds); }

    State state() const { return m_state; }
    bool inChat() const { return m_inChat; }
    QString errorText() const { return m_errorText; }
    QString statusText() const;
    QString nick() const { return m_nick; }
    QString account() const { return m_account; }
    QString room() const;
    QString loginHost() const { return m_loginHost; }
    int loginPort() const { return m_loginPort; }
    QString loginNick() const { return m_loginNick; }
    void setLoginHost(const QString &host);
    void setLoginPort(int port);
    void setLoginNick(const QString &nick);
    QVariantMap pendingCertificate() const { return m_pendingCertificate; }
    int unreadCount() const { return m_unread; }
    bool windowActive() const { return m_windowActive; }
    bool notificationsEnabled() const { return m_notificationsEnabled; }
    void setNotificationsEnabled(bool enabled);
    /// Mutes (or unmutes) the conversation at @p row: no notification for it; kept in the settings.
    Q_INVOKABLE void setMuted(int row, bool muted);
    /// Desktop notifications asked for so far, for tests.
    int notificationsSent() const { return m_notifier.sent(); }
    void setWindowActive(bool active);
    ConversationList *conversations() { return &m_conversations; }
    MessageModel *messages() { return m_conversations.current()->messages(); }
    UserModel *users() { return m_conversations.current()->members(); }

    /// Checks the login form; returns what is wrong in a sentence, or empty when it is fine.
    /// An empty @p password means a guest; @p createAccount needs one of kMinPasswordLength characters.
    Q_INVOKABLE QString validateLogin(const QString &host, const QString &port, const QString &nick,
                                      const QString &password = {}, bool createAccount = false) const;
    /// Connects as @p nick. With a @p password it logs in to the account named @p nick (SASL PLAIN), or
    /// creates that account first when @p createAccount; the password stays in memory for reconnects only.
    Q_INVOKABLE void connectToServer(const QString &host, int port, const QString &nick,
                                     const QString &password = {}, bool createAccount = false);
    /// Trusts the pending certificate for this host:port (pins it) and connects again.
    Q_INVOKABLE void trustCertificate();
    Q_INVOKABLE void rejectCertificate();
    /// Sends one input line or a paste: commands, messages (split to fit), several lines one by one.
    Q_INVOKABLE tktalk::client::ChatSession::SendResult send(const QString &text, bool confirmed = false);
    /// QUIT with @p reason, then close; leftChat() follows.
    Q_INVOKABLE void leave(const QString &reason = {});
    Q_INVOKABLE QString historyPrevious(const QString &draft) { return m_history.previous(draft); }
    Q_INVOKABLE QString historyNext() { return m_history.next(); }
    /// Asks the server for the current conversation's lines before the oldest shown (scrolling up).
    Q_INVOKABLE void loadOlder();
    /// Closes the conversation at @p row of conversations(); a channel we are in is left (PART) first.
    Q_INVOKABLE void closeConversation(int row);
    /// Opens (or shows) the private conversation with @p nick, as the member menu's Message does.
    Q_INVOKABLE void openPrivate(const QString &nick);
    /// @p text with its last word completed to a nick in the room (with ": " at the start of a line).
    Q_INVOKABLE QString completeNick(const QString &text) const;

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
    void notificationsEnabledChanged();
    /// Someone spoke to the user while the window was not active: the window asks for attention.
    void attentionRequested();
    /// The session ended because the user left; the window may now close.
    void leftChat();
    /// `.exit`: the user wants the window closed once the session has ended.
    void exitRequested();

private:
    void setState(State state);
    void setError(const QString &text);
    void setNick(const QString &nick);
    /// Emits roomChanged() and targetChanged() when room() and currentTarget() changed.
    void refreshRoom();
    void setInChat(bool inChat);
    void setPendingCertificate(QVariantMap certificate);
    void open();
    void finishLeaving();
    void onEstablished();
    void onFailed(IrcConnection::Failure failure, const QString &reason);
    void onClosed(bool byUs, const QString &reason);
    void onCertificateNeedsTrust(const QSslCertificate &certificate, const QString &reason);
    void onCertificateChanged(const QSslCertificate &certificate, const QByteArray &pinnedDigest);
    void scheduleReconnect(const QString &why);

    void onMessage(const protocol::Message &message);
    void onRegistered(const protocol::Message &message);
    void onIsupport(const protocol::Message &message);
    /// Gives every member list the server's CASEMAPPING and PREFIX.
    void applyUserRules();
    void onNickInUse(const protocol::Message &message);
    void onJoin(const protocol::Message &message);
    void onPart(const protocol::Message &message);
    void onQuit(const protocol::Message &message);
    void onNickChange(const protocol::Message &message);
    void onText(const protocol::Message &message);
    void onNames(const protocol::Message &message);
    void onEndOfNames(const protocol::Message &message);
    void onErrorNumeric(const protocol::Message &message);
    void onBatch(const protocol::Message &message);
    /// MARKREAD <target> timestamp=...|*: how far the user read it, on any device.
    void onReadMarker(const protocol::Message &message);
    /// Whether the user is looking at @p conversation: it is shown, in an active window.
    bool lookedAt(const Conversation *conversation) const;
    /// Tells the server, shortly, that the shown conversation is read up to its newest line.
    void scheduleMarkRead();
    void markCurrentRead();
    /// Another conversation is shown: the one left gets its "new messages" mark moved on.
    void onCurrentConversationChanged();
    /// A private message or a mention in @p conversation while the window is not active.
    void notifyUser(const Conversation &conversation, const QString &sender, const QString &text);
    /// The settings key of @p conversation's mute.
    QString muteKey(const QString &name) const;
    /// A conversation just opened: muted if the user muted it before.
    void applyMute(Conversation &conversation);
    /// Whether @p conversation is the private one with @p nick.
    bool isPrivateWith(const Conversation &conversation, const QString &nick) const;
    /// The private conversation with @p nick, opened (and its history asked for) when there is none.
    Conversation *privateConversation(const QString &nick);
    /// Whether @p entry, a line of the user's own from the server's history, is already shown as
    /// typed (without a msgid).
    static bool shownAsTyped(const MessageModel &messages, const MessageModel::Entry &entry);

    // Running rooms (chatsessionchannel.cpp).
    void onMode(const protocol::Message &message);
    void onKick(const protocol::Message &message);
    void onTopic(const protocol::Message &message);
    void onInvite(const protocol::Message &message);
    /// 324 (a room's modes), 341 (an invitation sent), 367 (a ban) shown as system lines.
    void onChannelReply(const protocol::Message &message);
    /// A room this client is no longer in (PART, KICK): kept, with its transcript, as not joined.
    void leftRoom(const QString &room);
    /// The conversation of channel @p room, opened when there is none, with the server's rules.
    Conversation *channel(const QString &room);
    /// The joined channel @p room's conversation, or nullptr when we are not in it.
    Conversation *joinedChannel(const QString &room) const;
    QStringList joinedRooms() const;
    /// The conversation of @p room when there is one, else the server's: where a line about it goes.
    Conversation *conversationFor(const QString &room);

    // Accounts (chatsessionaccount.cpp).
    void onCap(const protocol::Message &message);
    void onAccountMessage(const protocol::Message &message);
    void onRegisterReply(const protocol::Message &message);
    void setAccount(const QString &account);
    /// Ends an attempt whose login failed: no silent fallback to a guest.
    void failLogin(const QString &why);

    SendResult execute(const InputCommand &command);
    void sendText(const QString &target, const QString &text, bool action);
    /// Where plain text goes: the current channel, or the person of the current private conversation.
    QString currentTarget() const;
    qsizetype maxTextBytes(const QString &target) const;
    /// A line of the client's own in the current conversation.
    void system(const QString &text, MessageModel::Kind kind = MessageModel::Kind::System);
    /// A line about the connection or the login, in the server's conversation.
    void serverLine(const QString &text, MessageModel::Kind kind = MessageModel::Kind::System);
    void countUnread();
    /// Whether @p text names the user (their nick as a word, in any case).
    bool mentionsSelf(const QString &text) const;
    bool isSelf(const QString &nick) const;

    QSettings m_settings;
    CertificatePins m_pins;
    IrcConnection m_connection;
    ConversationList m_conversations;
    InputHistory m_history;
    HistoryLoader m_historyLoader{m_connection};
    ChannelTracker m_channels{m_connection, m_conversations}; ///< topics, modes, bans, away
    QTimer m_reconnectTimer;
    QTimer m_leaveTimer;
    QTimer m_markReadTimer;
    QPointer<Conversation> m_shown; ///< the current conversation, as last seen
    Notifier m_notifier;
    bool m_notificationsEnabled = true;
    bool m_readMarkers = false;     ///< the server acknowledged draft/read-marker

    State m_state = State::Disconnected;
    bool m_inChat = false;
    bool m_registered = false;
    bool m_exitAfterLeave = false;
    QString m_errorText;
    QString m_host;
    quint16 m_port = 0;
    QString m_wantedNick;
    QString m_nick;
    QString m_room;   ///< room() as last announced
    QString m_target; ///< currentTarget() as last announced
    QString m_account;
    QString m_password; ///< memory only: never logged, shown or saved
    bool m_createAccount = false;
    QSet<QByteArray> m_serverCaps; ///< names from CAP LS, collected over continuation lines
    SeenMessages m_seen;           ///< not to show a played-back line twice
    QDateTime m_connectionLostAt;  ///< when the connection last dropped (UTC); invalid before
    QStringList m_rejoinRooms;
    QHash<QString, QStringList> m_pendingNames; ///< by folded room: NAMES replies until 366
    bool m_whoRequested = false;
    QString m_joinRequested; ///< the folded room the user asked to join: shown when joined
    int m_nickAttempts = 0;
    int m_reconnectAttempt = 0;
    int m_firstReconnectDelayMs = kReconnectFirstDelayMs;
    QString m_loginHost;
    int m_loginPort = 6697;
    QString m_loginNick;
    QVariantMap m_pendingCertificate;
    QSslCertificate m_pendingCertificateObject;
    protocol::Casemapping m_caseMapping = protocol::Casemapping::Rfc1459;
    QString m_prefixSymbols = QStringLiteral("@+"); ///< the server's PREFIX symbols, highest first
    int m_nickLength = 30; ///< the server's NICKLEN once known
    int m_maxModesPerLine = kDefaultModesPerLine; ///< the server's MODES
    /// How the server's MODE lines are read: its CHANMODES and PREFIX, RFC 2812's until announced.
    protocol::ChannelModeSyntax m_modeSyntax;
    int m_unread = 0;
    bool m_windowActive = true;
};

} // namespace tktalk::client
