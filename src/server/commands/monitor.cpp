// MONITOR: IRCv3 notification of when nicknames come online and go offline.

#include "commands.h"

#include "clientsession.h"
#include "commands/replies.h"
#include "monitors.h"
#include "protocol/limits.h"
#include "protocol/names.h"
#include "server.h"

namespace tktalk::server::commands {

using protocol::Message;
using protocol::Numeric;

namespace {

/// Sends @p items, comma-separated, in as few @p numeric lines as fit the line limit.
void sendCommaLines(ClientSession &client, Numeric numeric, const QByteArrayList &items)
{
    // ":server NNN nick :" and CR LF are the fixed part of each line.
    const qsizetype budget =
        protocol::kMaxLineBodyBytes - client.server().name().size() - client.replyTarget().size() - 10;
    QByteArray line;
    for (const QByteArray &item : items) {
        if (!line.isEmpty() && line.size() + 1 + item.size() > budget) {
            client.sendNumeric(numeric, {line});
            line.clear();
        }
        if (!line.isEmpty())
            line += ',';
        line += item;
    }
    if (!line.isEmpty())
        client.sendNumeric(numeric, {line});
}

/// 730 for those of @p nicks online (as nick!user@host), 731 for the others.
void sendStatus(ClientSession &client, const QByteArrayList &nicks)
{
    Registry &registry = client.server().registry();
    QByteArrayList online;
    QByteArrayList offline;
    for (const QByteArray &nick : nicks) {
        if (const ClientSession *user = registry.findUser(nick))
            online << user->prefix();
        else
            offline << nick;
    }
    sendCommaLines(client, Numeric::RPL_MONONLINE, online);
    sendCommaLines(client, Numeric::RPL_MONOFFLINE, offline);
}

QByteArrayList splitTargets(const QByteArray &list)
{
    QByteArrayList targets = list.split(',');
    targets.removeAll(QByteArray());
    return targets;
}

void addTargets(ClientSession &client, const QByteArrayList &targets)
{
    Monitors &monitors = client.server().registry().monitors();
    QByteArrayList added;
    QByteArrayList invalid;
    for (qsizetype i = 0; i < targets.size(); ++i) {
        const QByteArray &nick = targets.at(i);
        if (!protocol::isValidNick(nick)) {
            invalid << nick;
            continue;
        }
        if (monitors.count(&client) >= Monitors::kMaxTargets && !monitors.isWatching(&client, nick)) {
            // The rest, as given, could not be added; those before it were.
            client.sendNumeric(Numeric::ERR_MONLISTFULL, {QByteArray::number(Monitors::kMaxTargets),
                                                         targets.mid(i).join(','), "Monitor list is full."});
            break;
        }
        monitors.add(&client, nick);
        added << nick;
    }
    if (!invalid.isEmpty()) {
        client.send(Message("WARN", {"MONITOR", "INVALID_PARAMS", replies::middleParam(invalid.join(',')),
                                     "Not valid nicknames, so not monitored"},
                            client.server().name()));
    }
    sendStatus(client, added);
}

} // namespace

// MONITOR + <target>{,<target>} | MONITOR - <target>{,<target>} | MONITOR C | MONITOR L | MONITOR S
void monitor(ClientSession &client, const Message &message)
{
    Monitors &monitors = client.server().registry().monitors();
    const QByteArray modifier = message.params.at(0).toUpper();
    if (modifier == "+" || modifier == "-") {
        const QByteArrayList targets = splitTargets(message.param(1));
        if (targets.isEmpty()) {
            replies::needMoreParams(client, message.command);
            return;
        }
        if (modifier == "+") {
            addTargets(client, targets);
            return;
        }
        for (const QByteArray &nick : targets)
            monitors.remove(&client, nick);
    } else if (modifier == "C") {
        monitors.clear(&client);
    } else if (modifier == "L") {
        sendCommaLines(client, Numeric::RPL_MONLIST, monitors.targets(&client));
        client.sendNumeric(Numeric::RPL_ENDOFMONLIST, {"End of MONITOR list"});
    } else if (modifier == "S") {
        sendStatus(client, monitors.targets(&client));
    } else {
        client.sendFail("MONITOR", "INVALID_PARAMS",
                        {replies::middleParam(message.params.at(0)), "Unknown MONITOR modifier; use +, -, C, L or S"});
    }
}

} // namespace tktalk::server::commands
