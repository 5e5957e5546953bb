#include "membershiptracker.h"

#include "irctext.h"
#include "protocol/names.h"

namespace tktalk::client {

using protocol::Message;

MembershipTracker::MembershipTracker(IrcConnection &connection, NetworkState &network,
                                     ConversationList &conversations, QObject *parent)
    : QObject(parent), m_connection(connection), m_network(network), m_conversations(conversations)
{
}

bool MembershipTracker::handle(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "JOIN")
        onJoin(message);
    else if (command == "PART")
        onPart(message);
    else if (command == "QUIT")
        onQuit(message);
    else if (command == "NICK")
        onNickChange(message);
    else if (command == "KICK")
        onKick(message);
    else if (command == "MODE")
        onMode(message);
    else if (command == "353")
        onNames(message);
    else if (command == "366")
        onEndOfNames(message);
    else if (command == "376" || command == "422")
        joinRooms();
    else
        return false;
    return true;
}

void MembershipTracker::expectJoin(const QString &room)
{
    m_joinRequested = m_network.fold(room);
}

Conversation *MembershipTracker::joinedChannel(const QString &room) const
{
    Conversation *conversation = m_conversations.find(room);
    return conversation && conversation->kind() == Conversation::Kind::Channel && conversation->joined() ? conversation
                                                                                                        : nullptr;
}

QString MembershipTracker::currentRoom() const
{
    const Conversation *current = m_conversations.current();
    return current->kind() == Conversation::Kind::Channel && current->joined() ? current->name() : QString();
}

QStringList MembershipTracker::joinedRooms() const
{
    // The current room first, so that it is the current room again after a rejoin.
    QStringList rooms;
    for (int row = 0; row < m_conversations.count(); ++row) {
        const Conversation *conversation = m_conversations.at(row);
        if (conversation->kind() == Conversation::Kind::Channel && conversation->joined())
            rooms << conversation->name();
    }
    const QString current = currentRoom();
    if (!current.isEmpty()) {
        rooms.removeAll(current);
        rooms.prepend(current);
    }
    return rooms;
}

void MembershipTracker::onDisconnected(bool willReconnect)
{
    if (const QStringList joined = joinedRooms(); willReconnect && !joined.isEmpty())
        m_rejoinRooms = joined;
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->setJoined(false);
}

void MembershipTracker::joinRooms()
{
    if (!joinedRooms().isEmpty())
        return;
    const QStringList rooms = m_rejoinRooms.isEmpty() ? QStringList{QLatin1String(kDefaultRoom)} : m_rejoinRooms;
    m_connection.send(Message("JOIN", {rooms.join(QLatin1Char(',')).toUtf8()}));
}

void MembershipTracker::leftRoom(const QString &room)
{
    if (Conversation *conversation = m_conversations.find(room))
        conversation->setJoined(false);
}

Conversation *MembershipTracker::conversationFor(const QString &room) const
{
    Conversation *conversation = m_conversations.find(room);
    return conversation ? conversation : m_conversations.server();
}

bool MembershipTracker::isPrivateWith(const Conversation &conversation, const QString &nick) const
{
    return conversation.kind() == Conversation::Kind::Private && m_network.fold(conversation.name()) == m_network.fold(nick);
}

void MembershipTracker::onJoin(const Message &message)
{
    const QString who = ircText(message.sourceNick());
    const QString room = ircText(message.param(0));
    if (m_network.isSelf(who)) {
        Conversation *conversation = m_conversations.open(room, Conversation::Kind::Channel);
        conversation->setJoined(false); // a JOIN seen twice starts the members afresh
        conversation->setJoined(true);
        // Shown when the user asked for it, or when nothing else is.
        const bool asked = m_network.fold(room) == m_joinRequested;
        if (asked || m_conversations.current() == m_conversations.server())
            m_conversations.activate(conversation);
        if (asked)
            m_joinRequested.clear();
        conversation->addSystemLine(tr("You joined %1.").arg(room));
        Q_EMIT selfJoined(conversation);
        return;
    }
    Conversation *conversation = joinedChannel(room);
    if (!conversation)
        return;
    conversation->members()->add(who);
    conversation->addSystemLine(tr("%1 joined %2.").arg(who, room));
}

void MembershipTracker::onPart(const Message &message)
{
    const QString who = ircText(message.sourceNick());
    const QString room = ircText(message.param(0));
    const QString reason = stripFormatting(ircText(message.param(1)));
    if (m_network.isSelf(who)) {
        leftRoom(room);
        if (Conversation *conversation = m_conversations.find(room))
            conversation->addSystemLine(tr("You left %1.").arg(room));
        return;
    }
    Conversation *conversation = joinedChannel(room);
    if (conversation && conversation->members()->remove(who))
        conversation->addSystemLine(reason.isEmpty() ? tr("%1 left.").arg(who) : tr("%1 left (%2).").arg(who, reason));
}

