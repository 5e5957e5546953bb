#pragma once

#include "ircconnection.h"

#include <QHash>
#include <QString>

#include <optional>

namespace tktalk::client {

class Conversation;

/**
 * @brief Asks the server for a conversation's history (IRCv3 draft/chathistory) and tells which
 * lines that arrive are answers rather than live messages.
 *
 * Opening a conversation asks for its latest lines (LATEST), or, when it already shows some (after
 * a reconnect), for what came after the newest of them (AFTER); scrolling up asks for what came
 * before the oldest (BEFORE). Each answer is a `chathistory` batch; a batch shorter than asked for
 * means the conversation has no older lines. Against a server without draft/chathistory nothing is
 * asked, and the conversations show live messages only.
 */
class HistoryLoader
{
public:
    /// Lines asked for at a time, when the server names no smaller limit.
    static constexpr int kPageLines = 50;

    explicit HistoryLoader(IrcConnection &connection);

    /// The server acknowledged draft/chathistory (and batch); @p serverLimit is its CHATHISTORY=
    /// value, 0 when it gave none.
    void setAvailable(bool available) { m_available = available; }
    void setServerLimit(int serverLimit);
    bool available() const { return m_available; }
    /// Forgets the batches under way: a new connection.
    void reset();

    /// The latest lines of @p conversation, or those after its newest when it shows some.
    void loadLatest(Conversation &conversation);
    /// The lines before the oldest @p conversation shows; nothing when it has them all, or is
    /// already waiting for them.
    void loadOlder(Conversation &conversation);

    /// What an answer that ended was about.
    struct Answered
    {
        QString target;
        bool gapFill = false;  ///< an AFTER: says nothing about older lines
        bool complete = false; ///< shorter than asked for: nothing older is left
    };
    /// A BATCH line: opens one of the answers, or closes it (and says which).
    std::optional<Answered> onBatch(const protocol::Message &message);
    /// A FAIL CHATHISTORY: the request it refuses is dropped; returns its target.
    std::optional<QString> onFail(const protocol::Message &message);
    /// What @p message is: a live message, or a line of an answer (counted): newer lines (LATEST,
    /// AFTER), or older ones (BEFORE), which go before those shown.
    enum class Line { Live, Newer, Older };
    Line classify(const protocol::Message &message);

private:
    struct Request
    {
        QString target;
        bool gapFill = false; ///< AFTER
        bool older = false;   ///< BEFORE
        int lines = 0;        ///< answer lines seen so far
    };
    void request(const QString &target, const QByteArray &subcommand, const QByteArray &reference);

    IrcConnection &m_connection;
    bool m_available = false;
    int m_pageLines = kPageLines;
    QList<Request> m_waiting;          ///< asked for, their batch not yet opened; in order
    QHash<QByteArray, Request> m_open; ///< by batch reference
};

} // namespace tktalk::client
