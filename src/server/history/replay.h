#pragma once

#include "historyentry.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QList>

namespace tktalk::server {

class ClientSession;

namespace replay {

/// @p entry as @p client gets it: the stored line with the tags the client negotiated (server-time's
/// `time`, message-tags' `msgid` and the sender's client-only tags, account-tag's `account`), and
/// `batch=<batchId>` unless @p batchId is empty. The time is the original one.
QByteArray line(const HistoryEntry &entry, const ClientSession &client, const QByteArray &batchId);

/// Sends @p entries, oldest first, to @p client: in a batch "BATCH +id <type> <params...>" when
/// it negotiated batch, else one after the other. An empty list still makes an (empty) batch.
void sendBatch(ClientSession &client, const QByteArray &type, const QByteArrayList &params,
               const QList<HistoryEntry> &entries);

} // namespace replay
} // namespace tktalk::server
