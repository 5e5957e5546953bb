#pragma once

#include "testircclient.h"

#include <QSslCertificate>

#include <initializer_list>
#include <memory>

namespace tktalk::test {

class ServerProcess;
class TestServer;

/// A client registered as @p nick on @p server (in the default channel) after `CAP REQ` @p caps
/// (no negotiation at all when empty) and, when @p account is given, a SASL PLAIN login to it with
/// @p password (@p caps must then hold `sasl`); its cursor at the end. nullptr if any step failed.
std::unique_ptr<TestIrcClient> connectWithCaps(TestServer &server, const QByteArray &nick, const QByteArray &caps,
                                               const QByteArray &account = {}, const QByteArray &password = {});

/// Lets what the others' joins brought arrive, then starts every client from a clean slate.
bool settled(std::initializer_list<TestIrcClient *> clients);

/// A client registered as @p nick on the real server process @p server, which it trusts by
/// @p certificate (in the default channel); its cursor at the end. nullptr if it could not register.
std::unique_ptr<TestIrcClient> connectRegistered(const ServerProcess &server, const QSslCertificate &certificate,
                                                 const QByteArray &nick);

/// The text of the next NOTICE from @p service (NickServ, ChanServ) to @p client; the cursor
/// moves past it.
QByteArray serviceSays(TestIrcClient &client, const QByteArray &service);

} // namespace tktalk::test
