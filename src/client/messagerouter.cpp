#include "messagerouter.h"

#include "irctext.h"
#include "protocol/names.h"
#include "serverlink.h"

namespace tktalk::client {

using protocol::Message;

MessageRouter::MessageRouter(ServerLink &link, NetworkState &network, ConversationList &conversations,
                             QObject *parent)
    : QObject(parent), m_link(link), m_network(network), m_conversations(conversations),
      m_history(link.connection())
{
}

void MessageRouter::reset()
{
    m_history.reset();
    updateHistoryAvailability();
}

void MessageRouter::updateHistoryAvailability()
{
    m_history.setAvailable(m_network.enabled("draft/chathistory") && m_network.enabled("batch"));
    m_history.setServerLimit(m_network.historyLimit());
}

bool MessageRouter::handle(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "PRIVMSG" || command == "NOTICE") {
        onText(message);
    } else if (command == "BATCH") {
        onBatch(message);
    } else if (command == "FAIL" && message.param(0) == "CHATHISTORY") {
        if (const std::optional<QString> target = m_history.onFail(message)) {
            if (Conversation *conversation = m_conversations.find(*target))
                conversation->setHistoryState(false, true); // nothing to be had
        }
    } else if (command == "372") {
        QString line = ircText(message.param(1));
        if (line.startsWith(QLatin1String("- ")))
            line = line.mid(2);
        m_conversations.server()->addSystemLine(stripFormatting(line), MessageModel::Kind::Notice);
    } else if (command == "332") {
        const QString room = ircText(message.param(1));
        m_conversations.open(room, Conversation::Kind::Channel)
            ->addSystemLine(tr("Topic of %1: %2").arg(room, stripFormatting(ircText(message.param(2)))));
    } else if (command == "ERROR") {
        m_conversations.current()->addSystemLine(tr("Server: %1").arg(ircText(message.param(0))),
                                                 MessageModel::Kind::Error);
    } else if (command == "TOPIC") {
        onTopic(message);
    } else if (command == "INVITE") {
        onInvite(message);
    } else if (command == "324" || command == "341" || command == "367") {
        onChannelReply(message);
    } else if (command.size() == 3 && (command.startsWith('4') || command.startsWith('5'))) {
        onErrorNumeric(message);
    } else {
        return false;
    }
    return true;
}

void MessageRouter::onRegistered(bool reconnected)
{
    const QString host = QStringLiteral("%1:%2").arg(m_link.host()).arg(m_link.port());
    const QString nick = m_network.nick();
    Conversation *server = m_conversations.server();
    if (reconnected) {
        const QString line = tr("Reconnected to %1 as %2.").arg(host, nick);
        server->addSystemLine(line);
        if (m_conversations.current() != server)
            m_conversations.current()->addSystemLine(line);
        // What was said privately meanwhile (the channels ask when they are joined again).
        for (int row = 0; row < m_conversations.count(); ++row) {
            if (m_conversations.at(row)->kind() == Conversation::Kind::Private)
                m_history.loadLatest(*m_conversations.at(row));
        }
    } else {
        server->addSystemLine(tr("Connected to %1 as %2.").arg(host, nick));
    }
    if (!m_network.account().isEmpty())
        server->addSystemLine(tr("Logged in as %1.").arg(m_network.account()));
    if (!m_network.isSelf(m_link.wantedNick()))
        server->addSystemLine(tr("The nickname %1 was taken, so you are %2.").arg(m_link.wantedNick(), nick),
                              MessageModel::Kind::Notice);
}

void MessageRouter::onText(const Message &message)
{
    const QString target = ircText(message.param(0));
    QString body = ircText(message.param(1));
    const QByteArray sourceNick = message.sourceNick();
    const bool fromServer = message.source.isEmpty() || !message.source.contains('!');
    if (message.command == "NOTICE" && (fromServer || !m_link.isRegistered())) {
        m_conversations.server()->addSystemLine(stripFormatting(body), MessageModel::Kind::Notice);
        return;
    }
    MessageModel::Entry entry;
    entry.kind = MessageModel::Kind::Chat;
    entry.time = sentAt(message);
    entry.sender = ircText(sourceNick);
    entry.msgid = message.tag("msgid").value_or(QByteArray());
    // History the client asked for (CHATHISTORY) goes in its place by time, and is not news.
    const HistoryLoader::Line line = m_history.classify(message);
    const bool answer = line != HistoryLoader::Line::Live;
    const bool own = m_network.isSelf(entry.sender);
    // After a reconnect, the server's playback of the room repeats lines already shown: others'
    // by their msgid, this user's own (shown as typed, without one) by their time.
    if (!m_seen.isNew(entry.msgid))
        return;
    const QDateTime lostAt = m_link.connectionLostAt();
    if (!answer && own && entry.time.isValid() && lostAt.isValid() && entry.time <= lostAt)
        return;
    if (body.startsWith(QChar(1))) {
        body = body.mid(1);
        if (body.endsWith(QChar(1)))
            body.chop(1);
        if (!body.startsWith(QLatin1String("ACTION ")))
            return; // other CTCP queries (VERSION, PING...) are not shown
        body = body.mid(7);
        entry.kind = MessageModel::Kind::Action;
    } else if (message.command == "NOTICE") {
        entry.kind = MessageModel::Kind::Notice;
    }
    entry.text = stripFormatting(body);
    Conversation *conversation = nullptr;
    bool mention = false;
    if (protocol::isChannelName(message.param(0))) {
        conversation = m_conversations.open(target, Conversation::Kind::Channel);
        mention = !own && m_network.mentionsSelf(entry.text);
    } else {
        if (entry.kind == MessageModel::Kind::Chat)
            entry.kind = own ? MessageModel::Kind::PrivateOut : MessageModel::Kind::PrivateIn;
        entry.peer = own ? target : entry.sender;
        conversation = privateConversation(entry.peer);
        mention = !own;
    }
    entry.fromOthers = !own;
    entry.mention = mention;
    if (answer) {
        if (own && shownAsTyped(*conversation->messages(), entry))
            return;
        if (line == HistoryLoader::Line::Older)
            conversation->addOlderLine(std::move(entry));
        else
            conversation->messages()->insertByTime(std::move(entry));
        return;
    }
    const QString sender = entry.sender;
    const QString said = entry.text;
    conversation->messages()->append(std::move(entry));
    Q_EMIT liveLine(conversation, sender, said, own, mention);
}