void MembershipTracker::onQuit(const Message &message)
{
    const QString who = ircText(message.sourceNick());
    QString reason = stripFormatting(ircText(message.param(0)));
    // "Quit: " marks a reason the user gave (modern IRC); "bob quit (see you)" says that already.
    if (reason.startsWith(QLatin1String("Quit: ")) || reason == QLatin1String("Quit:"))
        reason = reason.mid(6).trimmed();
    const QString line = reason.isEmpty() ? tr("%1 quit.").arg(who) : tr("%1 quit (%2).").arg(who, reason);
    for (int row = 0; row < m_conversations.count(); ++row) {
        Conversation *conversation = m_conversations.at(row);
        const bool withThem = isPrivateWith(*conversation, who);
        if (conversation->members()->remove(who) || withThem)
            conversation->addSystemLine(line);
    }
}

void MembershipTracker::onNickChange(const Message &message)
{
    const QString from = ircText(message.sourceNick());
    const QString to = ircText(message.param(0));
    if (m_network.isSelf(from)) {
        for (int row = 0; row < m_conversations.count(); ++row)
            m_conversations.at(row)->members()->rename(from, to);
        m_network.setNick(to);
        m_conversations.current()->addSystemLine(tr("You are now known as %1.").arg(to));
        return;
    }
    const QString line = tr("%1 is now known as %2.").arg(from, to);
    m_conversations.rename(from, to);
    for (int row = 0; row < m_conversations.count(); ++row) {
        Conversation *conversation = m_conversations.at(row);
        const bool withThem = isPrivateWith(*conversation, to);
        if (conversation->members()->rename(from, to) || withThem)
            conversation->addSystemLine(line);
    }
}

void MembershipTracker::onKick(const Message &message)
{
    // KICK <room> <nick> [:<reason>]
    const QString who = ircText(message.sourceNick());
    const QString room = ircText(message.param(0));
    const QString victim = ircText(message.param(1));
    const QString reason = ircText(message.param(2));
    const QString because = reason.isEmpty() || reason == who ? QString() : tr(" (%1)").arg(reason);
    if (m_network.isSelf(victim)) {
        leftRoom(room);
        conversationFor(room)->addSystemLine(tr("%1 put you out of %2%3.").arg(who, room, because),
                                             MessageModel::Kind::Error);
        return;
    }
    Conversation *conversation = joinedChannel(room);
    if (!conversation)
        return;
    conversation->members()->remove(victim);
    conversation->addSystemLine(tr("%1 put %2 out%3.").arg(who, victim, because));
}

void MembershipTracker::onMode(const Message &message)
{
    // MODE <target> <modestring> [<arguments>...]
    const QString who = ircText(message.sourceNick());
    const QString target = ircText(message.param(0));
    const QString modes = ircText(message.params.mid(1).join(' '));
    // A user's modes, or a room's we are not in: only told.
    Conversation *conversation = joinedChannel(target);
    if (!protocol::isChannelName(message.param(0)) || !conversation) {
        m_conversations.server()->addSystemLine(tr("%1 sets mode %2 on %3.").arg(who, modes, target));
        return;
    }
    const protocol::ChannelModeSyntax &syntax = m_network.modeSyntax();
    const auto changes = protocol::parseModeChanges(syntax, message.param(1), message.params.mid(2));
    for (const protocol::ModeChange &change : changes) {
        const char symbol = syntax.symbolFor(change.letter);
        if (symbol && change.param)
            conversation->members()->setMembership(ircText(*change.param), QLatin1Char(symbol), change.adding);
    }
    conversation->addSystemLine(tr("%1 sets mode %2.").arg(who, modes));
}

void MembershipTracker::onNames(const Message &message)
{
    // 353 <me> <symbol> <room> :<names>
    const QString room = ircText(message.param(2));
    if (!joinedChannel(room))
        return;
    QStringList &names = m_pendingNames[m_network.fold(room)];
    for (const QByteArray &name : message.param(3).split(' ')) {
        if (!name.isEmpty())
            names << ircText(name);
    }
}

void MembershipTracker::onEndOfNames(const Message &message)
{
    // 366 <me> <room> :End of /NAMES list
    const QString room = ircText(message.param(1));
    Conversation *conversation = joinedChannel(room);
    const QStringList names = m_pendingNames.take(m_network.fold(room));
    if (!conversation)
        return;
    UserModel &members = *conversation->members();
    members.setNames(names);
    if (m_listingRequested) {
        m_listingRequested = false;
        conversation->addSystemLine(tr("Online in %1 (%2): %3")
                                        .arg(room)
                                        .arg(members.count())
                                        .arg(members.namesWithPrefixes().join(QStringLiteral(", "))));
    }
}

} // namespace tktalk::client
