#include "outgoing.h"

#include "messageids.h"
#include "protocol/servertime.h"

#include <QDateTime>

namespace tktalk::server {

Outgoing::Outgoing(protocol::Message message, QByteArray senderAccount)
    : m_message(std::move(message))
    , m_account(std::move(senderAccount))
    , m_createdAtMs(QDateTime::currentMSecsSinceEpoch())
{}

Outgoing::Tagged &Outgoing::tagged()
{
    if (!m_tagged)
        m_tagged = std::make_unique<Tagged>();
    return *m_tagged;
}

void Outgoing::setClientTags(const protocol::Message &message)
{
    for (const protocol::Tag &tag : message.tags) {
        if (tag.key.startsWith('+'))
            tagged().clientTags.append(tag);
    }
}

QByteArray Outgoing::clientTagsWire() const
{
    QByteArray wire;
    if (!m_tagged)
        return wire;
    for (const protocol::Tag &tag : m_tagged->clientTags) {
        if (!wire.isEmpty())
            wire += ';';
        wire += tag.key;
        if (!tag.value.isEmpty())
            wire += '=' + protocol::escapeTagValue(tag.value);
    }
    return wire;
}

quint64 Outgoing::msgidCounter(MessageIds &ids)
{
    if (m_msgidCounter == 0)
        m_msgidCounter = ids.draw();
    return m_msgidCounter;
}

const QByteArray &Outgoing::msgid(MessageIds &ids)
{
    if (m_msgid.isEmpty())
        m_msgid = ids.idOf(msgidCounter(ids));
    return m_msgid;
}

QByteArrayView Outgoing::msgidView(MessageIds &ids, MessageIds::Text &storage)
{
    if (!m_msgid.isEmpty())
        return m_msgid;
    storage = ids.textOf(msgidCounter(ids));
    return storage.view();
}

const QByteArray &Outgoing::line(int variant, MessageIds &ids)
{
    if (m_account.isEmpty())
        variant &= ~WithAccount; // nothing to add: share the line without the tag
    QByteArray &cached =
        variant < kUntaggedVariants ? m_lines[size_t(variant)] : tagged().lines[size_t(variant - kUntaggedVariants)];
    if (cached.isEmpty()) {
        if (variant == Plain) {
            cached = m_message.wireLine();
        } else {
            // Server tags first, then the client's: theirs cannot push ours past the tag limit.
            protocol::Message withTags = m_message;
            if (variant & WithTime)
                withTags.tags.append(protocol::Tag{"time", protocol::formatServerTime(m_createdAtMs)});
            if (variant & WithMessageTags)
                withTags.tags.append(protocol::Tag{"msgid", msgid(ids)});
            if (variant & WithAccount)
                withTags.tags.append(protocol::Tag{"account", m_account});
            if (variant & WithMessageTags)
                withTags.tags.append(m_tagged->clientTags);
            cached = withTags.wireLine();
        }
        // A message that cannot be serialised was built wrong by the server itself; sending nothing
        // is safer than sending half a line.
        Q_ASSERT(!cached.isEmpty());
    }
    return cached;
}

} // namespace tktalk::server
