#include "seenmessages.h"

namespace tktalk::client {

bool SeenMessages::isNew(const QByteArray &msgid)
{
    if (msgid.isEmpty())
        return true;
    if (m_ids.contains(msgid))
        return false;
    m_ids.insert(msgid);
    m_oldestFirst.enqueue(msgid);
    if (m_oldestFirst.size() > kRemembered)
        m_ids.remove(m_oldestFirst.dequeue());
    return true;
}

} // namespace tktalk::client
