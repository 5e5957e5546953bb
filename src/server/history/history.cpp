#include "history.h"

#include "channel.h"
#include "clientsession.h"
#include "historydatabase.h"
#include "logging.h"
#include "messageids.h"
#include "outgoing.h"
#include "protocol/names.h"
#include "replay.h"
#include "serverconfig.h"
#include "sqlitehistorystore.h"

#include <QDir>

#include <algorithm>

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

HistoryEntry History::privateEntryFor(Outgoing &message, const ClientSession &sender, const QByteArray &recipientAccount,
                                      const QByteArray &foldedRecipient) const
{
    HistoryEntry entry = entryFor(message, sender);
    entry.target = sender.privateKeyWith(foldedRecipient);
    entry.accountA = sender.account();
    entry.accountB = recipientAccount;
    return entry;
}

void History::recordPrivate(const ClientSession &sender, const ClientSession &recipient, Outgoing &message)
{
    if (!m_store || sender.account().isEmpty() || recipient.account().isEmpty())
        return;
    m_store->append(privateEntryFor(message, sender, recipient.account(), recipient.foldedAccount()));
}

void History::recordForOfflineAccount(const ClientSession &sender, const QByteArray &recipientAccount,
                                      Outgoing &message)
{
    if (!m_store || sender.account().isEmpty() || recipientAccount.isEmpty())
        return;
    HistoryEntry entry = privateEntryFor(message, sender, recipientAccount, protocol::foldCase(recipientAccount));
    entry.pendingFor = recipientAccount;
    m_store->append(std::move(entry));
}

void History::deliverWaiting(ClientSession &client)
{
    if (!m_store || client.account().isEmpty())
        return;
    const QByteArray account = client.account();
    HistoryStore *store = m_store.get();
    store->pending(account, &client, [&client, account, store](const HistoryResult &result) {
        if (result.entries.isEmpty() || client.account() != account)
            return;
        // One batch per conversation, in the order the messages came.
        QByteArrayList delivered;
        qsizetype first = 0;
        for (qsizetype i = 1; i <= result.entries.size(); ++i) {
            if (i < result.entries.size() && result.entries.at(i).senderNick == result.entries.at(first).senderNick)
                continue;
            const QList<HistoryEntry> group = result.entries.mid(first, i - first);
            replay::sendBatch(client, "chathistory", {group.first().senderNick}, group);
            for (const HistoryEntry &entry : group)
                delivered << entry.msgid;
            first = i;
        }
        store->markDelivered(account, delivered);
        qCInfo(lcAccounts).noquote() << "Delivered" << delivered.size() << "offline messages to" << account;
    });
}

} // namespace tktalk::server
