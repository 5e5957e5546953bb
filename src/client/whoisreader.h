#pragma once

#include "ircconnection.h"

#include <QObject>
#include <QStringList>

namespace tktalk::client {

class ConversationList;

/**
 * @brief Shows the server's answer to WHOIS (the member menu's Info) as one line in the current
 * conversation: "bob (~bob@10.0.0.5, Bob Smith): in @#dev #lobby · on irc.example · logged in as
 * bob · away: lunch · idle 3 min". A nick that does not exist gets the server's 401, which the
 * session shows as an error.
 */
class WhoisReader : public QObject
{
    Q_OBJECT
public:
    WhoisReader(IrcConnection &connection, ConversationList &conversations, QObject *parent = nullptr);

private:
    void onMessage(const protocol::Message &message);
    /// Starts collecting the answer about @p nick (from its first line).
    void collect(const QString &nick);

    ConversationList &m_conversations;
    QString m_nick;      ///< whose answer is arriving; empty between answers
    QString m_identity;  ///< "user@host, real name"
    QStringList m_facts; ///< the other lines, in a few words each
};

} // namespace tktalk::client
