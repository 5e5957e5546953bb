#include "historyloader.h"

#include "conversation.h"

namespace tktalk::client {

using protocol::Message;

HistoryLoader::HistoryLoader(IrcConnection &connection)
    : m_connection(connection)
{}

void HistoryLoader::setServerLimit(int serverLimit)
{
    m_pageLines = serverLimit > 0 ? std::min(serverLimit, int(kPageLines)) : int(kPageLines);
}

void HistoryLoader::reset()
{
    m_waiting.clear();
    m_open.clear();
}

void HistoryLoader::request(const QString &target, const QByteArray &subcommand, const QByteArray &reference)
{
    m_connection.send(Message("CHATHISTORY", {subcommand, target.toUtf8(), reference, QByteArray::number(m_pageLines)}));
    m_waiting.append(Request{target, subcommand == "AFTER", subcommand == "BEFORE", 0});
}

void HistoryLoader::loadLatest(Conversation &conversation)
{
    if (!m_available || conversation.kind() == Conversation::Kind::Server)
        return;
    const QByteArray newest = conversation.messages()->lastMsgid();
    if (newest.isEmpty())
        request(conversation.name(), "LATEST", "*");
    else
        request(conversation.name(), "AFTER", "msgid=" + newest);
}

void HistoryLoader::loadOlder(Conversation &conversation)
{
    if (!m_available || conversation.kind() == Conversation::Kind::Server || conversation.historyComplete()
        || conversation.loadingOlder())
        return;
    const QByteArray oldest = conversation.messages()->firstMsgid();
    if (oldest.isEmpty()) {
        // Nothing of the server's shown yet: its latest lines are the older ones.
        request(conversation.name(), "LATEST", "*");
    } else {
        request(conversation.name(), "BEFORE", "msgid=" + oldest);
    }
    conversation.setHistoryState(true, false);
}

std::optional<HistoryLoader::Answered> HistoryLoader::onBatch(const Message &message)
{
    // BATCH +<ref> chathistory <target>   BATCH -<ref>
    const QByteArray &reference = message.param(0);
    if (reference.startsWith('+') && message.param(1) == "chathistory") {
        // The oldest request for that target. A chathistory batch nobody asked for (the messages
        // that waited for this user while they were away, sent at login) is not an answer: it is news.
        for (qsizetype i = 0; i < m_waiting.size(); ++i) {
            if (m_waiting.at(i).target.toUtf8().compare(message.param(2), Qt::CaseInsensitive) == 0) {
                m_open.insert(reference.mid(1), m_waiting.takeAt(i));
                break;
            }
        }
        return std::nullopt;
    }
    if (reference.startsWith('-')) {
        const auto open = m_open.constFind(reference.mid(1));
        if (open == m_open.cend())
            return std::nullopt;
        const Request done = *open;
        m_open.erase(open);
        return Answered{done.target, done.gapFill, done.lines < m_pageLines};
    }
    return std::nullopt;
}

std::optional<QString> HistoryLoader::onFail(const Message &message)
{
    // FAIL CHATHISTORY <code> <subcommand> [<target>] :<text>; refusals come in the order asked too.
    if (m_waiting.isEmpty())
        return std::nullopt;
    qsizetype which = 0;
    if (message.params.size() > 4) {
        for (qsizetype i = 0; i < m_waiting.size(); ++i) {
            if (m_waiting.at(i).target.toUtf8().compare(message.param(3), Qt::CaseInsensitive) == 0) {
                which = i;
                break;
            }
        }
    }
    return m_waiting.takeAt(which).target;
}

HistoryLoader::Line HistoryLoader::classify(const Message &message)
{
    const std::optional<QByteArray> batch = message.tag("batch");
    if (!batch)
        return Line::Live;
    auto open = m_open.find(*batch);
    if (open == m_open.end())
        return Line::Live;
    ++open->lines;
    return open->older ? Line::Older : Line::Newer;
}

} // namespace tktalk::client
