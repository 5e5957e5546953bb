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

HistoryRecord History::recordFor(Outgoing &message, const ClientSession &sender, RecordStorage &storage) const
{
    // Views of what the message and its sender hold while it is relayed: nothing is copied
    // until the store packs it.
    HistoryRecord record;
    storage.clientTags = message.clientTagsWire();
    record.msgid = message.msgidView(m_ids, storage.msgid);
    record.timeMs = message.createdAtMs();
    record.command = message.message().command;
    record.senderNick = sender.nick();
    record.senderAccount = sender.account();
    record.line = message.line(Outgoing::Plain, m_ids);
    record.clientTags = storage.clientTags;
    return record;
}

void History::recordInChannel(const Channel &channel, Outgoing &message, const ClientSession &sender)
{
    if (!m_store)
        return;
    RecordStorage storage;
    HistoryRecord record = recordFor(message, sender, storage);
    record.target = channel.name();
    m_store->append(record);
}

void History::recordInChannelsOf(const ClientSession &sender, Outgoing &message)
{
    if (!m_store || sender.channels().isEmpty())
        return;
    RecordStorage storage;
    HistoryRecord record = recordFor(message, sender, storage);
    for (const Channel *channel : sender.channels()) {
        record.target = channel->name();
        m_store->append(record);
    }
}

HistoryRecord History::privateRecordFor(Outgoing &message, const ClientSession &sender, RecordStorage &storage,
                                        const QByteArray &recipientAccount, const QByteArray &foldedRecipient) const
{
    HistoryRecord record = recordFor(message, sender, storage);
    record.target = sender.privateKeyWith(foldedRecipient);
    record.accountA = sender.account();
    record.accountB = recipientAccount;
    return record;
}

void History::recordPrivate(const ClientSession &sender, const ClientSession &recipient, Outgoing &message)
{
    if (!m_store || sender.account().isEmpty() || recipient.account().isEmpty())
        return;
    RecordStorage storage;
    m_store->append(privateRecordFor(message, sender, storage, recipient.account(), recipient.foldedAccount()));
}

void History::recordForOfflineAccount(const ClientSession &sender, const QByteArray &recipientAccount,
                                      Outgoing &message)
{
    if (!m_store || sender.account().isEmpty() || recipientAccount.isEmpty())
        return;
    RecordStorage storage;
    const QByteArray foldedRecipient = protocol::foldCase(recipientAccount);
    HistoryRecord record = privateRecordFor(message, sender, storage, recipientAccount, foldedRecipient);
    record.pendingFor = recipientAccount;
    m_store->append(record);
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
