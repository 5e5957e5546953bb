// What the server tells about itself: the welcome burst, ISUPPORT, LUSERS, MOTD, VERSION, TIME, ADMIN.

#include "commands.h"

#include "channelmodes.h"
#include "clientsession.h"
#include "history/history.h"
#include "monitors.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "server.h"

#include <QDateTime>

#include <algorithm>

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

/// ISUPPORT tokens per 005 line; clients accept up to 13 plus the target and text.
constexpr int kIsupportTokensPerLine = 12;

QByteArray versionString()
{
    return "tktalk-" + QByteArray(TKTALK_VERSION);
}

} // namespace

void sendWelcome(ClientSession &client)
{
    Server &server = client.server();
    client.sendNumeric(Numeric::RPL_WELCOME,
                       {"Welcome to the " + server.config().networkName + " IRC Network " + client.prefix()});
    client.sendNumeric(Numeric::RPL_YOURHOST,
                       {"Your host is " + server.name() + ", running version " + versionString()});
    client.sendNumeric(Numeric::RPL_CREATED,
                       {"This server was created " + server.startedAt().toString(Qt::RFC2822Date).toLatin1()});
    // Available user modes, channel modes, and the channel modes that take a parameter.
    client.sendNumeric(Numeric::RPL_MYINFO, {server.name(), versionString(), "iow", "beIiklmnostv", "beIklov"});
    sendIsupport(client);
    sendLusers(client);
    sendMotd(client);
}

void sendIsupport(ClientSession &client)
{
    using namespace protocol;
    const QByteArray maxList = QByteArray::number(server::MaskList::kMaxEntries);
    QByteArrayList tokens{
        "ACCOUNTEXTBAN=" + QByteArray(1, server::BanMask::kAccountExtban),
        "AWAYLEN=" + QByteArray::number(kMaxAwayBytes),
        "CASEMAPPING=" + QByteArray(kCasemappingName),
        "CHANLIMIT=#:" + QByteArray::number(client.server().config().maxChannelsPerUser),
        "CHANMODES=" + QByteArray(server::ChannelModes::kChanmodes),
        "CHANNELLEN=" + QByteArray::number(kMaxChannelBytes),
        "CHANTYPES=#",
        "CLIENTTAGDENY=", // every client-only tag is relayed (message-tags)
        "EXCEPTS=e",
        "EXTBAN=" + QByteArray(1, server::BanMask::kExtbanPrefix) + ',' + server::BanMask::kAccountExtban,
        "INVEX=I",
        "KEYLEN=" + QByteArray::number(server::ChannelModes::kMaxKeyBytes),
        "KICKLEN=" + QByteArray::number(kMaxKickBytes),
        "MAXLIST=b:" + maxList + ",e:" + maxList + ",I:" + maxList,
        "MAXTARGETS=4",
        "MODES=" + QByteArray::number(server::ChannelModes::kMaxChangesPerLine),
        "MONITOR=" + QByteArray::number(server::Monitors::kMaxTargets),
        "NAMELEN=" + QByteArray::number(kMaxRealNameBytes),
        "NETWORK=" + client.server().config().networkName,
        "NICKLEN=" + QByteArray::number(kMaxNickBytes),
        "PREFIX=" + QByteArray(server::ChannelModes::kPrefix),
        "TARGMAX=JOIN:,KICK:4,NAMES:1,NOTICE:4,PART:,PRIVMSG:4,TAGMSG:4,WHOIS:1",
        "TOPICLEN=" + QByteArray::number(kMaxTopicBytes),
        "USERLEN=" + QByteArray::number(kMaxUserBytes),
        "UTF8ONLY",
        "WHOX",
    };
    if (client.server().history().isOn()) {
        tokens << "CHATHISTORY=" + QByteArray::number(commands::kChatHistoryMaxLimit) << "MSGREFTYPES=timestamp,msgid";
        std::sort(tokens.begin(), tokens.end());
    }
    for (qsizetype i = 0; i < tokens.size(); i += kIsupportTokensPerLine) {
        QByteArrayList params = tokens.mid(i, kIsupportTokensPerLine);
        params << "are supported by this server";
        client.sendNumeric(Numeric::RPL_ISUPPORT, params);
    }
}

void sendLusers(ClientSession &client)
{
    Server &server = client.server();
    const QByteArray users = QByteArray::number(server.registry().userCount());
    client.sendNumeric(Numeric::RPL_LUSERCLIENT,
                       {"There are " + users + " users and 0 invisible on 1 servers"});
    // RFC 2812 3.4.2: 252 only when there are operators online, as 253 only for unknown connections.
    if (const qsizetype operators = server.registry().operatorCount(); operators > 0)
        client.sendNumeric(Numeric::RPL_LUSEROP, {QByteArray::number(operators), "operator(s) online"});
    const qsizetype unknown = server.registry().unregisteredCount();
    if (unknown > 0)
        client.sendNumeric(Numeric::RPL_LUSERUNKNOWN, {QByteArray::number(unknown), "unknown connection(s)"});
    client.sendNumeric(Numeric::RPL_LUSERCHANNELS,
                       {QByteArray::number(server.registry().channels().size()), "channels formed"});
    client.sendNumeric(Numeric::RPL_LUSERME, {"I have " + users + " clients and 0 servers"});
    client.sendNumeric(Numeric::RPL_LOCALUSERS,
                       {users, QByteArray::number(server.config().maxClients),
                        "Current local users " + users + ", max " + QByteArray::number(server.config().maxClients)});
    client.sendNumeric(Numeric::RPL_GLOBALUSERS, {users, users, "Current global users " + users});
}

void sendMotd(ClientSession &client)
{
    Server &server = client.server();
    if (server.motd().isEmpty()) {
        client.sendNumeric(Numeric::ERR_NOMOTD, {"MOTD File is missing"});
        return;
    }
    client.sendNumeric(Numeric::RPL_MOTDSTART, {"- " + server.name() + " Message of the day - "});
    for (const QByteArray &line : server.motd())
        client.sendNumeric(Numeric::RPL_MOTD, {"- " + line.left(protocol::kMaxLineBodyBytes - 100)});
    client.sendNumeric(Numeric::RPL_ENDOFMOTD, {"End of /MOTD command."});
}

// MOTD [<target>]
void motd(ClientSession &client, const Message &)
{
    sendMotd(client);
}

// LUSERS
void lusers(ClientSession &client, const Message &)
{
    sendLusers(client);
}

// VERSION [<target>]
void version(ClientSession &client, const Message &)
{
    client.sendNumeric(Numeric::RPL_VERSION, {versionString(), client.server().name(), "TLS IRC server"});
    sendIsupport(client);
}

// TIME [<target>]
void time(ClientSession &client, const Message &)
{
    const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toLatin1();
    client.sendNumeric(Numeric::RPL_TIME, {client.server().name(), now});
}

// ADMIN [<target>]
void admin(ClientSession &client, const Message &)
{
    // RFC 2812 3.4.9 asks for these four lines; tktalk has no administrator settings to fill them.
    Server &server = client.server();
    client.sendNumeric(Numeric::RPL_ADMINME, {server.name(), "Administrative info"});
    client.sendNumeric(Numeric::RPL_ADMINLOC1, {"The " + server.config().networkName + " chat server"});
    client.sendNumeric(Numeric::RPL_ADMINLOC2, {"Running " + versionString()});
    client.sendNumeric(Numeric::RPL_ADMINEMAIL, {"No contact address is configured"});
}

} // namespace tktalk::server::commands
