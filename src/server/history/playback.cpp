#include "playback.h"

#include "clientsession.h"
#include "replay.h"
#include "server.h"

#include <QDateTime>

#include <memory>

namespace tktalk::server::playback {

void onJoin(ClientSession &client, const QByteArrayList &channels)
{
    Server &server = client.server();
    const ServerConfig &config = server.config();
    if (channels.isEmpty() || !server.history().isOn() || config.historyPlaybackLines <= 0
        || client.hasCapability(Capability::ChatHistory))
        return;
    // The answers come in the order the queries were made; the last one releases the client.
    auto found = std::make_shared<QList<QList<HistoryEntry>>>(channels.size());
    auto waiting = std::make_shared<qsizetype>(channels.size());
    client.holdForReply();
    for (qsizetype i = 0; i < channels.size(); ++i) {
        HistoryQuery query;
        query.target = channels.at(i);
        query.limit = config.historyPlaybackLines;
        query.notBeforeMs = QDateTime::currentMSecsSinceEpoch() - qint64(config.historyPlaybackAgeSecs) * 1000;
        server.history().store().query(query, &client, [&client, channels, found, waiting, i](const HistoryResult &result) {
            (*found)[i] = result.entries;
            if (--*waiting > 0)
                return;
            client.releaseWithReply([&client, &channels, &found] {
                for (qsizetype c = 0; c < channels.size(); ++c) {
                    if (!found->at(c).isEmpty())
                        replay::sendBatch(client, "chathistory", {channels.at(c)}, found->at(c));
                }
            });
        });
    }
}

} // namespace tktalk::server::playback
