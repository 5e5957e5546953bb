// ChatSession: the parts of the chat put together for the window.

#include "chatsession.h"

#include "protocol/limits.h"
#include "protocol/names.h"

namespace tktalk::client {

using protocol::Message;

ChatSession::ChatSession(QObject *parent)
    : QObject(parent), m_network(this), m_conversations(this), m_link(m_settings, m_network, this),
      m_membership(m_link.connection(), m_network, m_conversations, this),
      m_router(m_link, m_network, m_conversations, this), m_reads(m_link, m_network, m_conversations, this),
      m_attention(m_settings, m_clientSettings, m_link, m_network, m_conversations, this),
      m_commands(m_link, m_network, m_conversations, m_membership, m_router, this),
      m_typing(m_link, m_network, m_conversations, this),
      m_channelDirectory(m_link.connection(), m_conversations, this),
      m_passwordChange(m_link.connection(), m_network, m_link.registration(), this)
{
    // The link is a child like the models, so that findChild() reaches its connection: the client
    // fuzzer (tests/fuzz/fuzz_client.cpp) hands its messages to the session through its signal.
    m_loginHost = m_settings.value(QStringLiteral("login/host")).toString();
    m_loginPort = m_settings.value(QStringLiteral("login/port"), 6697).toInt();
    m_loginNick = m_settings.value(QStringLiteral("login/nick")).toString();
    m_typing.setSendEnabled(m_clientSettings.sendTyping());
    connect(&m_clientSettings, &ClientSettings::sendTypingChanged, this,
            [this] { m_typing.setSendEnabled(m_clientSettings.sendTyping()); });

    connect(&m_link, &ServerLink::messageReceived, this, &ChatSession::dispatch);
    // After dispatch (the link is connected to the connection first): dispatch() asks the tracker
    // whether a reply answers its own question before the tracker takes the answer in.
    connect(&m_link.connection(), &IrcConnection::messageReceived, &m_channels, &ChannelTracker::onMessage);
    connect(&m_link, &ServerLink::opening, this, [this] {
        m_membership.reset();
        m_router.reset();
    });
    connect(&m_link, &ServerLink::registered, this, &ChatSession::onRegistered);
    connect(&m_link, &ServerLink::disconnected, &m_membership, &MembershipTracker::onDisconnected);
    connect(&m_link, &ServerLink::disconnected, &m_typing, &TypingTracker::clear);
    connect(&m_link, &ServerLink::report, this, [this](const QString &text, MessageModel::Kind kind) {
        m_conversations.current()->addSystemLine(text, kind);
    });
    connect(&m_network, &NetworkState::userRulesChanged, this, [this] {
        m_conversations.setServerRules(m_network.caseMapping(), m_network.prefixSymbols());
    });
    connect(&m_network, &NetworkState::nickChanged, this, [this] { m_conversations.setSelf(m_network.nick()); });
    connect(&m_network, &NetworkState::capabilitiesChanged, &m_router, &MessageRouter::updateHistoryAvailability);
    connect(&m_network, &NetworkState::historyLimitChanged, &m_router, &MessageRouter::updateHistoryAvailability);
    connect(&m_membership, &MembershipTracker::selfJoined, this,
            [this](Conversation *conversation) { m_router.loadLatest(*conversation); });
    connect(&m_router, &MessageRouter::liveLine, this,
            [this](Conversation *conversation, const QString &sender, const QString &text, bool own, bool mention) {
                m_reads.onLiveLine(conversation);
                m_attention.onLiveLine(conversation, sender, text, own, mention);
            });
    connect(&m_router, &MessageRouter::historyArrived, &m_reads, &ReadTracker::onHistoryArrived);
    connect(&m_conversations, &ConversationList::currentChanged, this, [this] {
        Q_EMIT conversationChanged();
        refreshRoom();
    });
    // A channel joined or left, a private conversation renamed: where text goes may have changed.
    connect(&m_conversations, &ConversationList::dataChanged, this, &ChatSession::refreshRoom);
    forwardSignals();
}

void ChatSession::forwardSignals()
{
    connect(&m_link, &ServerLink::stateChanged, this, &ChatSession::stateChanged);
    connect(&m_link, &ServerLink::inChatChanged, this, &ChatSession::inChatChanged);
    connect(&m_link, &ServerLink::errorTextChanged, this, &ChatSession::errorTextChanged);
    connect(&m_link, &ServerLink::statusTextChanged, this, &ChatSession::statusTextChanged);
    connect(&m_link, &ServerLink::pendingCertificateChanged, this, &ChatSession::pendingCertificateChanged);
    connect(&m_link, &ServerLink::left, this, &ChatSession::leftChat);
    connect(&m_link, &ServerLink::exitRequested, this, &ChatSession::exitRequested);
    connect(&m_network, &NetworkState::nickChanged, this, &ChatSession::nickChanged);
    connect(&m_network, &NetworkState::accountChanged, this, &ChatSession::accountChanged);
    connect(&m_attention, &Attention::unreadCountChanged, this, &ChatSession::unreadCountChanged);
    connect(&m_attention, &Attention::windowActiveChanged, this, &ChatSession::windowActiveChanged);
    connect(&m_attention, &Attention::attentionRequested, this, &ChatSession::attentionRequested);
}

void ChatSession::dispatch(const Message &message)
{
    // Each part takes what is its job; MODE lines about ranks go to the members, and the rest of
    // what a server says to the conversations. Typing is seen on the way.
    m_typing.observe(message);
    if (m_channels.expectsReply(message))
        return; // the answer to the tracker's own question (the modes on joining, the bans)
    if (!m_membership.handle(message) && !m_reads.handle(message))
        m_router.handle(message);
}

void ChatSession::onRegistered(bool reconnected)
{
    m_loginHost = m_link.host();
    m_loginPort = m_link.port();
    m_loginNick = m_link.wantedNick();
    Q_EMIT loginChanged();
    m_settings.setValue(QStringLiteral("login/host"), m_loginHost);
    m_settings.setValue(QStringLiteral("login/port"), m_loginPort);
    m_settings.setValue(QStringLiteral("login/nick"), m_loginNick);
    m_router.onRegistered(reconnected);
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
    if (active == m_attention.windowActive())
        return;
    m_conversations.setWindowActive(active);
    m_reads.setWindowActive(active);
    m_attention.setWindowActive(active);
}

QString ChatSession::validateLogin(const QString &host, const QString &port, const QString &nick,
                                   const QString &password, bool createAccount, const QString &account,
                                   const QString &serverPassword) const
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
    return LoginRequest{nick.trimmed(), account.trimmed(), password, serverPassword, createAccount}.problem(
        kMinPasswordLength);
}

