#include "replies.h"

#include "clientsession.h"

namespace tktalk::server::replies {

using protocol::Numeric;

namespace {

/// What a client sent, made fit to be a middle parameter of a reply: a trailing parameter may hold
/// spaces or start with ':', and echoing it as given would make a line that cannot be sent.
QByteArray subject(const QByteArray &given)
{
    if (given.isEmpty() || given.startsWith(':') || given.contains(' '))
        return QByteArrayLiteral("*");
    return given;
}

} // namespace

QByteArray middleParam(const QByteArray &given)
{
    return subject(given);
}

void noSuchNick(ClientSession &client, const QByteArray &nick)
{
    client.sendNumeric(Numeric::ERR_NOSUCHNICK, {subject(nick), "No such nick/channel"});
}

void noSuchChannel(ClientSession &client, const QByteArray &channel)
{
    client.sendNumeric(Numeric::ERR_NOSUCHCHANNEL, {subject(channel), "No such channel"});
}

void cannotSendToChannel(ClientSession &client, const QByteArray &channel, const QByteArray &why)
{
    client.sendNumeric(Numeric::ERR_CANNOTSENDTOCHAN, {channel, "Cannot send to channel (" + why + ")"});
}

void userNotInChannel(ClientSession &client, const QByteArray &nick, const QByteArray &channel)
{
    client.sendNumeric(Numeric::ERR_USERNOTINCHANNEL, {subject(nick), channel, "They aren't on that channel"});
}

void notOnChannel(ClientSession &client, const QByteArray &channel)
{
    client.sendNumeric(Numeric::ERR_NOTONCHANNEL, {subject(channel), "You're not on that channel"});
}

void userOnChannel(ClientSession &client, const QByteArray &nick, const QByteArray &channel)
{
    client.sendNumeric(Numeric::ERR_USERONCHANNEL, {nick, channel, "is already on channel"});
}

void needMoreParams(ClientSession &client, const QByteArray &command)
{
    client.sendNumeric(Numeric::ERR_NEEDMOREPARAMS, {command, "Not enough parameters"});
}

void unknownMode(ClientSession &client, char letter)
{
    // One byte of a multi-byte character, or a control, would make the reply invalid UTF-8 or unreadable.
    const bool printable = letter > ' ' && letter < 0x7f;
    client.sendNumeric(Numeric::ERR_UNKNOWNMODE,
                       {subject(printable ? QByteArray(1, letter) : QByteArray()), "is unknown mode char to me"});
}

void chanOpPrivsNeeded(ClientSession &client, const QByteArray &channel)
{
    client.sendNumeric(Numeric::ERR_CHANOPRIVSNEEDED, {channel, "You're not channel operator"});
}

void invalidModeParam(ClientSession &client, const QByteArray &target, char letter, const QByteArray &param,
                      const QByteArray &why)
{
    client.sendNumeric(Numeric::ERR_INVALIDMODEPARAM, {target, QByteArray(1, letter), subject(param), why});
}

} // namespace tktalk::server::replies
