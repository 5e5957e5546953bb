// ChatSession: the connection's life cycle and trust decisions. What the user types is handled in
// chatsessioninput.cpp, what the server sends in chatsessionincoming.cpp.

#include "chatsession.h"

#include "protocol/limits.h"
#include "protocol/names.h"
#include "protocol/servertime.h"

#include <QFile>

namespace tktalk::client {

using protocol::Message;

ChatSession::ChatSession(QObject *parent)
    : QObject(parent), m_pins(m_settings), m_connection(m_pins, this), m_conversations(this)
{
    // m_connection is a child like the models, so that findChild() reaches it: the client fuzzer
    // (tests/fuzz/fuzz_client.cpp) hands its messages to the session through its signal.
    m_loginHost = m_settings.value(QStringLiteral("login/host")).toString();
    m_loginPort = m_settings.value(QStringLiteral("login/port"), 6697).toInt();
    m_loginNick = m_settings.value(QStringLiteral("login/nick")).toString();
    m_notificationsEnabled = m_settings.value(QStringLiteral("notifications/enabled"), true).toBool();

    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ChatSession::open);
    m_leaveTimer.setSingleShot(true);
    m_leaveTimer.setInterval(kLeaveTimeoutMs);
    connect(&m_leaveTimer, &QTimer::timeout, this, &ChatSession::finishLeaving);

    connect(&m_connection, &IrcConnection::established, this, &ChatSession::onEstablished);
    connect(&m_connection, &IrcConnection::failed, this, &ChatSession::onFailed);
    connect(&m_connection, &IrcConnection::closed, this, &ChatSession::onClosed);
    connect(&m_connection, &IrcConnection::certificateNeedsTrust, this, &ChatSession::onCertificateNeedsTrust);
    connect(&m_connection, &IrcConnection::certificateChanged, this, &ChatSession::onCertificateChanged);
    connect(&m_connection, &IrcConnection::messageReceived, this, &ChatSession::onMessage);
    // After onMessage: onChannelReply() asks the tracker whether a reply answers the client's own
    // question before the tracker takes the answer in.
    connect(&m_connection, &IrcConnection::messageReceived, &m_channels, &ChannelTracker::onMessage);
    m_markReadTimer.setSingleShot(true);
    m_markReadTimer.setInterval(kMarkReadDelayMs);
    connect(&m_markReadTimer, &QTimer::timeout, this, &ChatSession::markCurrentRead);
    connect(&m_conversations, &ConversationList::currentChanged, this, &ChatSession::onCurrentConversationChanged);
}

ChatSession::~ChatSession()
{
    m_connection.abort();
}

QString ChatSession::setCaFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("cannot read %1: %2").arg(path, file.errorString());
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        return tr("%1 holds no PEM certificate").arg(path);
    m_connection.setExtraCaCertificates(certificates);
    return {};
}

QString ChatSession::statusText() const
{
    const QString server = QStringLiteral("%1:%2").arg(m_host).arg(m_port);
    switch (m_state) {
    case State::Disconnected:
        return tr("Not connected");
    case State::Connecting:
        return tr("Connecting to %1…").arg(server);
    case State::AwaitingTrust:
        return tr("Waiting for your decision about the certificate of %1").arg(server);
    case State::Registering:
        return tr("Logging in to %1…").arg(server);
    case State::Connected:
        return m_account.isEmpty() ? tr("Connected to %1 as %2 (guest)").arg(server, m_nick)
                                   : tr("Connected to %1 as %2, logged in as %3").arg(server, m_nick, m_account);
    case State::Reconnecting:
        return m_reconnectTimer.isActive()
                   ? tr("Connection lost; reconnecting in %1 s (attempt %2)")
                         .arg((m_reconnectTimer.interval() + 999) / 1000)
                         .arg(m_reconnectAttempt)
                   : tr("Reconnecting to %1…").arg(server);
    case State::Leaving:
        return tr("Leaving…");
    }
    return {};
}

void ChatSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
    Q_EMIT statusTextChanged();
}

void ChatSession::setError(const QString &text)
{
    if (m_errorText == text)
        return;
    m_errorText = text;
    Q_EMIT errorTextChanged();
}

void ChatSession::setNick(const QString &nick)
{
    if (m_nick == nick)
        return;
    m_nick = nick;
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->members()->setSelf(nick);
    Q_EMIT nickChanged();
    Q_EMIT statusTextChanged();
}

QString ChatSession::room() const
{
    const Conversation *current = m_conversations.current();
    return current->kind() == Conversation::Kind::Channel && current->joined() ? current->name() : QString();
}

void ChatSession::refreshRoom()
{
    if (const QString now = room(); m_room != now) {
        m_room = now;
        Q_EMIT roomChanged();
    }
    if (const QString now = currentTarget(); m_target != now) {
        m_target = now;
        Q_EMIT targetChanged();
    }
}

void ChatSession::setInChat(bool inChat)
{
    if (m_inChat == inChat)
        return;
    m_inChat = inChat;
    Q_EMIT inChatChanged();
}

void ChatSession::setPendingCertificate(QVariantMap certificate)
{
    m_pendingCertificate = std::move(certificate);
    Q_EMIT pendingCertificateChanged();
}

void ChatSession::setLoginHost(const QString &host)
{
    if (m_loginHost != host) {
        m_loginHost = host;
        Q_EMIT loginChanged();
    }
}

void ChatSession::setLoginPort(int port)
{
    if (m_loginPort != port) {
        m_loginPort = port;
        Q_EMIT loginChanged();
    }
}

void ChatSession::setLoginNick(const QString &nick)
{
    if (m_loginNick != nick) {
        m_loginNick = nick;
        Q_EMIT loginChanged();
    }
}

void ChatSession::setWindowActive(bool active)
{
    if (m_windowActive == active)
        return;
    m_windowActive = active;
    m_conversations.setWindowActive(active);
    Q_EMIT windowActiveChanged();
    if (active)
        scheduleMarkRead();
    if (active && m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadCountChanged();
    }
}

QString ChatSession::validateLogin(const QString &host, const QString &port, const QString &nick,
                                   const QString &password, bool createAccount) const
{
    const QString trimmedHost = host.trimmed();
    if (trimmedHost.isEmpty())
        return tr("Enter the server's host name or address.");
    if (trimmedHost.contains(QLatin1Char(' ')) || trimmedHost.contains(QLatin1Char('/')))
        return tr("The server name \"%1\" is not a host name or address.").arg(trimmedHost);
    bool ok = false;
    const uint number = port.trimmed().toUInt(&ok);
    if (!ok || number == 0 || number > 65535)
        return tr("The port must be a number from 1 to 65535 (tktalk and most IRC servers use 6697).");
    if (nick.trimmed().isEmpty())
        return tr("Choose a nickname.");
    if (!protocol::isValidNick(nick.trimmed().toUtf8()))
        return tr("The nickname \"%1\" is not valid: use letters, digits and _-[]{}|^`\\, at most %2, not "
                  "starting with a digit or '-'.")
            .arg(nick.trimmed())
            .arg(protocol::kMaxNickBytes);
    if (createAccount && password.size() < kMinPasswordLength)
        return tr("To create an account, choose a password of at least %1 characters.").arg(kMinPasswordLength);
    if (password.contains(QLatin1Char('\n')) || password.contains(QLatin1Char('\r')))
        return tr("The password cannot contain line breaks.");
    return {};
}