void ChatSession::connectToServer(const QString &host, int port, const QString &nick, const QString &password,
                                  bool createAccount, const QString &account, const QString &serverPassword)
{
    const QString problem =
        validateLogin(host, QString::number(port), nick, password, createAccount, account, serverPassword);
    if (!problem.isEmpty()) {
        m_link.setError(problem);
        return;
    }
    if (!m_link.inChat()) {
        // A new login starts with no conversation but the server's.
        m_conversations.clear();
        m_conversations.setServerName(host.trimmed());
    }
    m_link.connectTo(host.trimmed(), quint16(port),
                     LoginRequest{nick.trimmed(), account.trimmed(), password, serverPassword, createAccount});
}

ChatSession::SendResult ChatSession::send(const QString &text, bool confirmed)
{
    QString normalised = text;
    normalised.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    QStringList lines = normalised.split(QLatin1Char('\n'));
    lines.removeIf([](const QString &line) { return line.trimmed().isEmpty(); });
    if (lines.isEmpty())
        return SendResult::Nothing;
    if (lines.size() > kConfirmLines && !confirmed)
        return SendResult::NeedsConfirmation;
    m_history.add(text);
    const auto result = [](CommandRunner::Result done) {
        switch (done) {
        case CommandRunner::Result::Sent:
            return SendResult::Sent;
        case CommandRunner::Result::Nothing:
            return SendResult::Nothing;
        case CommandRunner::Result::Rejected:
            break;
        }
        return SendResult::Rejected;
    };
    const QString target = currentTarget();
    if (lines.size() == 1) {
        const SendResult sent = result(m_commands.execute(parseInput(lines.first())));
        if (sent == SendResult::Sent)
            m_typing.onSent(target);
        return sent;
    }
    // A paste is text, line by line: its lines are not commands.
    SendResult sent = SendResult::Sent;
    for (const QString &line : std::as_const(lines)) {
        if (m_commands.execute(InputCommand{InputCommand::Kind::Say, {}, line, {}, {}, {}}) != CommandRunner::Result::Sent)
            sent = SendResult::Rejected;
    }
    m_typing.onSent(target);
    return sent;
}

void ChatSession::loadOlder()
{
    if (m_link.online())
        m_router.loadOlder(*m_conversations.current());
}

void ChatSession::openPrivate(const QString &nick)
{
    if (!protocol::isValidNick(nick.toUtf8())) {
        m_conversations.current()->addSystemLine(tr("\"%1\" is not a valid nickname.").arg(nick),
                                                 MessageModel::Kind::Error);
        return;
    }
    m_conversations.activate(m_router.privateConversation(nick));
}

void ChatSession::closeConversation(int row)
{
    if (row <= 0 || row >= m_conversations.count())
        return;
    const Conversation *conversation = m_conversations.at(row);
    if (conversation->kind() == Conversation::Kind::Channel && conversation->joined() && m_link.online())
        m_link.connection().send(Message("PART", {conversation->name().toUtf8()}));
    m_conversations.close(row);
}

} // namespace tktalk::client
