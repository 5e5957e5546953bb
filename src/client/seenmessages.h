#pragma once

#include <QByteArray>
#include <QQueue>
#include <QSet>

namespace tktalk::client {

/**
 * @brief The ids (IRCv3 msgid) of the messages shown lately.
 *
 * A server that keeps history plays a room's last lines back on every join, so after a reconnect
 * some of them are lines already on screen: their msgid says so. Only the last kRemembered ids are
 * kept; a server plays back far fewer.
 */
class SeenMessages
{
public:
    static constexpr qsizetype kRemembered = 5000;

    /// True the first time @p msgid is offered (it is remembered from then on); false after that.
    /// An empty id (a server without msgid) is always new.
    bool isNew(const QByteArray &msgid);

private:
    QSet<QByteArray> m_ids;
    QQueue<QByteArray> m_oldestFirst;
};

} // namespace tktalk::client