void ChatSession::connectToServer(const QString &host, int port, const QString &nick, const QString &password,
                                  bool createAccount)
{
    const QString problem = validateLogin(host, QString::number(port), nick, password, createAccount);
    if (!problem.isEmpty()) {
        setError(problem);
        return;
    }
    m_reconnectTimer.stop();
    m_host = host.trimmed();
    m_port = quint16(port);
    m_wantedNick = nick.trimmed();
    m_password = password;
    m_createAccount = createAccount && !password.isEmpty();
    setNick(m_wantedNick);
    m_rejoinRooms.clear();
    if (!m_inChat) {
        // A new login starts with no conversation but the server's.
        m_conversations.clear();
        m_conversations.setServerName(m_host);
    }
    m_reconnectAttempt = 0;
    setError({});
    open();
}

void ChatSession::open()
{
    m_registered = false;
    m_nickAttempts = 0;
    m_nickLength = int(protocol::kMaxNickBytes);
    // What the last server announced does not hold for the next one until it says so.
    m_maxModesPerLine = kDefaultModesPerLine;
    m_modeSyntax = protocol::ChannelModeSyntax();
    m_pendingNames.clear();
    m_serverCaps.clear();
    m_historyLoader.reset();
    m_historyLoader.setAvailable(false);
    m_readMarkers = false;
    m_historyLoader.setServerLimit(0);
    setAccount({});
    setState(m_inChat ? State::Reconnecting : State::Connecting);
    Q_EMIT statusTextChanged();
    m_connection.open(m_host, m_port);
}

void ChatSession::onEstablished()
{
    setState(State::Registering);
    // CAP LS first: a server that knows CAP then waits for CAP END; one that does not ignores it or answers
    // 421, and registration goes on with NICK and USER either way.
    m_connection.send(Message("CAP", {"LS", "302"}));
    m_connection.send(Message("NICK", {m_nick.toUtf8()}));
    m_connection.send(Message("USER", {"tktalk", "0", "*", "tktalk user"}));
}

void ChatSession::onFailed(IrcConnection::Failure, const QString &reason)
{
    if (m_state == State::Reconnecting) {
        scheduleReconnect(reason);
        return;
    }
    setState(State::Disconnected);
    setError(reason);
}

void ChatSession::onClosed(bool byUs, const QString &reason)
{
    const QStringList joined = joinedRooms();
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->setJoined(false);
    refreshRoom();
    if (m_state == State::Leaving || byUs) {
        finishLeaving();
        return;
    }
    const QString why = reason;
    if (!m_registered && !m_inChat) {
        setState(State::Disconnected);
        if (m_errorText.isEmpty())
            setError(tr("The server closed the connection during login: %1").arg(why));
        return;
    }
    if (!joined.isEmpty())
        m_rejoinRooms = joined;
    scheduleReconnect(why);
}

void ChatSession::scheduleReconnect(const QString &why)
{
    if (++m_reconnectAttempt == 1)
        m_connectionLostAt = QDateTime::currentDateTimeUtc();
    const int delay = std::min(kReconnectMaxDelayMs, m_firstReconnectDelayMs << std::min(m_reconnectAttempt - 1, 8));
    m_reconnectTimer.setInterval(delay);
    m_reconnectTimer.start();
    setState(State::Reconnecting);
    Q_EMIT statusTextChanged();
    const QString when = QString::number((delay + 999) / 1000);
    system(m_reconnectAttempt == 1 ? tr("Connection lost (%1). Reconnecting in %2 s…").arg(why, when)
                                   : tr("Could not reconnect (%1). Trying again in %2 s…").arg(why, when),
           MessageModel::Kind::Error);
}

void ChatSession::onCertificateNeedsTrust(const QSslCertificate &certificate, const QString &reason)
{
    m_reconnectTimer.stop();
    m_pendingCertificateObject = certificate;
    setState(State::AwaitingTrust);
    setPendingCertificate({
        {QStringLiteral("host"), QStringLiteral("%1:%2").arg(m_host).arg(m_port)},
        {QStringLiteral("fingerprint"), CertificatePins::formatDigest(CertificatePins::digestOf(certificate))},
        {QStringLiteral("subject"), certificate.subjectDisplayName()},
        {QStringLiteral("issuer"), certificate.issuerDisplayName()},
        {QStringLiteral("expires"), certificate.expiryDate().toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("changed"), false},
    });
}

