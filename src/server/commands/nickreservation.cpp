// Registered nicknames belong to their accounts. Someone else using one is warned and, after a
// grace period without logging in, renamed to a guest name (or refused at once when the grace
// period is 0). The owner logging in takes the nickname back from whoever holds it without being
// logged in to the account.

#include "commands.h"

#include "accounts/accountstore.h"
#include "clientsession.h"
#include "logging.h"
#include "outgoing.h"
#include "protocol/names.h"
#include "server.h"

#include <QRandomGenerator>
#include <QTimer>

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

constexpr int kGuestNumberMin = 10'000;
constexpr int kGuestNumberMax = 100'000;

QByteArray freeGuestNick(Registry &registry)
{
    while (true) {
        const QByteArray nick =
            "Guest" + QByteArray::number(QRandomGenerator::global()->bounded(kGuestNumberMin, kGuestNumberMax));
        if (!registry.findClient(nick))
            return nick;
    }
}

void sendNotice(ClientSession &client, const QByteArray &text)
{
    client.send(Message("NOTICE", {client.replyTarget(), text}, client.server().name()));
}

} // namespace

bool isReservedAgainst(ClientSession &client, const QByteArray &nick)
{
    if (nick.isEmpty())
        return false;
    if (!client.account().isEmpty() && protocol::foldCase(client.account()) == protocol::foldCase(nick))
        return false;
    return client.server().accountStore().exists(nick);
}

bool prepareNickClaim(ClientSession &client, const QByteArray &nick)
{
    ClientSession *holder = client.server().registry().findClient(nick);
    const bool owner = !client.account().isEmpty() && protocol::foldCase(client.account()) == protocol::foldCase(nick);
    if (owner) {
        if (holder && holder != &client && isReservedAgainst(*holder, nick)) {
            qCInfo(lcAccounts).noquote() << "Took" << nick << "back for its owner from" << holder->host();
            renameToGuest(*holder, "The owner of the nickname " + nick + " has logged in");
        }
        return true;
    }
    if (client.isRegistered() && client.server().config().nickGraceMs == 0 && isReservedAgainst(client, nick)) {
        client.sendNumeric(Numeric::ERR_NICKNAMEINUSE,
                           {nick, "Nickname is reserved by a registered account; log in to use it"});
        return false;
    }
    return true;
}

void guardNick(ClientSession &client)
{
    const quint64 generation = ++client.auth().nickGuardGeneration;
    if (!client.isRegistered() || !isReservedAgainst(client, client.nick()))
        return;
    const int graceMs = client.server().config().nickGraceMs;
    if (graceMs <= 0) {
        renameToGuest(client, "The nickname " + client.nick() + " is registered; log in to its account to use it");
        return;
    }
    sendNotice(client, "The nickname " + client.nick() + " is registered to an account. Log in to it (SASL) or "
                           "change your nickname within " + QByteArray::number((graceMs + 999) / 1000)
                           + " seconds, or you will be renamed to a guest name.");
    QTimer::singleShot(graceMs, &client, [&client, generation] {
        if (client.auth().nickGuardGeneration == generation && client.state() == ClientSession::State::Registered
            && isReservedAgainst(client, client.nick())) {
            renameToGuest(client, "You did not log in to the account that owns the nickname " + client.nick());
        }
    });
}

void renameToGuest(ClientSession &client, const QByteArray &why)
{
    Registry &registry = client.server().registry();
    const QByteArray guest = freeGuestNick(registry);
    registry.claimNick(&client, client.nick(), guest);
    sendNotice(client, why + "; you are now " + guest + ".");
    ++client.auth().nickGuardGeneration;
    if (client.isRegistered()) {
        Outgoing change(Message("NICK", {guest}, client.prefix()), client.account());
        client.deliver(change);
        registry.forEachPeer(client, [&change](ClientSession &peer) { peer.deliver(change); });
        client.server().history().recordInChannelsOf(client, change);
    } else {
        client.send(Message("NICK", {guest}, client.prefix()));
    }
    qCInfo(lcAccounts).noquote() << "Renamed" << client.nick() << "to" << guest << "(registered nickname)";
    const QByteArray oldNick = client.nick();
    client.setNick(guest);
    if (client.isRegistered())
        registry.monitors().announceNickChange(client, oldNick);
}

} // namespace tktalk::server::commands
