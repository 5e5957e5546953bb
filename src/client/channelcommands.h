#pragma once

#include "inputparser.h"
#include "protocol/message.h"

#include <QList>

namespace tktalk::client {

/// @brief The IRC lines a room command stands for, or, when it cannot be sent, why.
struct ChannelCommandLines
{
    QList<protocol::Message> messages;
    QString error; ///< a sentence for the user; empty when there are messages to send
};

/**
 * The standard IRC for `/op`, `/deop`, `/voice`, `/devoice`, `/ban`, `/unban`, `/kick`, `/mode`,
 * `/topic` and `/invite`, in the room the command names or else @p currentRoom. Mode changes go
 * in as few MODE lines as the server's @p maxModesPerLine (ISUPPORT MODES) allows: `/op a b` is
 * `MODE #room +oo a b`. `/mode` is about the room unless a nick comes first followed by modes, or
 * the nick is @p ownNick (`/mode alice +i`, `/mode alice`); `/mode b` lists the room's bans. The
 * server checks who may do what and answers with the usual numerics.
 */
ChannelCommandLines channelCommandLines(const InputCommand &command, const QString &currentRoom,
                                        int maxModesPerLine, const QString &ownNick = {});

} // namespace tktalk::client
