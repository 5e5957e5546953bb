#include "whoisreader.h"

#include "conversationlist.h"
#include "irctext.h"

#include <QDateTime>

namespace tktalk::client {

namespace {

/// "45 s", "3 min", "2 h 5 min", "4 days".
QString duration(qint64 seconds)
{
    if (seconds < 60)
        return WhoisReader::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return WhoisReader::tr("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return WhoisReader::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return WhoisReader::tr("%1 days").arg(seconds / 86400);
}

} // namespace

WhoisReader::WhoisReader(IrcConnection &connection, ConversationList &conversations, QObject *parent)
    : QObject(parent), m_conversations(conversations)
{
    connect(&connection, &IrcConnection::messageReceived, this, &WhoisReader::onMessage);
}

void WhoisReader::collect(const QString &nick)
{
    if (m_nick.compare(nick, Qt::CaseInsensitive) == 0)
        return;
    m_nick = nick;
    m_identity.clear();
    m_facts.clear();
}

void WhoisReader::onMessage(const protocol::Message &message)
{
    // <numeric> <me> <nick> ...
    const QByteArray &numeric = message.command;
    const QString nick = ircText(message.param(1));
    if (numeric == "311") { // <nick> <user> <host> * :<real name>
        collect(nick);
        m_identity = tr("%1@%2, %3").arg(ircText(message.param(2)), ircText(message.param(3)),
                                         stripFormatting(ircText(message.param(5))));
    } else if (numeric == "319") { // <nick> :{[prefix]<channel> }
        collect(nick);
        m_facts << tr("in %1").arg(ircText(message.param(2)).trimmed());
    } else if (numeric == "312") { // <nick> <server> :<description>
        collect(nick);
        m_facts << tr("on %1").arg(ircText(message.param(2)));
    } else if (numeric == "313") {
        collect(nick);
        m_facts << tr("an IRC operator");
    } else if (numeric == "330") { // <nick> <account> :is logged in as
        collect(nick);
        m_facts << tr("logged in as %1").arg(ircText(message.param(2)));
    } else if (numeric == "301" && !m_nick.isEmpty() && m_nick.compare(nick, Qt::CaseInsensitive) == 0) {
        // Only inside an answer: a 301 after a private message says the same, and is the tracker's.
        m_facts << tr("away: %1").arg(stripFormatting(ircText(message.param(2))));
    } else if (numeric == "671") {
        collect(nick);
        m_facts << tr("secure connection");
    } else if (numeric == "317") { // <nick> <idle seconds> <signon> :...
        collect(nick);
        const QString signOn = QDateTime::fromSecsSinceEpoch(message.param(3).toLongLong())
                                   .toLocalTime()
                                   .toString(QStringLiteral("yyyy-MM-dd hh:mm"));
        m_facts << tr("idle %1, online since %2").arg(duration(message.param(2).toLongLong()), signOn);
    } else if (numeric == "318") { // <nick> :End of /WHOIS list.
        if (m_nick.isEmpty() || m_nick.compare(nick, Qt::CaseInsensitive) != 0)
            return; // nothing came (401 said why)
        const QString who = m_identity.isEmpty() ? m_nick : tr("%1 (%2)").arg(m_nick, m_identity);
        const QString line = m_facts.isEmpty() ? who : tr("%1: %2").arg(who, m_facts.join(QStringLiteral(" · ")));
        m_conversations.current()->addSystemLine(line);
        m_nick.clear();
    }
}

} // namespace tktalk::client