void ChatSession::onCertificateChanged(const QSslCertificate &certificate, const QByteArray &pinnedDigest)
{
    onCertificateNeedsTrust(certificate, tr("The certificate is not the one you trusted before."));
    QVariantMap details = m_pendingCertificate;
    details.insert(QStringLiteral("changed"), true);
    details.insert(QStringLiteral("pinnedFingerprint"), CertificatePins::formatDigest(pinnedDigest));
    setPendingCertificate(details);
    const QString warning = tr("Refused %1: its certificate changed since you trusted it.").arg(details.value(QStringLiteral("host")).toString());
    if (m_inChat)
        system(warning, MessageModel::Kind::Error);
    setError(warning);
}

void ChatSession::trustCertificate()
{
    if (m_pendingCertificateObject.isNull())
        return;
    m_pins.pin(m_host, m_port, m_pendingCertificateObject);
    m_pendingCertificateObject.clear();
    setPendingCertificate({});
    setError({});
    open();
}

void ChatSession::rejectCertificate()
{
    if (m_pendingCertificateObject.isNull())
        return;
    const bool changed = m_pendingCertificate.value(QStringLiteral("changed")).toBool();
    m_pendingCertificateObject.clear();
    setPendingCertificate({});
    setInChat(false);
    setState(State::Disconnected);
    setError(changed ? tr("Not connected: the server's certificate changed and you did not accept the new one.")
                     : tr("Not connected: you did not trust the server's certificate."));
}

void ChatSession::leave(const QString &reason)
{
    m_reconnectTimer.stop();
    if (!m_connection.isEstablished()) {
        m_connection.abort();
        finishLeaving();
        return;
    }
    setState(State::Leaving);
    m_connection.send(Message("QUIT", {reason.isEmpty() ? QByteArrayLiteral("Leaving") : reason.toUtf8()}));
    m_connection.closeGracefully();
    m_leaveTimer.start();
}

void ChatSession::finishLeaving()
{
    m_leaveTimer.stop();
    m_connection.abort();
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->setJoined(false);
    refreshRoom();
    setInChat(false);
    setState(State::Disconnected);
    Q_EMIT leftChat();
    if (m_exitAfterLeave) {
        m_exitAfterLeave = false;
        Q_EMIT exitRequested();
    }
}

void ChatSession::system(const QString &text, MessageModel::Kind kind)
{
    m_conversations.current()->addSystemLine(text, kind);
}

void ChatSession::serverLine(const QString &text, MessageModel::Kind kind)
{
    m_conversations.server()->addSystemLine(text, kind);
}

Conversation *ChatSession::channel(const QString &room)
{
    Conversation *conversation = m_conversations.find(room);
    if (!conversation) {
        conversation = m_conversations.open(room, Conversation::Kind::Channel);
        conversation->members()->setServerRules(m_caseMapping, m_prefixSymbols);
        conversation->members()->setSelf(m_nick);
        applyMute(*conversation);
    }
    return conversation;
}

void ChatSession::setNotificationsEnabled(bool enabled)
{
    if (m_notificationsEnabled == enabled)
        return;
    m_notificationsEnabled = enabled;
    m_settings.setValue(QStringLiteral("notifications/enabled"), enabled);
    Q_EMIT notificationsEnabledChanged();
}

QString ChatSession::muteKey(const QString &name) const
{
    // Per server and conversation; '/' would be a settings group.
    QString key = QStringLiteral("%1:%2 %3").arg(m_host).arg(m_port).arg(foldNick(name, m_caseMapping));
    key.replace(QLatin1Char('/'), QLatin1Char('_'));
    return QStringLiteral("muted/") + QString::fromLatin1(key.toUtf8().toPercentEncoding());
}

void ChatSession::applyMute(Conversation &conversation)
{
    conversation.setMuted(m_settings.value(muteKey(conversation.name()), false).toBool());
}

