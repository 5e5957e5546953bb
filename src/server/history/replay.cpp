#include "replay.h"

#include "clientsession.h"
#include "protocol/message.h"
#include "protocol/servertime.h"
#include "server.h"

namespace tktalk::server::replay {

QByteArray line(const HistoryEntry &entry, const ClientSession &client, const QByteArray &batchId)
{
    QByteArray tags;
    auto add = [&tags](const QByteArray &tag) {
        tags += tags.isEmpty() ? '@' : ';';
        tags += tag;
    };
    if (!batchId.isEmpty())
        add("batch=" + batchId);
    if (client.hasCapability(Capability::ServerTime))
        add("time=" + protocol::formatServerTime(entry.timeMs));
    const bool messageTags = client.hasCapability(Capability::MessageTags);
    if (messageTags)
        add("msgid=" + protocol::escapeTagValue(entry.msgid));
    if (client.hasCapability(Capability::AccountTag) && !entry.senderAccount.isEmpty())
        add("account=" + protocol::escapeTagValue(entry.senderAccount));
    if (messageTags && !entry.clientTags.isEmpty())
        add(entry.clientTags);
    return tags.isEmpty() ? entry.line : tags + ' ' + entry.line;
}

void sendFramed(ClientSession &client, const QByteArray &type, const QByteArrayList &params,
                const std::function<void(const QByteArray &batchId)> &sendLines)
{
    if (!client.hasCapability(Capability::Batch)) {
        sendLines({});
        return;
    }
    const QByteArray &source = client.server().name();
    const QByteArray id = client.nextBatchId();
    client.send(protocol::Message("BATCH", QByteArrayList{'+' + id, type} + params, source));
    sendLines(id);
    client.send(protocol::Message("BATCH", {'-' + id}, source));
}

void sendBatch(ClientSession &client, const QByteArray &type, const QByteArrayList &params,
               const QList<HistoryEntry> &entries)
{
    sendFramed(client, type, params, [&client, &entries](const QByteArray &batchId) {
        for (const HistoryEntry &entry : entries)
            client.sendLine(line(entry, client, batchId));
    });
}

} // namespace tktalk::server::replay
