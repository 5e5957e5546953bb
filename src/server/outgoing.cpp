#include "outgoing.h"

#include <QDateTime>

namespace tktalk::server {

Outgoing::Outgoing(protocol::Message message)
    : m_message(std::move(message))
    , m_createdAtMs(QDateTime::currentMSecsSinceEpoch())
{}

const QByteArray &Outgoing::line(bool withServerTime)
{
    QByteArray &cached = withServerTime ? m_timed : m_plain;
    if (cached.isEmpty()) {
        if (withServerTime) {
            protocol::Message timed = m_message;
            const QByteArray time =
                QDateTime::fromMSecsSinceEpoch(m_createdAtMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
            timed.tags.prepend(protocol::Tag{"time", time});
            cached = timed.wireLine();
        } else {
            cached = m_message.wireLine();
        }
        // A message that cannot be serialised was built wrong by the server itself; sending nothing
        // is safer than sending half a line.
        Q_ASSERT(!cached.isEmpty());
    }
    return cached;
}

} // namespace tktalk::server
