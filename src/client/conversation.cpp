#include "conversation.h"

namespace tktalk::client {

Conversation::Conversation(Kind kind, const QString &name, QObject *parent)
    : QObject(parent), m_kind(kind), m_name(name), m_messages(this), m_members(this)
{
    if (kind == Kind::Channel)
        m_channel = new ChannelState(*this);
}

void Conversation::setName(const QString &name)
{
    if (m_name == name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
}

void Conversation::setJoined(bool joined)
{
    if (m_joined == joined)
        return;
    m_joined = joined;
    if (!joined)
        m_members.clear();
    Q_EMIT joinedChanged();
}

void Conversation::addUnread(bool mention)
{
    ++m_unread;
    if (mention)
        ++m_mentions;
    Q_EMIT unreadChanged();
}

void Conversation::markRead()
{
    if (m_unread == 0 && m_mentions == 0)
        return;
    m_unread = 0;
    m_mentions = 0;
    Q_EMIT unreadChanged();
}

void Conversation::setReadMarker(const QDateTime &marker, bool moveMark)
{
    if (!marker.isValid() || (m_readMarker.isValid() && marker < m_readMarker))
        return;
    const bool changed = marker != m_readMarker;
    m_readMarker = marker;
    if (moveMark)
        m_messages.setReadMarker(marker);
    const auto [unread, mentions] = m_messages.countAfter(marker);
    if (unread != m_unread || mentions != m_mentions) {
        m_unread = unread;
        m_mentions = mentions;
        Q_EMIT unreadChanged();
    }
    if (changed)
        Q_EMIT readMarkerChanged();
}

void Conversation::setHistoryState(bool loadingOlder, bool complete)
{
    if (m_loadingOlder == loadingOlder && m_historyComplete == complete)
        return;
    m_loadingOlder = loadingOlder;
    m_historyComplete = complete;
    if (!loadingOlder)
        m_olderRow = -1;
    Q_EMIT historyChanged();
}

void Conversation::addOlderLine(MessageModel::Entry entry)
{
    if (m_olderRow < 0)
        m_olderRow = std::max(0, m_messages.firstMsgidRow());
    m_messages.insertAt(m_olderRow++, std::move(entry));
}

void Conversation::setMuted(bool muted)
{
    if (m_muted == muted)
        return;
    m_muted = muted;
    Q_EMIT mutedChanged();
}

void Conversation::addSystemLine(const QString &text, MessageModel::Kind kind)
{
    MessageModel::Entry entry;
    entry.kind = kind;
    entry.text = text;
    m_messages.append(std::move(entry));
}

void Conversation::setTypists(const QStringList &typists)
{
    if (m_typists == typists)
        return;
    m_typists = typists;
    Q_EMIT typingChanged();
}

QString Conversation::typingText() const
{
    switch (m_typists.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(m_typists.at(0));
    case 2:
        return tr("%1 and %2 are typing…").arg(m_typists.at(0), m_typists.at(1));
    case 3:
        return tr("%1, %2 and %3 are typing…").arg(m_typists.at(0), m_typists.at(1), m_typists.at(2));
    default:
        return tr("Several people are typing…");
    }
}

} // namespace tktalk::client
