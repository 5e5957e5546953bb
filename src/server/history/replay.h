#pragma once

#include "historyentry.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QList>

#include <functional>

namespace tktalk::server {

class ClientSession;

namespace replay {

/// @p entry as @p client gets it: the stored line with the tags the client negotiated (server-time's
/// `time`, message-tags' `msgid` and the sender's client-only tags, account-tag's `account`), and
/// `batch=<batchId>` unless @p batchId is empty. The time is the original one.
QByteArray line(const HistoryEntry &entry, const ClientSession &client, const QByteArray &batchId);

/// The one framing of every batch the server sends: "BATCH +id <type> <params...>", then what
/// @p sendLines sends (it is given the id, to tag each line with `batch=<id>`), then "BATCH -id",
/// when @p client negotiated batch; else just the lines, given an empty id. No lines still make an
/// (empty) batch.
void sendFramed(ClientSession &client, const QByteArray &type, const QByteArrayList &params,
                const std::function<void(const QByteArray &batchId)> &sendLines);

/// Sends @p entries, oldest first, to @p client, framed by sendFramed().
void sendBatch(ClientSession &client, const QByteArray &type, const QByteArrayList &params,
               const QList<HistoryEntry> &entries);

} // namespace replay
} // namespace tktalk::server
