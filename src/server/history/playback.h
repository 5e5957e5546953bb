#pragma once

#include <QByteArrayList>

namespace tktalk::server {

class ClientSession;

namespace playback {

/**
 * Playback on join (like InspIRCd's channel mode +H): the last messages of each of @p channels,
 * which @p client has just joined, sent to it in a `chathistory` batch per channel (plain lines if
 * it has no batch), at most ServerConfig::historyPlaybackLines of them, none older than
 * historyPlaybackAgeSecs. Only PRIVMSG and NOTICE: the client's own JOIN is not replayed. Nothing
 * for a client that negotiated draft/chathistory (it asks for what it wants), with playback or
 * history off. The history is read off the event loop: the client's next lines wait meanwhile
 * (ClientSession::holdForReply), so a labelled JOIN's batch holds the playback too.
 */
void onJoin(ClientSession &client, const QByteArrayList &channels);

} // namespace playback
} // namespace tktalk::server
