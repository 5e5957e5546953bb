#include "clientsession.h"

#include "channel.h"
#include "commandtable.h"
#include "history/historyentry.h"
#include "logging.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "registry.h"
#include "server.h"
#include "transport/connection.h"

#include <QDateTime>
#include <QTimer>

namespace tktalk::server {

using protocol::LineFramer;
using protocol::Message;
using protocol::MessageError;
using protocol::Numeric;

namespace {

/// Read from the connection in chunks this big: one TLS record.
constexpr qint64 kReadChunkBytes = 16 * 1024;
/// Lines handled for one client before yielding to the event loop: one busy client cannot hog the
/// server, and what its lines produced is flushed to the other clients before it sends more.
constexpr int kMaxLinesPerTurn = 32;
/// IRCv3 message-tags: the most tag data (between '@' and the space) a client may send.
constexpr qsizetype kMaxClientTagDataBytes = 4094;
/// The longest a throttled client's input waits before its bucket is looked at again.
constexpr qint64 kMaxResumeDelayMs = 60'000;

/// What an attached session does as a connection of its own rather than as its user: capability
/// negotiation, keep-alive, and QUIT, which ends that session alone.
bool isPerConnection(const QByteArray &command)
{
    for (const char *name : {"CAP", "PING", "PONG", "QUIT"}) {
        if (command.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

/// "ERROR :<text>", the last line a closing connection sends.
QByteArray errorLine(const QByteArray &text)
{
    return "ERROR :" + text + "\r\n";
}

QByteArray hostFor(const QHostAddress &address)
{
    QHostAddress plain = address;
    bool isMappedV4 = false;
    const quint32 v4 = address.toIPv4Address(&isMappedV4);
    if (isMappedV4)
        plain = QHostAddress(v4);
    QByteArray host = plain.toString().toLatin1();
    // "::1" would read as a parameter boundary in "nick!user@::1"; IRC servers write "0::1".
    if (host.startsWith(':'))
        host.prepend('0');
    return host;
}

} // namespace

ClientSession::ClientSession(transport::Connection *connection, Server &server)
    : m_connection(connection)
    , m_server(server)
    , m_flood(server.config().floodLinesPerSecond, server.config().floodBurstLines, server.nowMs())
    , m_limits(server.config(), server.nowMs())
    , m_peerAddress(connection->peerAddress())
    , m_connectedAtMs(server.nowMs())
    , m_connectedAtSecs(QDateTime::currentSecsSinceEpoch())
    , m_lastReceivedMs(m_connectedAtMs)
    , m_lastSpokeMs(m_connectedAtMs)
{
    m_connection->setParent(this);
    m_host = hostFor(m_peerAddress);
    m_certificateFingerprint = m_connection->peerCertificateSha256();
    connect(m_connection, &transport::Connection::readyRead, this, &ClientSession::processInput);
    connect(m_connection, &transport::Connection::disconnected, this, &ClientSession::onDisconnected);
    // Input that arrived together with the end of the handshake may be buffered already.
    QMetaObject::invokeMethod(this, &ClientSession::processInput, Qt::QueuedConnection);
}

ClientSession::~ClientSession() = default;

qint64 ClientSession::idleSecs() const
{
    return (m_server.nowMs() - m_lastSpokeMs) / 1000;
}

void ClientSession::markActive()
{
    m_lastSpokeMs = m_server.nowMs();
}

void ClientSession::setNick(QByteArray nick)
{
    m_nick = std::move(nick);
    updatePrefix();
    if (Q_UNLIKELY(m_group)) {
        for (ClientSession *session : m_group->attached()) {
            session->m_nick = m_nick;
            session->m_prefix = m_prefix;
        }
    }
}

void ClientSession::setUser(QByteArray user, QByteArray realName)
{
    m_user = std::move(user);
    m_realName = std::move(realName);
    updatePrefix();
}

QByteArray ClientSession::userModes() const
{
    QByteArray modes("+");
    if (m_invisible)
        modes += 'i';
    if (isOperator())
        modes += 'o';
    if (m_wallops)
        modes += 'w';
    return modes;
}

void ClientSession::updatePrefix()
{
    m_prefix = m_nick + '!' + m_user + '@' + m_host;
}

void ClientSession::addInvitation(quint64 channelId, const QByteArray &channelName)
{
    removeInvitation(channelId);
    if (m_invitations.size() >= kMaxInvitations)
        m_invitations.removeFirst();
    m_invitations.append(Invitation{channelId, channelName});
}

bool ClientSession::isInvitedTo(quint64 channelId) const
{
    return std::any_of(m_invitations.cbegin(), m_invitations.cend(),
                       [channelId](const Invitation &invitation) { return invitation.channelId == channelId; });
}

void ClientSession::removeInvitation(quint64 channelId)
{
    m_invitations.removeIf([channelId](const Invitation &invitation) { return invitation.channelId == channelId; });
}

void ClientSession::setCapabilities(Capabilities caps)
{
    m_caps = caps;
    m_lineVariant = (caps.testFlag(Capability::ServerTime) ? Outgoing::WithTime : 0)
                    | (caps.testFlag(Capability::MessageTags) ? Outgoing::WithMessageTags : 0)
                    | (caps.testFlag(Capability::AccountTag) ? Outgoing::WithAccount : 0);
}

void ClientSession::attachTo(ClientSession &lead)
{
    Registry &registry = m_server.registry();
    registry.releaseNick(this, m_nick);
    m_lead = &lead;
    if (!lead.m_group)
        lead.m_group = std::make_unique<SessionGroup>();
    lead.m_group->add(this);
    m_nick = lead.m_nick;
    m_prefix = lead.m_prefix;
    m_state = State::Registered;
    registry.countAttachment();
}

ClientSession::Acting::Acting(ClientSession &lead, ClientSession &session)
    : m_lead(lead)
    , m_previous(lead.m_group ? lead.m_group->current() : nullptr)
{
    if (lead.m_group)
        lead.m_group->setCurrent(&session);
}

ClientSession::Acting::~Acting()
{
    // The group may have gone meanwhile (its sessions closed, or the lead handed over).
    if (m_lead.m_group)
        m_lead.m_group->setCurrent(m_previous);
}

void ClientSession::setRegistered()
{
    m_state = State::Registered;
    m_server.registry().countRegistration();
}

// ---- input ----------------------------------------------------------------------------------

void ClientSession::processInput()
{
    for (int handled = 0; m_state != State::Closing && !m_holding; ++handled) {
        if (!m_framer.hasCompleteLine()) {
            if (m_framer.bufferedBytes() > m_framer.maxUnfinishedBytes()) {
                close("Input line too long", "Closing Link: " + m_host + " (Input line too long, no end of line)");
                return;
            }
            char chunk[kReadChunkBytes];
            const qint64 received = m_connection->read(chunk, kReadChunkBytes);
            if (received <= 0)
                return; // drained: the connection says readyRead when there is more
            m_framer.append(QByteArrayView(chunk, received));
            m_lastReceivedMs = m_server.nowMs();
            m_pingSentMs = -1; // any traffic proves the peer alive
            continue;
        }
        if (handled >= kMaxLinesPerTurn) {
            scheduleResume(0);
            return;
        }
        // Take a token before taking the line: a throttled line stays buffered, in order.
        const qint64 now = m_server.nowMs();
        if (!m_flood.tryTake(now)) {
            scheduleResume(m_flood.msUntilAvailable(now));
            return;
        }
        QByteArray line;
        const quint64 writtenBefore = m_linesWritten;
        if (m_framer.next(line) == LineFramer::Status::TooLong)
            sendNumeric(Numeric::ERR_INPUTTOOLONG, {"Input line was too long"});
        else
            handleLine(line);
        // A command whose reply is long (WHO, LIST, NAMES) costs its sender more than one line,
        // so that asking for big replies again and again is throttled like a flood.
        if (const int perToken = m_server.config().floodReplyLinesPerToken; perToken > 0)
            m_flood.charge(double((m_linesWritten - writtenBefore) / quint64(perToken)), now);
    }
}

void ClientSession::scheduleResume(qint64 delayMs)
{
    if (m_resumeScheduled)
        return;
    m_resumeScheduled = true;
    // Looked at again after a minute at most: a very slow rate (or a deep debt) means a delay
    // that does not fit the timer's int.
    QTimer::singleShot(int(std::min<qint64>(delayMs, kMaxResumeDelayMs)), this, [this] {
        m_resumeScheduled = false;
        processInput();
    });
}

void ClientSession::handleLine(const QByteArray &line)
{
    // Registration takes a dozen lines (CAP, SASL in chunks, NICK retries); a connection that
    // sends many more without registering is not trying to.
    if (m_state == State::Registering && ++m_linesBeforeRegistration > m_server.config().maxLinesBeforeRegistration) {
        close("Too many lines before registration", "Closing Link: " + m_host + " (Too many lines before registration: "
                                                        + QByteArray::number(m_server.config().maxLinesBeforeRegistration)
                                                        + " allowed)");
        return;
    }
    if (line.startsWith('@')) {
        const qsizetype tagEnd = line.indexOf(' ');
        if ((tagEnd < 0 ? line.size() : tagEnd) - 1 > kMaxClientTagDataBytes) {
            sendNumeric(Numeric::ERR_INPUTTOOLONG, {"Input line was too long"});
            return;
        }
    }
    MessageError error = MessageError::None;
    const std::optional<Message> message = Message::parse(line, &error);
    if (!message) {
        switch (error) {
        case MessageError::Empty:
            return; // RFC 1459: empty messages are silently ignored
        case MessageError::BadCommand: {
            QByteArray word = line.trimmed();
            if (word.startsWith('@') || word.startsWith(':'))
                word = word.mid(word.indexOf(' ') + 1).trimmed();
            word = word.left(word.indexOf(' ')).left(32);
            if (!protocol::isValidUtf8(word) || word.isEmpty())
                word = "*";
            sendNumeric(Numeric::ERR_UNKNOWNCOMMAND, {word, "Unknown command"});
            return;
        }
        case MessageError::ForbiddenCharacter:
            sendNumeric(Numeric::ERR_UNKNOWNERROR,
                        {"*", "Line rejected: it contains a NUL byte or a CR that does not end the line"});
            return;
        case MessageError::BadTags:
        case MessageError::BadParameter:
        case MessageError::None:
            sendNumeric(Numeric::ERR_UNKNOWNERROR, {"*", "Line rejected: malformed message tags"});
            return;
        }
    }
    if (!message->tags.isEmpty() && !beginLabeledResponse(*message))
        return;
    if (!protocol::isValidUtf8(line)) {
        sendFail(message->command, "INVALID_UTF8",
                 {"Line rejected: it is not valid UTF-8, and this server (UTF8ONLY) relays only UTF-8"});
    } else if (m_lead && !isPerConnection(message->command)) {
        // An attached session's commands act on its user, the lead; replies come back here.
        ClientSession &lead = *m_lead;
        Acting acting(lead, *this);
        dispatchCommand(lead, *message);
    } else {
        dispatchCommand(*this, *message);
    }
    if (m_labeled.isActive())
        endLabeledResponse();
}

bool ClientSession::beginLabeledResponse(const Message &message)
{
    // labeled-response depends on batch: without both, a label is a tag like any other.
    if (!hasCapability(Capability::LabeledResponse) || !hasCapability(Capability::Batch))
        return true;
    std::optional<QByteArray> label = message.tag("label");
    if (!label)
        return true;
    if (label->isEmpty() || label->size() > LabeledResponse::kMaxLabelBytes) {
        sendFail(message.command, "INVALID_LABEL",
                 {"Command not run: a label has 1 to " + QByteArray::number(LabeledResponse::kMaxLabelBytes)
                  + " bytes"});
        return false;
    }
    m_labeled.begin(std::move(*label));
    return true;
}

void ClientSession::holdForReply()
{
    m_holding = true;
    m_heldLabel = std::exchange(m_labeled, LabeledResponse{});
}

void ClientSession::releaseWithReply(const std::function<void()> &write)
{
    m_labeled = std::exchange(m_heldLabel, LabeledResponse{});
    m_holding = false;
    write();
    if (m_labeled.isActive())
        endLabeledResponse();
    if (m_closedWhileHolding) {
        handleLinesLeft();
        if (!m_holding) // another held command: the next release ends it
            finishDisconnect();
        return;
    }
    scheduleResume(0);
}

void ClientSession::endLabeledResponse()
{
    const QByteArrayList lines = m_labeled.finish(m_server.name());
    for (const QByteArray &line : lines)
        writeLine(line);
}

// ---- output ---------------------------------------------------------------------------------

void ClientSession::deliver(Outgoing &message)
{
    deliverHere(message);
    if (Q_UNLIKELY(m_group)) {
        for (ClientSession *session : m_group->attached())
            session->deliverHere(message);
    }
}

void ClientSession::deliverHere(Outgoing &message)
{
    if (message.isForMessageTagsOnly() && !m_caps.testFlag(Capability::MessageTags))
        return;
    writeLine(message.line(m_lineVariant, m_server.messageIds()));
}

void ClientSession::deliverIfCapable(Capability cap, Outgoing &message)
{
    forEachSession([&](ClientSession &session) {
        if (session.m_caps.testFlag(cap))
            session.deliverHere(message);
    });
}

void ClientSession::deliverByCapability(Capability cap, Outgoing &with, Outgoing &without)
{
    forEachSession([&](ClientSession &session) { session.deliverHere(session.m_caps.testFlag(cap) ? with : without); });
}

void ClientSession::echoToSessions(Outgoing &message)
{
    const ClientSession *sender = &asking();
    forEachSession([&](ClientSession &session) {
        if (&session != sender || session.m_caps.testFlag(Capability::EchoMessage))
            session.deliverHere(message);
    });
}

void ClientSession::send(const Message &message)
{
    if (Q_UNLIKELY(m_group && m_group->current() && m_group->current() != this)) {
        m_group->current()->send(message);
        return;
    }
    QByteArray line = message.wireLine();
    const qsizetype tagBytes = message.tags.isEmpty() ? 0 : line.indexOf(' ') + 1;
    if (line.isEmpty() || line.size() - tagBytes > protocol::kMaxLineBytes) {
        // A reply that echoes what a client sent (an unknown command, a target with a space in
        // it, a long nick) is made to fit the wire: neither dropped nor sent over the limit.
        Message fitted = message;
        protocol::makeMiddleParamsValid(fitted);
        line = protocol::shortenToFit(fitted) ? fitted.wireLine() : QByteArray();
    }
    if (line.isEmpty()) {
        qCWarning(lcServer) << "Dropped an unserialisable reply" << message.command;
        return;
    }
    writeLine(line);
}

void ClientSession::sendNumeric(Numeric numeric, QByteArrayList params)
{
    params.prepend(replyTarget());
    send(Message(QByteArray::number(int(numeric)).rightJustified(3, '0'), std::move(params), m_server.name()));
}

void ClientSession::sendFail(QByteArray command, QByteArray code, QByteArrayList contextAndDescription)
{
    contextAndDescription.prepend(std::move(code));
    contextAndDescription.prepend(std::move(command));
    send(Message("FAIL", std::move(contextAndDescription), m_server.name()));
}

void ClientSession::writeLine(const QByteArray &lineWithCrlf)
{
    if (m_outputBlocked || m_state == State::Closing)
        return;
    if (m_labeled.isActive()) {
        m_labeled.add(lineWithCrlf);
        return; // counted when the response is written
    }
    ++m_linesWritten;
    m_connection->write(lineWithCrlf);
    const qint64 queued = m_connection->bytesToWrite();
    if (queued > m_server.config().sendQueueBytes) {
        // We may be inside a loop over a channel's members: leave the channel intact and close
        // from the event loop. Nothing more is queued for this client meanwhile.
        qCInfo(lcConnection).noquote() << "SendQ exceeded for" << m_host << m_nick << "with" << queued
                                       << "bytes queued";
        m_outputBlocked = true;
        QMetaObject::invokeMethod(this, [this] { close("SendQ exceeded", "SendQ exceeded"); },
                                  Qt::QueuedConnection);
    }
}

// ---- closing --------------------------------------------------------------------------------

void ClientSession::close(const QByteArray &reason, const QByteArray &errorText)
{
    if (m_state == State::Closing)
        return;
    if (m_labeled.isActive())
        endLabeledResponse(); // the response to the command that closes, before the ERROR
    leaveEverything(reason);
    qCInfo(lcConnection).noquote().nospace()
        << "Disconnected " << m_host << (m_nick.isEmpty() ? QByteArray() : " (" + m_nick + ")") << ": " << reason;
    beginClosing(errorText.isEmpty() ? "Closing Link: " + m_host + " (" + reason + ")" : errorText);
}

void ClientSession::closeUser(const QByteArray &reason, const QByteArray &errorText)
{
    if (m_group) {
        const QList<ClientSession *> attached = m_group->attached(); // each close detaches one
        for (ClientSession *session : attached)
            session->close(reason, errorText);
    }
    close(reason, errorText);
}

void ClientSession::closeForShutdown()
{
    if (m_state == State::Closing)
        return;
    if (m_labeled.isActive())
        endLabeledResponse();
    leaveEverything({});
    m_state = State::Closing;
    m_connection->close(errorLine("Server shutting down"));
}

void ClientSession::abortConnection()
{
    m_connection->abort();
}

void ClientSession::setAccount(const QByteArray &account)
{
    m_auth.account = account;
    m_foldedAccount = protocol::foldCase(account);
    m_lastPrivateKey.reset();
}

const QByteArray &ClientSession::privateKeyWith(const QByteArray &foldedPeer) const
{
    if (!m_lastPrivateKey)
        m_lastPrivateKey = std::make_unique<PrivateKey>();
    PrivateKey &last = *m_lastPrivateKey;
    if (last.key.isEmpty() || last.foldedPeer != foldedPeer) {
        last.key = privateConversationKeyOfFolded(m_foldedAccount, foldedPeer);
        last.foldedPeer = foldedPeer;
    }
    return last.key;
}

void ClientSession::setOperAccount(QByteArray account)
{
    if (account.isEmpty() != m_operAccount.isEmpty())
        m_server.registry().countOperator(!account.isEmpty());
    m_operAccount = std::move(account);
}

void ClientSession::leaveEverything(const QByteArray &quitReason)
{
    Registry &registry = m_server.registry();
    // One of several sessions of a user leaving: the user stays, and nobody sees a thing.
    if (m_lead) {
        detachFromLead();
        return;
    }
    if (m_group && m_state == State::Registered) {
        handOverTo(*m_group->attached().constFirst());
        return;
    }
    if (isOperator())
        registry.countOperator(false);
    if (m_state == State::Registered) {
        if (!quitReason.isNull()) {
            Outgoing quit(Message("QUIT", {quitReason}, m_prefix), account());
            registry.forEachPeer(*this, [&quit](ClientSession &peer) { peer.deliver(quit); });
            m_server.history().recordInChannelsOf(*this, quit);
            registry.monitors().announceOffline(*this, m_nick);
        }
        for (Channel *channel : std::as_const(m_channels)) {
            channel->removeMember(this);
            registry.removeChannelIfEmpty(channel);
        }
        m_channels.clear();
    }
    registry.monitors().clear(this);
    registry.countDeparture(m_state == State::Registered);
    registry.releaseNick(this, m_nick);
}

void ClientSession::detachFromLead()
{
    SessionGroup &group = *m_lead->m_group;
    group.remove(this);
    if (group.isEmpty())
        m_lead->m_group.reset();
    m_lead = nullptr;
    m_nick.clear(); // never the registry's: the lead holds it
}

void ClientSession::handOverTo(ClientSession &heir)
{
    Registry &registry = m_server.registry();
    heir.m_lead = nullptr;
    heir.m_group = std::move(m_group);
    heir.m_group->remove(&heir);
    heir.m_group->setCurrent(nullptr);
    for (ClientSession *session : heir.m_group->attached())
        session->m_lead = &heir;
    if (heir.m_group->isEmpty())
        heir.m_group.reset();
    // The user's state moves; the heir keeps what belongs to its connection (capabilities,
    // flood control, timeouts, address, login).
    heir.m_nick = m_nick;
    heir.m_user = m_user;
    heir.m_host = m_host;
    heir.m_realName = m_realName;
    heir.m_prefix = m_prefix;
    heir.m_away = m_away;
    heir.m_invisible = m_invisible;
    heir.m_wallops = m_wallops;
    heir.m_operAccount = std::exchange(m_operAccount, {}); // still one operator
    heir.m_channels = std::exchange(m_channels, {});
    heir.m_invitations = std::exchange(m_invitations, {});
    heir.m_limits = m_limits;
    heir.m_lastSpokeMs = m_lastSpokeMs;
    heir.m_connectedAtSecs = m_connectedAtSecs;
    for (Channel *channel : std::as_const(heir.m_channels))
        channel->replaceMember(this, &heir);
    registry.replaceClient(m_nick, this, &heir);
    registry.monitors().handOver(this, &heir);
    m_nick.clear();
    qCInfo(lcConnection).noquote() << "Session of" << heir.m_nick << "from" << heir.m_peerAddress.toString()
                                   << "now leads its user";
}

void ClientSession::beginClosing(const QByteArray &errorText)
{
    m_state = State::Closing;
    QTimer::singleShot(m_server.config().closeTimeoutMs, this, [this] { m_connection->abort(); });
    m_connection->close(errorLine(errorText));
}

void ClientSession::onDisconnected()
{
    if (m_finished)
        return;
    if (m_holding && m_state != State::Closing) {
        // A command of its is answered off the event loop, and what it sent after that (a QUIT
        // with its reason, say) waits behind it: the end waits for the reply and those lines.
        m_closedWhileHolding = true;
        return;
    }
    // The last lines may come in the same read as the close (a QUIT, then TLS close_notify): the
    // socket reports the close before their readyRead, and they are still to be read.
    handleLinesLeft();
    if (m_holding && m_state != State::Closing) {
        m_closedWhileHolding = true; // a held command among them: its release ends the session
        return;
    }
    finishDisconnect();
}

void ClientSession::handleLinesLeft()
{
    char chunk[kReadChunkBytes];
    for (qint64 received; (received = m_connection->read(chunk, kReadChunkBytes)) > 0;)
        m_framer.append(QByteArrayView(chunk, received));
    while (m_state != State::Closing && !m_holding && m_framer.hasCompleteLine()) {
        QByteArray line;
        if (m_framer.next(line) == LineFramer::Status::TooLong)
            continue;
        // Flood control holds as before; past it, only a QUIT counts (its reason is the user's
        // last word), so that closing is no way around the limit.
        if (m_flood.tryTake(m_server.nowMs()) || isQuitLine(line))
            handleLine(line);
    }
}

bool ClientSession::isQuitLine(const QByteArray &line)
{
    const std::optional<Message> message = Message::parse(line);
    return message && message->command.compare("QUIT", Qt::CaseInsensitive) == 0;
}

void ClientSession::finishDisconnect()
{
    if (m_finished)
        return;
    if (m_state != State::Closing) {
        const QString error = m_connection->errorString();
        close(error.isEmpty() ? QByteArrayLiteral("Connection closed") : "Read error: " + error.toUtf8());
    }
    m_finished = true;
    Q_EMIT finished(this);
    deleteLater();
}

void ClientSession::checkTimeouts(qint64 nowMs)
{
    const ServerConfig &config = m_server.config();
    switch (m_state) {
    case State::Closing:
        return;
    case State::Registering:
        if (nowMs - m_connectedAtMs > config.registrationTimeoutMs)
            close("Registration timed out");
        return;
    case State::Registered:
        if (m_pingSentMs >= 0) {
            if (nowMs - m_pingSentMs > config.pingTimeoutMs)
                close("Ping timeout: " + QByteArray::number((nowMs - m_lastReceivedMs) / 1000) + " seconds");
        } else if (nowMs - m_lastReceivedMs > config.pingIntervalMs) {
            send(Message("PING", {m_server.name()}, m_server.name()));
            m_pingSentMs = nowMs;
        }
        return;
    }
}

} // namespace tktalk::server
