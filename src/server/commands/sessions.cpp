// Several devices, one account: a connection that logs in to an account whose user is online
// becomes another session of that user, with its nick and channels (docs/PROTOCOL.md, "Several
// devices, one account"). ClientSession and SessionGroup do the sharing; this decides when.

#include "commands.h"

#include "clientsession.h"
#include "logging.h"
#include "protocol/names.h"
#include "server.h"

namespace tktalk::server::commands {

ClientSession *userToAttachTo(ClientSession &client)
{
    const QByteArray &account = client.account();
    if (account.isEmpty() || client.server().config().maxSessionsPerAccount <= 1)
        return nullptr;
    // The account's user is the one holding the account's nickname while logged in to it: logging
    // in takes that nickname, and only its owner may keep it.
    ClientSession *user = client.server().registry().findUser(account);
    if (!user || user == &client || !protocol::equalsFolded(user->account(), account))
        return nullptr;
    return user;
}

void attachSession(ClientSession &client, ClientSession &user)
{
    const int limit = client.server().config().maxSessionsPerAccount;
    if (user.sessionCount() >= limit) {
        client.sendFail("*", "TOO_MANY_SESSIONS",
                        {client.account(), "The account " + client.account() + " is connected from "
                                               + QByteArray::number(limit)
                                               + " devices already, the most this server allows; close one first"});
        client.close("Too many sessions for account " + client.account());
        return;
    }
    client.attachTo(user);
    qCInfo(lcConnection).noquote() << "Registered" << client.host() << "as another session of" << user.nick()
                                   << "(account" << client.account() << "," << user.sessionCount() << "sessions)";
    sendWelcome(client);
    showChannelsToAttached(client, user);
}

} // namespace tktalk::server::commands
