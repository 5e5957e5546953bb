// MODE: a channel's modes (the query, the +b/+e/+I lists, changes by channel operators) and a
// user's own modes. What each channel mode does is enforced in channelaccess.cpp.

#include "commands.h"

#include "channel.h"
#include "auditlog.h"
#include "channelaccess.h"
#include "clientsession.h"
#include "outgoing.h"
#include "protocol/limits.h"
#include "protocol/modes.h"
#include "protocol/names.h"
#include "replies.h"
#include "server.h"

#include <QDateTime>

#include <algorithm>

namespace tktalk::server::commands {

using protocol::ChannelModeSyntax;
using protocol::Message;
using protocol::ModeChange;
using protocol::ModeKind;
using protocol::Numeric;

namespace {

/// The largest +l: a limit beyond any real channel is a typing error.
constexpr int kMaxLimit = 100'000;

const ChannelModeSyntax &modeSyntax()
{
    static const ChannelModeSyntax syntax(ChannelModes::kChanmodes, ChannelModes::kPrefix);
    return syntax;
}

void sendChannelModeIs(ClientSession &client, const Channel &channel)
{
    // The key is the channel's secret: members see it, others only that there is one.
    client.sendNumeric(Numeric::RPL_CHANNELMODEIS,
                       QByteArrayList{channel.name()} + channel.modes().describe(client.isIn(&channel)));
    client.sendNumeric(Numeric::RPL_CREATIONTIME, {channel.name(), QByteArray::number(channel.createdAtSecs())});
}

/// 367/368 for b, 348/349 for e, 346/347 for I.
void sendMaskList(ClientSession &client, const Channel &channel, char letter)
{
    struct Numerics
    {
        Numeric entry;
        Numeric end;
        const char *endText;
    };
    const Numerics numerics = letter == 'b'   ? Numerics{Numeric::RPL_BANLIST, Numeric::RPL_ENDOFBANLIST,
                                                       "End of channel ban list"}
                              : letter == 'e' ? Numerics{Numeric::RPL_EXCEPTLIST, Numeric::RPL_ENDOFEXCEPTLIST,
                                                         "End of channel exception list"}
                                              : Numerics{Numeric::RPL_INVEXLIST, Numeric::RPL_ENDOFINVEXLIST,
                                                         "End of channel invite exception list"};
    for (const MaskListEntry &entry : channel.modes().list(letter)->entries())
        client.sendNumeric(numerics.entry,
                           {channel.name(), entry.mask.text(), entry.setBy, QByteArray::number(entry.setAtSecs)});
    client.sendNumeric(numerics.end, {channel.name(), numerics.endText});
}

/// Applies the channel-mode changes of one MODE command by a channel operator, one at a time, and
/// collects those that changed something, in the form the MODE broadcast shows them.
class ModeApplier
{
public:
    ModeApplier(ClientSession &client, Channel &channel)
        : m_client(client)
        , m_channel(channel)
    {}

    void apply(const ModeChange &change);
    const QList<ModeChange> &applied() const { return m_applied; }

private:
    void applyFlag(const ModeChange &change);
    void applyKey(const ModeChange &change);
    void applyLimit(const ModeChange &change);
    void applyList(const ModeChange &change);
    void applyMembership(const ModeChange &change);
    /// 696 with "*" for the parameter, as InspIRCd answers a mode letter without its parameter.
    void missingParameter(char letter);
    void record(bool adding, char letter, std::optional<QByteArray> param = std::nullopt)
    {
        m_applied << ModeChange{adding, letter, std::move(param)};
    }

