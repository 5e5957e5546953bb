#pragma once

#include <QByteArray>

namespace tktalk::server {

class ClientSession;

/**
 * Typed builders for the error numerics that several commands share, so that each has one
 * wording and one parameter order (modern IRC's): handlers say what went wrong, not how it is spelt.
 */
namespace replies {

/// What a client sent, made fit to be a middle parameter of a reply ("*" if it cannot be).
QByteArray middleParam(const QByteArray &given);

void noSuchNick(ClientSession &client, const QByteArray &nick);                            // 401
void noSuchChannel(ClientSession &client, const QByteArray &channel);                      // 403
void cannotSendToChannel(ClientSession &client, const QByteArray &channel, const QByteArray &why); // 404
void userNotInChannel(ClientSession &client, const QByteArray &nick, const QByteArray &channel); // 441
void notOnChannel(ClientSession &client, const QByteArray &channel);                       // 442
void userOnChannel(ClientSession &client, const QByteArray &nick, const QByteArray &channel);    // 443
void needMoreParams(ClientSession &client, const QByteArray &command);                     // 461
void unknownMode(ClientSession &client, char letter);                                      // 472
void chanOpPrivsNeeded(ClientSession &client, const QByteArray &channel);                  // 482
/// 696 ERR_INVALIDMODEPARAM: <target> <mode letter> <parameter> :<why>
void invalidModeParam(ClientSession &client, const QByteArray &target, char letter, const QByteArray &param,
                      const QByteArray &why);

} // namespace replies
} // namespace tktalk::server