void MessageRouter::onBatch(const Message &message)
{
    const std::optional<HistoryLoader::Answered> answered = m_history.onBatch(message);
    if (!answered)
        return;
    Conversation *conversation = m_conversations.find(answered->target);
    if (!conversation)
        return;
    if (!answered->gapFill)
        conversation->setHistoryState(false, answered->complete);
    Q_EMIT historyArrived(conversation);
}

Conversation *MessageRouter::privateConversation(const QString &nick)
{
    if (Conversation *existing = m_conversations.find(nick))
        return existing;
    Conversation *conversation = m_conversations.open(nick, Conversation::Kind::Private);
    m_history.loadLatest(*conversation);
    return conversation;
}

bool MessageRouter::shownAsTyped(const MessageModel &messages, const MessageModel::Entry &entry)
{
    for (int row = messages.rowCount() - 1; row >= 0; --row) {
        const MessageModel::Entry &shown = messages.at(row);
        if (shown.msgid.isEmpty() && shown.sender == entry.sender && shown.text == entry.text)
            return true;
    }
    return false;
}

Conversation *MessageRouter::conversationFor(const QString &room) const
{
    Conversation *conversation = m_conversations.find(room);
    return conversation ? conversation : m_conversations.server();
}

void MessageRouter::onTopic(const Message &message)
{
    // TOPIC <room> :<topic>; an empty topic clears it.
    const QString who = ircText(message.sourceNick());
    const QString room = ircText(message.param(0));
    const QString topic = ircText(message.param(1));
    conversationFor(room)->addSystemLine(topic.isEmpty() ? tr("%1 cleared the topic of %2.").arg(who, room)
                                                         : tr("%1 set the topic of %2: %3").arg(who, room, topic));
}

void MessageRouter::onInvite(const Message &message)
{
    // INVITE <nick> <room>: to us, or (invite-notify) to someone else.
    const QString who = ircText(message.sourceNick());
    const QString invited = ircText(message.param(0));
    const QString room = ircText(message.param(1));
    if (m_network.isSelf(invited))
        m_conversations.current()->addSystemLine(tr("%1 invites you to %2: type /join %2 to go there.").arg(who, room),
                                                 MessageModel::Kind::Notice);
    else
        conversationFor(room)->addSystemLine(tr("%1 invited %2 to %3.").arg(who, invited, room));
}

void MessageRouter::onChannelReply(const Message &message)
{
    const QByteArray &numeric = message.command;
    const QString first = ircText(message.param(1)); // the room, but for 341 the nick
    if (numeric == "324") // <me> <room> <modestring> [<arguments>...]
        conversationFor(first)->addSystemLine(
            tr("Modes of %1: %2").arg(first, ircText(message.params.mid(2).join(' '))));
    else if (numeric == "341") // <me> <nick> <room>
        m_conversations.current()->addSystemLine(tr("You invited %1 to %2.").arg(first, ircText(message.param(2))));
    else if (numeric == "367") // <me> <room> <mask> [<who> <when>]
        conversationFor(first)->addSystemLine(tr("Banned from %1: %2").arg(first, ircText(message.param(2))));
}

void MessageRouter::onErrorNumeric(const Message &message)
{
    // <numeric> <me> [<subject>] :<text>
    const QString description = lastParamText(message);
    const QString subject = message.params.size() > 2 ? ircText(message.param(1)) : QString();
    m_conversations.current()->addSystemLine(
        subject.isEmpty() ? description : QStringLiteral("%1: %2").arg(subject, description), MessageModel::Kind::Error);
}

} // namespace tktalk::client
