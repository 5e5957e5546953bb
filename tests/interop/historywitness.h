#pragma once

#include "testircclient.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace tktalk::test {

/// One message as the server relayed it live: its text and the tags the history must keep.
struct SaidLine
{
    QByteArray text;
    QByteArray msgid;
    QByteArray time; ///< server-time, "2026-12-06T10:00:00.123Z"
};

/**
 * A scripted client on the server at @p port, registered as @p nick with echo-message, server-time
 * and message-tags, so that it sees what it says as the others get it; with @p password, it also
 * creates the account @p nick and is logged in to it. Null if any step failed.
 */
std::unique_ptr<TestIrcClient> connectWitness(quint16 port, const QByteArray &nick, const QByteArray &password = {});

/// @p speaker says each of @p texts to @p target, one after the other; how each was relayed
/// (empty if an echo did not come).
QList<SaidLine> say(TestIrcClient &speaker, const QByteArray &target, const QByteArrayList &texts);

} // namespace tktalk::test
