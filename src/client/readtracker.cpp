#include "readtracker.h"

#include "irctext.h"
#include "protocol/servertime.h"
#include "serverlink.h"

namespace tktalk::client {

using protocol::Message;

ReadTracker::ReadTracker(ServerLink &link, NetworkState &network, ConversationList &conversations, QObject *parent)
    : QObject(parent), m_link(link), m_network(network), m_conversations(conversations)
{
    m_markReadTimer.setSingleShot(true);
    m_markReadTimer.setInterval(kMarkReadDelayMs);
    connect(&m_markReadTimer, &QTimer::timeout, this, &ReadTracker::markCurrentRead);
    connect(&m_conversations, &ConversationList::currentChanged, this, &ReadTracker::onCurrentChanged);
}

bool ReadTracker::enabled() const
{
    return m_network.enabled("draft/read-marker") && !m_network.account().isEmpty();
}

bool ReadTracker::handle(const Message &message)
{
    // MARKREAD <target> timestamp=YYYY-MM-DDThh:mm:ss.sssZ, or * when none is known
    if (message.command != "MARKREAD")
        return false;
    Conversation *conversation = m_conversations.find(ircText(message.param(0)));
    const QByteArray &value = message.param(1);
    if (!conversation || !value.startsWith("timestamp="))
        return true;
    const std::optional<qint64> ms = protocol::parseServerTime(QByteArrayView(value).sliced(10));
    if (!ms)
        return true;
    const bool looking = lookedAt(conversation);
    conversation->setReadMarker(QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC), !looking);
    if (looking) {
        conversation->markRead();
        scheduleMarkRead();
    }
    return true;
}

void ReadTracker::setWindowActive(bool active)
{
    m_windowActive = active;
    if (active)
        scheduleMarkRead();
}

void ReadTracker::onLiveLine(Conversation *conversation)
{
    if (lookedAt(conversation))
        scheduleMarkRead();
}

void ReadTracker::onHistoryArrived(Conversation *conversation)
{
    // The lines that came may be after the read marker: unread, unless the user is looking.
    if (lookedAt(conversation))
        scheduleMarkRead();
    else if (conversation->readMarker().isValid())
        conversation->setReadMarker(conversation->readMarker(), true);
}

bool ReadTracker::lookedAt(const Conversation *conversation) const
{
    return m_windowActive && conversation == m_conversations.current();
}

void ReadTracker::scheduleMarkRead()
{
    if (enabled() && m_windowActive)
        m_markReadTimer.start();
}

void ReadTracker::markCurrentRead()
{
    Conversation *conversation = m_conversations.current();
    if (!enabled() || !m_windowActive || !m_link.online() || conversation->kind() == Conversation::Kind::Server)
        return;
    const QDateTime newest = conversation->messages()->newestTime();
    if (!newest.isValid() || (conversation->readMarker().isValid() && newest <= conversation->readMarker()))
        return;
    m_link.connection().send(Message(
        "MARKREAD", {conversation->name().toUtf8(), "timestamp=" + protocol::formatServerTime(newest.toMSecsSinceEpoch())}));
    conversation->setReadMarker(newest, false);
}

void ReadTracker::onCurrentChanged()
{
    Conversation *shown = m_conversations.current();
    if (m_shown && m_shown != shown)
        m_shown->messages()->setReadMarker(m_shown->readMarker());
    m_shown = shown;
    scheduleMarkRead();
}

} // namespace tktalk::client