void ChatSession::setMuted(int row, bool muted)
{
    Conversation *conversation = m_conversations.at(row);
    if (!conversation)
        return;
    conversation->setMuted(muted);
    if (muted)
        m_settings.setValue(muteKey(conversation->name()), true);
    else
        m_settings.remove(muteKey(conversation->name()));
}

void ChatSession::notifyUser(const Conversation &conversation, const QString &sender, const QString &text)
{
    if (m_windowActive || !m_notificationsEnabled || conversation.muted())
        return;
    const QString title = conversation.kind() == Conversation::Kind::Private
                              ? sender
                              : tr("%1 in %2").arg(sender, conversation.name());
    m_notifier.notify(title, text);
    Q_EMIT attentionRequested();
}

Conversation *ChatSession::joinedChannel(const QString &room) const
{
    Conversation *conversation = m_conversations.find(room);
    return conversation && conversation->kind() == Conversation::Kind::Channel && conversation->joined() ? conversation
                                                                                                        : nullptr;
}

QStringList ChatSession::joinedRooms() const
{
    // The current room first, so that it is the current room again after a rejoin.
    QStringList rooms;
    for (int row = 0; row < m_conversations.count(); ++row) {
        const Conversation *conversation = m_conversations.at(row);
        if (conversation->kind() == Conversation::Kind::Channel && conversation->joined())
            rooms << conversation->name();
    }
    const QString current = room();
    if (!current.isEmpty()) {
        rooms.removeAll(current);
        rooms.prepend(current);
    }
    return rooms;
}

void ChatSession::onCurrentConversationChanged()
{
    Conversation *shown = m_conversations.current();
    if (m_shown && m_shown != shown)
        m_shown->messages()->setReadMarker(m_shown->readMarker());
    m_shown = shown;
    Q_EMIT conversationChanged();
    refreshRoom();
    scheduleMarkRead();
}

bool ChatSession::lookedAt(const Conversation *conversation) const
{
    return m_windowActive && conversation == m_conversations.current();
}

void ChatSession::scheduleMarkRead()
{
    if (m_readMarkers && !m_account.isEmpty() && m_windowActive)
        m_markReadTimer.start();
}

void ChatSession::markCurrentRead()
{
    Conversation *conversation = m_conversations.current();
    if (!m_readMarkers || m_account.isEmpty() || !m_windowActive || m_state != State::Connected
        || conversation->kind() == Conversation::Kind::Server)
        return;
    const QDateTime newest = conversation->messages()->newestTime();
    if (!newest.isValid() || (conversation->readMarker().isValid() && newest <= conversation->readMarker()))
        return;
    m_connection.send(Message("MARKREAD", {conversation->name().toUtf8(),
                                           "timestamp=" + protocol::formatServerTime(newest.toMSecsSinceEpoch())}));
    conversation->setReadMarker(newest, false);
}

bool ChatSession::mentionsSelf(const QString &text) const
{
    if (m_nick.isEmpty())
        return false;
    const QString folded = foldNick(text, m_caseMapping);
    const QString nick = foldNick(m_nick, m_caseMapping);
    const auto isNickChar = [](QChar c) {
        return c.isLetterOrNumber() || QStringLiteral("[]\\`_^{|}-").contains(c);
    };
    for (qsizetype at = folded.indexOf(nick); at >= 0; at = folded.indexOf(nick, at + 1)) {
        const qsizetype end = at + nick.size();
        if ((at == 0 || !isNickChar(folded.at(at - 1))) && (end == folded.size() || !isNickChar(folded.at(end))))
            return true;
    }
    return false;
}

void ChatSession::countUnread()
{
    if (m_windowActive)
        return;
    ++m_unread;
    Q_EMIT unreadCountChanged();
}

bool ChatSession::isSelf(const QString &nick) const
{
    return foldNick(nick, m_caseMapping) == foldNick(m_nick, m_caseMapping);
}

} // namespace tktalk::client
