#pragma once

#include "accounts/sessionauth.h"
#include "labeledresponse.h"
#include "protocol/lineframer.h"
#include "protocol/message.h"
#include "protocol/numeric.h"
#include "sessiongroup.h"
#include "sessionlimits.h"
#include "tokenbucket.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>


namespace tktalk::server {

namespace transport {
class Connection;
}

class Channel;
class Outgoing;
class Server;

/// IRCv3 capabilities tktalk implements; CAP LS advertises exactly these.
enum class Capability : quint32 {
    EchoMessage = 1 << 0,
    ServerTime = 1 << 1,
    UserhostInNames = 1 << 2,
    Sasl = 1 << 3,
    AccountRegistration = 1 << 4,
    AccountNotify = 1 << 5,
    ExtendedJoin = 1 << 6,
    MultiPrefix = 1 << 7,
    InviteNotify = 1 << 8,
    MessageTags = 1 << 9,
    AccountTag = 1 << 10,
    Batch = 1 << 11,
    LabeledResponse = 1 << 12,
    // What users change (away, real name), and news of CAP itself.
    AwayNotify = 1 << 13,
    SetName = 1 << 14,
    CapNotify = 1 << 15,
    StandardReplies = 1 << 16,
    // Read markers, history and what history can take back.
    ReadMarker = 1 << 17,       ///< draft/read-marker
    ChatHistory = 1 << 18,      ///< draft/chathistory
    EventPlayback = 1 << 19,    ///< draft/event-playback
    MessageRedaction = 1 << 20, ///< draft/message-redaction
};
Q_DECLARE_FLAGS(Capabilities, Capability)

/**
 * @brief One client connection: reads and frames its lines, throttles them, dispatches them to the
 * command table, and queues its output with a cap.
 *
 * States: Registering (NICK/USER/CAP/PASS exchange) -> Registered -> Closing (ERROR sent, waiting
 * for the socket to drain or the close timeout). The session deletes itself once its socket is
 * closed, after emitting finished().
 */
class ClientSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Registering, Registered, Closing };

    ClientSession(transport::Connection *connection, Server &server);
    ~ClientSession() override;

    Server &server() const { return m_server; }
    State state() const { return m_state; }
    bool isRegistered() const { return m_state == State::Registered; }

    // Identity
    const QByteArray &nick() const { return m_nick; }
    /// The nick, or "*" before one is set: the first parameter of every numeric reply.
    QByteArray replyTarget() const { return m_nick.isEmpty() ? QByteArrayLiteral("*") : m_nick; }
    const QByteArray &user() const { return m_user; }
    const QByteArray &host() const { return m_host; }
    const QByteArray &realName() const { return m_realName; }
    /// nick!user@host, the source of everything this client says.
    const QByteArray &prefix() const { return m_prefix; }
    const QHostAddress &peerAddress() const { return m_peerAddress; }
    void setNick(QByteArray nick);
    void setUser(QByteArray user, QByteArray realName);
    void setRealName(QByteArray realName) { m_realName = std::move(realName); }
    const QByteArray &password() const { return m_password; }
    void setPassword(QByteArray password) { m_password = std::move(password); }
    const QByteArray &awayMessage() const { return m_away; }
    void setAwayMessage(QByteArray message) { m_away = std::move(message); }
    bool isInvisible() const { return m_invisible; }
    void setInvisible(bool invisible) { m_invisible = invisible; }
    /// User mode +w: receives WALLOPS.
    bool receivesWallops() const { return m_wallops; }
    void setReceivesWallops(bool wallops) { m_wallops = wallops; }
    /// User mode +o: a server operator, through the oper account operAccount().
    bool isOperator() const { return !m_operAccount.isEmpty(); }
    const QByteArray &operAccount() const { return m_operAccount; }
    /// Makes the client a server operator through @p account, or (empty) an ordinary user again;
    /// keeps the registry's count of operators (LUSERS 252).
    void setOperAccount(QByteArray account);
    /// The user modes as RPL_UMODEIS and MODE show them: "+iow", "+".
    QByteArray userModes() const;
    qint64 connectedAtSecs() const { return m_connectedAtSecs; }
    /// Lowercase hex SHA-256 of the client certificate presented in the handshake; empty if none.
    const QByteArray &certificateFingerprint() const { return m_certificateFingerprint; }
    /// Account login and SASL state (commands/accounts.cpp).
    SessionAuth &auth() { return m_auth; }
    const QByteArray &account() const { return m_auth.account; }
    /// account() folded to one case (protocol::foldCase()), kept from the login: what keys on the
    /// account (a private conversation's in history) are made of, without folding per message.
    const QByteArray &foldedAccount() const { return m_foldedAccount; }
    /// Logs the session in to @p account: account() and foldedAccount().
    void setAccount(const QByteArray &account);
    /// privateConversationKeyOfFolded() of foldedAccount() and @p foldedPeer, kept for the last
    /// peer asked: a run of messages to one peer builds the key once, and shares it.
    const QByteArray &privateKeyWith(const QByteArray &foldedPeer) const;
    qint64 idleSecs() const;
    void markActive(); ///< a PRIVMSG or NOTICE was sent: resets the WHOIS idle time

    // Capability negotiation
    Capabilities capabilities() const { return m_caps; }
    /// Whether the session a command runs for negotiated @p cap: this one, or the attached session
    /// whose command the lead runs (SessionGroup::current()).
    bool hasCapability(Capability cap) const { return asking().m_caps.testFlag(cap); }
    void setCapabilities(Capabilities caps);
    void setCapNegotiating(bool negotiating) { m_capNegotiating = negotiating; }
    bool isCapNegotiating() const { return m_capNegotiating; }
    /// The highest CAP LS version the client has sent (0: none); 302 and up implies cap-notify.
    int capVersion() const { return m_capVersion; }
    void setCapVersion(int version) { m_capVersion = qMax(m_capVersion, version); }

    /// This client's budgets for channel creation, joins and nick changes.
    SessionLimits &limits() { return m_limits; }

    // Channels
    const QList<Channel *> &channels() const { return m_channels; }
    bool isIn(const Channel *channel) const { return m_channels.contains(channel); }
    void addChannel(Channel *channel) { m_channels.append(channel); }
    void removeChannel(Channel *channel) { m_channels.removeOne(channel); }

    /// @brief An INVITE this client received and has not used yet.
    struct Invitation
    {
        quint64 channelId; ///< Channel::id(): the channel as it was, not another of the same name
        QByteArray channelName;
    };
    /// Invitations held, oldest first (at most kMaxInvitations: the oldest is dropped).
    const QList<Invitation> &invitations() const { return m_invitations; }
    void addInvitation(quint64 channelId, const QByteArray &channelName);
    bool isInvitedTo(quint64 channelId) const;
    void removeInvitation(quint64 channelId);
    static constexpr qsizetype kMaxInvitations = 50;

    // Several devices, one account: sessions attached to a lead share its user (SessionGroup).
    /// This user's connections: 1, or more when sessions are attached to this lead.
    qsizetype sessionCount() const { return 1 + (m_group ? m_group->attached().size() : 0); }
    /// Makes this session, registering, another session of @p lead's user: it takes the nick and
    /// prefix, counts as no new user, and runs its commands as @p lead from now on.
    void attachTo(ClientSession &lead);
    /// Calls @p visit with this user's sessions: the lead (this), then those attached to it.
    template<typename Visit>
    void forEachSession(Visit visit)
    {
        visit(*this);
        if (Q_UNLIKELY(m_group)) {
            for (ClientSession *session : m_group->attached())
                visit(*session);
        }
    }
    /// The session the running command is for, kept to answer it later (after a password check).
    QPointer<ClientSession> askingSession() { return const_cast<ClientSession *>(&asking()); }
    /// @p asked if it is still one of this user's sessions, else this one: whom a later answer goes to.
    ClientSession &stillAsking(const QPointer<ClientSession> &asked)
    {
        return asked && (asked == this || asked->m_lead == this) ? *asked : *this;
    }
    /**
     * @brief While alive, the lead runs a command for one of its sessions: replies (send,
     * sendNumeric, sendFail) go to that session, and hasCapability() answers for it.
     */
    class Acting
    {
    public:
        Acting(ClientSession &lead, ClientSession &session);
        ~Acting();
        Acting(const Acting &) = delete;
        Acting &operator=(const Acting &) = delete;

    private:
        ClientSession &m_lead;
        ClientSession *m_previous;
    };

    // Output. Nothing here blocks: lines are queued in the socket and written by the event loop.
    /// Delivers @p message to this user: to each of its sessions, with the tags each negotiated.
    void deliver(Outgoing &message);
    /// Delivers to this user's sessions that negotiated @p cap, each deciding for itself.
    void deliverIfCapable(Capability cap, Outgoing &message);
    /// Delivers @p with to this user's sessions that negotiated @p cap, @p without to the others.
    void deliverByCapability(Capability cap, Outgoing &with, Outgoing &without);
    /// What this user said, to its own sessions: the one that said it gets it with echo-message
    /// only; the others (the user's other devices) always.
    void echo(Outgoing &message)
    {
        if (Q_UNLIKELY(m_group))
            echoToSessions(message);
        else if (m_caps.testFlag(Capability::EchoMessage))
            deliverHere(message);
    }
    /// A direct reply: to this session, or while the lead runs a command for another of its
    /// sessions (Acting), to that one.
    void send(const protocol::Message &message);
    /// Sends ":server NNN <nick> params..."; the last parameter is the human-readable text.
    void sendNumeric(protocol::Numeric numeric, QByteArrayList params);
    /// Sends an IRCv3 standard reply: "FAIL <command> <code> [context...] :<description>".
    void sendFail(QByteArray command, QByteArray code, QByteArrayList contextAndDescription);

    /// An already serialised line with CR LF (a history entry replayed with its tags).
    void sendLine(const QByteArray &lineWithCrlf) { writeLine(lineWithCrlf); }
    /// A batch reference ("h1", "h2", ...) unused on this connection.
    QByteArray nextBatchId() { return 'h' + QByteArray::number(++m_batchIds); }

    /**
     * For a command answered later (a history read off the event loop): keeps the command's label
     * aside and stops taking this client's lines until releaseWithReply(), so that replies still
     * come in the order the commands were sent.
     */
    void holdForReply();
    /// Sends what @p write writes as the held command's reply (labelled as it would have been),
    /// then takes this client's lines again.
    void releaseWithReply(const std::function<void()> &write);

    /// Marks registration complete (after the welcome has been sent).
    void setRegistered();
    /**
     * Ends the connection: tells the peers in this client's channels that it quit with @p reason,
     * sends "ERROR :<errorText>" (default: Closing Link) and closes once the output has drained.
     */
    void close(const QByteArray &reason, const QByteArray &errorText = {});
    /// close() for every session of this user (KILL, GHOST, a server ban): the user is gone.
    void closeUser(const QByteArray &reason, const QByteArray &errorText = {});
    /// Ends the connection without a QUIT to anyone: the whole server is stopping.
    void closeForShutdown();
    /// Drops the connection at once, whatever is still queued.
    void abortConnection();

    /// Checks registration and ping timeouts; called by the server's housekeeping timer.
    void checkTimeouts(qint64 nowMs);

    // Used by Registry::forEachPeer to visit each peer once.
    quint64 visitMark() const { return m_visitMark; }
    void setVisitMark(quint64 mark) { m_visitMark = mark; }