    ClientSession &m_client;
    Channel &m_channel;
    QList<ModeChange> m_applied;
};

void ModeApplier::apply(const ModeChange &change)
{
    switch (modeSyntax().kind(change.letter)) {
    case ModeKind::Flag:
        applyFlag(change);
        return;
    case ModeKind::AlwaysParam:
        applyKey(change);
        return;
    case ModeKind::ParamWhenSet:
        applyLimit(change);
        return;
    case ModeKind::List:
        applyList(change);
        return;
    case ModeKind::Membership:
        applyMembership(change);
        return;
    case ModeKind::Unknown:
        return; // answered with 472 before any change was applied
    }
}

void ModeApplier::applyFlag(const ModeChange &change)
{
    const auto flag = ChannelModes::flagForLetter(change.letter);
    if (flag && m_channel.modes().setFlag(*flag, change.adding))
        record(change.adding, change.letter);
}

void ModeApplier::applyKey(const ModeChange &change)
{
    ChannelModes &modes = m_channel.modes();
    if (!change.adding) {
        // Any parameter removes the key (an operator may not know it any more); the MODE line shows
        // the key that was removed, as InspIRCd does: members knew it already.
        const QByteArray removed = modes.key();
        if (modes.setKey({}))
            record(false, 'k', removed);
        return;
    }
    if (!change.param) {
        missingParameter(change.letter);
        return;
    }
    if (!ChannelModes::isValidKey(*change.param)) {
        replies::invalidModeParam(m_client, m_channel.name(), 'k', *change.param,
                                  "Invalid key: 1 to " + QByteArray::number(ChannelModes::kMaxKeyBytes)
                                      + " bytes without spaces or commas");
        return;
    }
    if (modes.setKey(*change.param))
        record(true, 'k', *change.param);
}

void ModeApplier::applyLimit(const ModeChange &change)
{
    ChannelModes &modes = m_channel.modes();
    if (!change.adding) {
        if (modes.setLimit(0))
            record(false, 'l');
        return;
    }
    if (!change.param) {
        missingParameter(change.letter);
        return;
    }
    bool ok = false;
    const int limit = change.param->toInt(&ok);
    if (!ok || limit <= 0 || limit > kMaxLimit) {
        replies::invalidModeParam(m_client, m_channel.name(), 'l', *change.param,
                                  "Invalid limit: a number from 1 to " + QByteArray::number(kMaxLimit));
        return;
    }
    if (modes.setLimit(limit))
        record(true, 'l', QByteArray::number(limit));
}

void ModeApplier::applyList(const ModeChange &change)
{
    QByteArray why;
    const std::optional<BanMask> mask = BanMask::parse(*change.param, &why);
    if (!mask) {
        replies::invalidModeParam(m_client, m_channel.name(), change.letter, *change.param, why);
        return;
    }
    MaskList &list = *m_channel.modes().list(change.letter);
    if (!change.adding) {
        if (const std::optional<BanMask> removed = list.remove(*mask))
            record(false, change.letter, removed->text());
        return;
    }
    switch (list.add(*mask, m_client.nick(), QDateTime::currentSecsSinceEpoch())) {
    case MaskList::AddResult::Added:
        record(true, change.letter, mask->text());
        return;
    case MaskList::AddResult::AlreadyListed:
        return;
    case MaskList::AddResult::Full:
        m_client.sendNumeric(Numeric::ERR_BANLISTFULL,
                             {m_channel.name(), mask->text(),
                              "Channel list is full (" + QByteArray::number(MaskList::kMaxEntries) + " entries)"});
        return;
    }
}

void ModeApplier::applyMembership(const ModeChange &change)
{
    if (!change.param) {
        missingParameter(change.letter);
        return;
    }
    const ClientSession *target = m_client.server().registry().findUser(*change.param);
    if (!target) {
        replies::noSuchNick(m_client, *change.param);
        return;
    }
    if (!target->isIn(&m_channel)) {
        replies::userNotInChannel(m_client, target->nick(), m_channel.name());
        return;
    }
    const auto status = change.letter == 'o' ? Channel::Status::Operator : Channel::Status::Voice;
    if (m_channel.setStatus(target, status, change.adding))
        record(change.adding, change.letter, target->nick());
}

void ModeApplier::missingParameter(char letter)
{
    replies::invalidModeParam(m_client, m_channel.name(), letter, "*", "You must give a parameter for this mode");
}

/// Sends the applied changes to every member, merged into as few MODE lines as MODES= and the line
/// limit allow.
void broadcastChanges(ClientSession &client, Channel &channel, const QList<ModeChange> &applied)
{
    // ":<prefix> MODE <channel> " and a ':' before the last parameter, within the line limit.
    const qsizetype room = protocol::kMaxLineBodyBytes - client.prefix().size() - channel.name().size() - 10;
    for (const QByteArrayList &line : protocol::formatModeLines(applied, ChannelModes::kMaxChangesPerLine, room)) {
        Outgoing mode(Message("MODE", QByteArrayList{channel.name()} + line, client.prefix()), client.account());
        channel.broadcast(mode);
        client.server().history().recordInChannel(channel, mode, client);
    }
}

/// A registered channel keeps its modes across restarts: stores them when @p applied changed any
/// but +o/+v (which the access list gives), and tells @p client if that failed.
void keepRegisteredModes(ClientSession &client, const Channel &channel, const QList<ModeChange> &applied)
{
    const bool changed = std::any_of(applied.cbegin(), applied.cend(), [](const ModeChange &change) {
        return modeSyntax().kind(change.letter) != ModeKind::Membership;
    });
    RegisteredChannels &registered = client.server().registeredChannels();
    if (!changed || !registered.find(channel.name()) || registered.setModes(channel.name(), channel.modes()))
        return;
    client.send(Message("NOTICE", {client.nick(), "The new modes of " + channel.name()
                                                      + " could not be stored; they will not survive a restart"},
                        client.server().name()));
}

void userMode(ClientSession &client, const Message &message)
{
    ClientSession *target = client.server().registry().findUser(message.params.at(0));
    if (!target) {
        replies::noSuchNick(client, message.params.at(0));
        return;
    }
    if (target != &client) {
        client.sendNumeric(Numeric::ERR_USERSDONTMATCH, {"Can't change mode for other users"});
        return;
    }
    if (message.params.size() == 1) {
        client.sendNumeric(Numeric::RPL_UMODEIS, {client.userModes()});
        return;
    }
    bool adding = true;
    bool unknown = false;
    QList<ModeChange> applied;
    for (char c : message.params.at(1)) {
        if (c == '+' || c == '-') {
            adding = c == '+';
        } else if (c == 'i') {
            if (client.isInvisible() != adding)
                applied << ModeChange{adding, c, std::nullopt};
            client.setInvisible(adding);
        } else if (c == 'w') {
            if (client.receivesWallops() != adding)
                applied << ModeChange{adding, c, std::nullopt};
            client.setReceivesWallops(adding);
        } else if (c == 'o') {
            // Only OPER gives +o (RFC 2812 3.1.5: a +o attempt is ignored); anyone may drop it.
            if (!adding && client.isOperator()) {
                applied << ModeChange{false, c, std::nullopt};
                client.server().auditLog().record(client.nick(), client.operAccount(), "DEOPER", "MODE -o");
                client.setOperAccount({});
            }
        } else {
            unknown = true;
        }
    }
    if (unknown)
        client.sendNumeric(Numeric::ERR_UMODEUNKNOWNFLAG, {"Unknown MODE flag"});
    if (!applied.isEmpty()) {
        const QByteArrayList line = protocol::formatModeLines(applied, 20, protocol::kMaxLineBodyBytes).value(0);
        Outgoing change(Message("MODE", QByteArrayList{client.nick()} + line, client.prefix()));
        client.deliver(change); // to each of the user's sessions
    }
}

} // namespace

void channelMode(ClientSession &client, Channel &channel, const Message &message, ModeAuthority authority)
{
    if (message.params.size() == 1) {
        sendChannelModeIs(client, channel);
        return;
    }
    // List queries and unknown letters are answered first; everything else is a change.
    QByteArray answered;
    QList<ModeChange> requested;
    for (const ModeChange &change : protocol::parseModeChanges(modeSyntax(), message.params.at(1),
                                                                message.params.mid(2))) {
        const ModeKind kind = modeSyntax().kind(change.letter);
        const bool query = kind == ModeKind::List && !change.param;
        if ((query || kind == ModeKind::Unknown) && answered.contains(change.letter))
            continue;
        if (query) {
            sendMaskList(client, channel, change.letter);
            answered += change.letter;
        } else if (kind == ModeKind::Unknown) {
            replies::unknownMode(client, change.letter);
            answered += change.letter;
        } else {
            requested << change;
        }
    }
    if (requested.isEmpty())
        return;
    if (authority != ModeAuthority::ServerOperator && !channel.isOperator(&client)) {
        replies::chanOpPrivsNeeded(client, channel.name());
        return;
    }
    ModeApplier applier(client, channel);
    for (const ModeChange &change : std::as_const(requested))
        applier.apply(change);
    broadcastChanges(client, channel, applier.applied());
    keepRegisteredModes(client, channel, applier.applied());
}

// MODE <channel> [<modestring> [<arguments>...]] | MODE <nick> [<modestring>]
void mode(ClientSession &client, const Message &message)
{
    if (!protocol::isChannelName(message.params.at(0))) {
        userMode(client, message);
        return;
    }
    Channel *channel = access::findVisible(client.server().registry(), message.params.at(0), client);
    if (!channel) {
        replies::noSuchChannel(client, message.params.at(0));
        return;
    }
    channelMode(client, *channel, message, ModeAuthority::ChannelOperator);
}

} // namespace tktalk::server::commands
