#include "history.h"

#include "channel.h"
#include "clientsession.h"
#include "historydatabase.h"
#include "logging.h"
#include "messageids.h"
#include "outgoing.h"
#include "serverconfig.h"
#include "sqlitehistorystore.h"

#include <QDir>

namespace tktalk::server {

History::History(MessageIds &ids)
    : m_ids(ids)
{}

History::~History() = default;

bool History::open(const ServerConfig &config, QString *problem)
{
    if (!config.history)
        return true;
    auto store = std::make_unique<SqliteHistoryStore>();
    const QString path = QDir(config.dataDir).filePath(QString::fromLatin1(HistoryDatabase::kFileName));
    if (!store->open(path, problem))
        return false;
    m_store = std::move(store);
    return true;
}

void History::setStore(std::unique_ptr<HistoryStore> store)
{
    m_store = std::move(store);
}

HistoryEntry History::entryFor(Outgoing &message, const ClientSession &sender) const
{
    HistoryEntry entry;
    entry.msgid = message.msgid(m_ids);
    entry.timeMs = message.createdAtMs();
    entry.command = message.message().command;
    entry.senderNick = sender.nick();
    entry.senderAccount = sender.account();
    entry.line = message.line(Outgoing::Plain, m_ids);
    entry.clientTags = message.clientTagsWire();
    return entry;
}

void History::recordInChannel(const Channel &channel, Outgoing &message, const ClientSession &sender)
{
    if (!m_store)
        return;
    HistoryEntry entry = entryFor(message, sender);
    entry.target = channel.name();
    m_store->append(std::move(entry));
}

void History::recordInChannelsOf(const ClientSession &sender, Outgoing &message)
{
    if (!m_store || sender.channels().isEmpty())
        return;
    const HistoryEntry entry = entryFor(message, sender);
    for (const Channel *channel : sender.channels()) {
        HistoryEntry inChannel = entry;
        inChannel.target = channel->name();
        m_store->append(std::move(inChannel));
    }
}

void History::recordPrivate(const ClientSession &sender, const QByteArray &recipientAccount, Outgoing &message)
{
    if (!m_store || sender.account().isEmpty() || recipientAccount.isEmpty())
        return;
    HistoryEntry entry = entryFor(message, sender);
    entry.target = privateConversationKey(sender.account(), recipientAccount);
    entry.accountA = sender.account();
    entry.accountB = recipientAccount;
    m_store->append(std::move(entry));
}

} // namespace tktalk::server