Q_SIGNALS:
    /// The connection is gone; the session deletes itself right after.
    void finished(tktalk::server::ClientSession *session);

private:
    /// The session the current command runs for: this one, or the one Acting names.
    const ClientSession &asking() const
    {
        return Q_UNLIKELY(m_group && m_group->current()) ? *m_group->current() : *this;
    }
    /// deliver() to this connection alone, with its own capabilities.
    void deliverHere(Outgoing &message);
    void echoToSessions(Outgoing &message);
    /// Leaves the lead this session is attached to; nobody else notices.
    void detachFromLead();
    /// The lead is leaving while sessions are attached: @p heir, one of them, becomes the user in
    /// its place (nick, channels and status, modes, invitations, budgets, MONITOR list).
    void handOverTo(ClientSession &heir);
    void processInput();
    void scheduleResume(qint64 delayMs);
    void handleLine(const QByteArray &line);
    void writeLine(const QByteArray &lineWithCrlf);
    /// Starts a labeled response for @p message if it carries a label this client may use; false
    /// if the label is refused (the client was told), and the command must not run.
    bool beginLabeledResponse(const protocol::Message &message);
    /// Writes what the labelled command produced, labelled (labeledresponse.h).
    void endLabeledResponse();
    /// Sends "ERROR :<errorText>" after what is queued and closes, cutting the connection if it
    /// does not drain within the close timeout.
    void beginClosing(const QByteArray &errorText);
    /// Leaves every channel and frees the nick; peers see a QUIT unless @p quitReason is null.
    void leaveEverything(const QByteArray &quitReason);
    void onDisconnected();
    /// The end of a connection: the others told (QUIT), the session gone.
    void finishDisconnect();
    /// What a client that closed had sent but not yet had handled (behind a held command, or in the
    /// read that brought the close): handled in order, within flood control but for a QUIT.
    void handleLinesLeft();
    static bool isQuitLine(const QByteArray &line);
    void updatePrefix();

    transport::Connection *m_connection;
    Server &m_server;
    State m_state = State::Registering;
    protocol::LineFramer m_framer;
    TokenBucket m_flood;
    SessionLimits m_limits;
    int m_linesBeforeRegistration = 0;
    quint64 m_linesWritten = 0; ///< lines queued to this client: what its commands cost in replies
    bool m_resumeScheduled = false;
    bool m_finished = false;
    bool m_outputBlocked = false; ///< the send queue overflowed; the close is on its way

    QByteArray m_nick;
    QByteArray m_user;
    QByteArray m_host;
    QByteArray m_realName;
    QByteArray m_prefix;
    QByteArray m_password;
    QByteArray m_away;
    QHostAddress m_peerAddress;
    QByteArray m_certificateFingerprint;
    SessionAuth m_auth;
    QByteArray m_foldedAccount;
    /// privateKeyWith()'s last peer (folded) and key; made on first need, as the session writes
    /// to a peer while history is on.
    struct PrivateKey
    {
        QByteArray foldedPeer;
        QByteArray key;
    };
    mutable std::unique_ptr<PrivateKey> m_lastPrivateKey;
    bool m_invisible = false;
    bool m_wallops = false;
    QByteArray m_operAccount;
    bool m_capNegotiating = false;
    int m_capVersion = 0;
    Capabilities m_caps;
    int m_lineVariant = 0; ///< Outgoing::LineVariant of the tags m_caps asks for
    LabeledResponse m_labeled;
    LabeledResponse m_heldLabel; ///< the label of the command held by holdForReply()
    bool m_holding = false;
    bool m_closedWhileHolding = false; ///< the connection closed while a reply was held
    quint64 m_batchIds = 0;
    QList<Channel *> m_channels;
    QList<Invitation> m_invitations;
    ClientSession *m_lead = nullptr;        ///< set on an attached session
    std::unique_ptr<SessionGroup> m_group; ///< on a lead with attached sessions only

    qint64 m_connectedAtMs;
    qint64 m_connectedAtSecs;
    qint64 m_lastReceivedMs;
    qint64 m_lastSpokeMs;
    qint64 m_pingSentMs = -1; ///< -1: no PING outstanding
    quint64 m_visitMark = 0;
};

} // namespace tktalk::server

Q_DECLARE_OPERATORS_FOR_FLAGS(tktalk::server::Capabilities)
