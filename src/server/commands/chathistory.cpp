// CHATHISTORY <subcommand> <target> <reference> [<reference>] <limit>  (IRCv3 draft/chathistory)
//   subcommands: BEFORE, AFTER, LATEST, AROUND, BETWEEN; TARGETS <timestamp> <timestamp> <limit>
//   references: timestamp=YYYY-MM-DDThh:mm:ss.sssZ, msgid=<id>, and "*" for LATEST

#include "commands.h"

#include "accounts/accountstore.h"
#include "channel.h"
#include "clientsession.h"
#include "history/history.h"
#include "history/replay.h"
#include "protocol/message.h"
#include "protocol/names.h"
#include "protocol/servertime.h"
#include "registeredchannels.h"
#include "registry.h"
#include "replies.h"
#include "server.h"

#include <QHash>

#include <optional>

namespace tktalk::server::commands {

using protocol::Message;

namespace {

/// Why a request is refused: a FAIL code and its context, the text last.
struct Refusal
{
    QByteArray code;
    QByteArrayList params;
};

void refuse(ClientSession &client, const Refusal &refusal)
{
    client.sendFail("CHATHISTORY", refusal.code, refusal.params);
}

/// One reference ("timestamp=...", "msgid=..."); a refusal naming it when it is not one.
std::optional<HistoryReference> parseReference(const QByteArray &subcommand, const QByteArray &text,
                                               bool timestampsOnly, Refusal *refusal)
{
    const QByteArray shown = replies::middleParam(text);
    if (text.startsWith("timestamp=")) {
        if (const auto ms = protocol::parseServerTime(QByteArrayView(text).sliced(10)))
            return HistoryReference::at(*ms);
        *refusal = {"INVALID_PARAMS", {subcommand, shown, "Timestamps are written timestamp=YYYY-MM-DDThh:mm:ss.sssZ"}};
        return std::nullopt;
    }
    if (text.startsWith("msgid=") && !timestampsOnly) {
        if (text.size() > 6)
            return HistoryReference::message(text.mid(6));
        *refusal = {"INVALID_PARAMS", {subcommand, shown, "The msgid reference has no message id"}};
        return std::nullopt;
    }
    if (text.contains('=')) {
        *refusal = {"INVALID_MSGREFTYPE", {subcommand, shown,
                    timestampsOnly ? QByteArray("TARGETS takes only timestamp= references")
                                   : QByteArray("Unsupported message reference type (use timestamp= or msgid=)")}};
        return std::nullopt;
    }
    *refusal = {"INVALID_PARAMS", {subcommand, shown, "Not a message reference (timestamp=... or msgid=...)"}};
    return std::nullopt;
}

/// A limit from 1 up; more than kChatHistoryMaxLimit is clamped to it.
std::optional<int> parseLimit(const QByteArray &subcommand, const QByteArray &text, Refusal *refusal)
{
    bool ok = false;
    const qlonglong limit = text.toLongLong(&ok);
    if (!ok || limit <= 0) {
        *refusal = {"INVALID_PARAMS", {subcommand, replies::middleParam(text), "The limit must be a number from 1 up"}};
        return std::nullopt;
    }
    return int(std::min<qlonglong>(limit, kChatHistoryMaxLimit));
}

bool sameName(const QByteArray &a, const QByteArray &b)
{
    return protocol::foldCase(a) == protocol::foldCase(b);
}

/**
 * The stored key of the conversation @p target that @p client may read: a channel it is in, or a
 * registered channel whose access list (founder included) has its account; a private conversation
 * between its account and the account @p target names (itself: notes to self). Nothing when it
 * may not, or when there is no such conversation: an outsider cannot tell which.
 */
std::optional<QByteArray> readableTarget(ClientSession &client, const QByteArray &target)
{
    Server &server = client.server();
    const QByteArray &account = client.account();
    if (target.startsWith('#')) {
        const Channel *channel = server.registry().findChannel(target);
        if (channel && client.isIn(channel))
            return channel->name();
        const RegisteredChannel *registered = server.registeredChannels().find(target);
        if (!registered || account.isEmpty())
            return std::nullopt;
        if (sameName(registered->founder, account) || registered->access.contains(protocol::foldCase(account)))
            return registered->name;
        return std::nullopt;
    }
    if (account.isEmpty())
        return std::nullopt; // guests have no private history
    QByteArray other;
    if (const ClientSession *user = server.registry().findUser(target); user && !user->account().isEmpty())
        other = user->account();
    else if (const auto stored = server.accountStore().find(target))
        other = stored->name;
    if (other.isEmpty())
        return std::nullopt;
    return privateConversationKey(account, other);
}

HistoryQuery::Selection selectionFor(const QByteArray &subcommand)
{
    using Selection = HistoryQuery::Selection;
    if (subcommand == "BEFORE")
        return Selection::Before;
    if (subcommand == "AFTER")
        return Selection::After;
    if (subcommand == "AROUND")
        return Selection::Around;
    if (subcommand == "BETWEEN")
        return Selection::Between;
    return Selection::Latest;
}

/// The parameters each subcommand takes after its name.
int paramsFor(const QByteArray &subcommand)
{
    if (subcommand == "BETWEEN")
        return 4;
    if (subcommand == "BEFORE" || subcommand == "AFTER" || subcommand == "AROUND" || subcommand == "LATEST"
        || subcommand == "TARGETS")
        return 3;
    return -1;
}

QByteArray messageErrorText(const QString &why)
{
    return "Messages could not be retrieved: " + why.toUtf8();
}

void sendTargets(ClientSession &client, const HistoryTargetsResult &result, const QHash<QByteArray, QByteArray> &names)
{
    replay::sendFramed(client, "draft/chathistory-targets", {}, [&](const QByteArray &batchId) {
        const QByteArray &source = client.server().name();
        for (const HistoryTarget &target : result.targets) {
            Message line("CHATHISTORY", {"TARGETS", names.value(target.target, target.target),
                                          protocol::formatServerTime(target.latestMs)}, source);
            if (!batchId.isEmpty())
                line.tags.append({"batch", batchId});
            client.send(line);
        }
    });
}

void targets(ClientSession &client, const Message &message)
{
    Refusal refusal;
    const auto from = parseReference("TARGETS", message.params.at(1), true, &refusal);
    const auto to = from ? parseReference("TARGETS", message.params.at(2), true, &refusal) : std::nullopt;
    const auto limit = to ? parseLimit("TARGETS", message.params.at(3), &refusal) : std::nullopt;
    if (!limit)
        return refuse(client, refusal);
    HistoryTargetsQuery query;
    query.fromMs = from->timeMs;
    query.toMs = to->timeMs;
    query.limit = *limit;
    query.account = client.account();
    QHash<QByteArray, QByteArray> names; // stored (folded) channel key -> the channel's name
    for (const Channel *channel : client.channels()) {
        query.channels << channel->name();
        names.insert(protocol::foldCase(channel->name()), channel->name());
    }
    client.holdForReply();
    client.server().history().store().targets(query, &client, [&client, names](const HistoryTargetsResult &result) {
        client.releaseWithReply([&] {
            if (!result.error.isEmpty())
                refuse(client, {"MESSAGE_ERROR", {"TARGETS", "*", messageErrorText(result.error)}});
            else
                sendTargets(client, result, names);
        });
    });
}

} // namespace

void chathistory(ClientSession &client, const Message &message)
{
    const QByteArray subcommand = message.param(0).toUpper();
    const QByteArray shownSubcommand = message.params.isEmpty() ? QByteArray("*") : replies::middleParam(subcommand);
    const int needed = paramsFor(subcommand);
    if (message.params.isEmpty() || (needed > 0 && message.params.size() - 1 < needed))
        return refuse(client, {"NEED_MORE_PARAMS", {shownSubcommand, "Missing parameters"}});
    if (needed < 0)
        return refuse(client, {"UNKNOWN_COMMAND", {shownSubcommand, "Unknown command"}});
    if (!client.server().history().isOn())
        return refuse(client, {"MESSAGE_ERROR", {shownSubcommand, replies::middleParam(message.param(1)),
                                                 "History is off on this server"}});
    if (subcommand == "TARGETS")
        return targets(client, message);

    const QByteArray target = message.params.at(1);
    Refusal refusal;
    HistoryQuery query;
    query.selection = selectionFor(subcommand);
    const QByteArray &first = message.params.at(2);
    std::optional<HistoryReference> from;
    if (subcommand == "LATEST" && first == "*")
        from = HistoryReference::none();
    else
        from = parseReference(subcommand, first, false, &refusal);
    std::optional<HistoryReference> to = HistoryReference::none();
    if (from && subcommand == "BETWEEN")
        to = parseReference(subcommand, message.params.at(3), false, &refusal);
    const auto limit = from && to ? parseLimit(subcommand, message.params.at(needed), &refusal) : std::nullopt;
    if (!limit)
        return refuse(client, refusal);

    const auto key = readableTarget(client, target);
    if (!key)
        return refuse(client, {"INVALID_TARGET", {subcommand, replies::middleParam(target), "Messages could not be retrieved"}});
    query.target = *key;
    query.from = *from;
    query.to = *to;
    query.limit = *limit;
    query.withEvents = client.hasCapability(Capability::EventPlayback);
    client.holdForReply();
    client.server().history().store().query(query, &client, [&client, subcommand, target](const HistoryResult &result) {
        client.releaseWithReply([&] {
            if (!result.error.isEmpty())
                refuse(client, {"MESSAGE_ERROR", {subcommand, target, messageErrorText(result.error)}});
            else
                replay::sendBatch(client, "chathistory", {target}, result.entries);
        });
    });
}

} // namespace tktalk::server::commands
