#include "replynormalizer.h"

#include <QRegularExpression>

#include <algorithm>

namespace tktalk::test {

using protocol::Message;

namespace {

/// Numerics whose last parameter is data, not a human text.
bool lastParamIsData(const QByteArray &numeric)
{
    static const QByteArrayList data{"221", "302", "303", "311", "322", "324", "332", "352", "353"};
    return data.contains(numeric);
}

/// "~alice" and "alice" are the same user; the '~' only says that no ident server vouched for it.
QByteArray withoutTilde(const QByteArray &user)
{
    return user.startsWith('~') ? user.mid(1) : user;
}

QByteArray sortedNames(const QByteArray &names)
{
    QByteArrayList list;
    for (QByteArray name : names.split(' ')) {
        name.replace("!~", "!"); // userhost-in-names: ident marks differ, as in 311
        if (!name.isEmpty())
            list << name;
    }
    std::sort(list.begin(), list.end());
    return list.join(' ');
}

void normalizeNumeric(const QByteArray &numeric, QByteArrayList &params)
{
    if (!lastParamIsData(numeric) && params.size() > 1)
        params.removeLast();
    if (numeric == "353" && !params.isEmpty())
        params.last() = sortedNames(params.last());
    else if (numeric == "311" && params.size() > 2)
        params[2] = withoutTilde(params[2]);
    else if (numeric == "352" && params.size() >= 8) {
        params[2] = withoutTilde(params[2]);
        params[4] = "<server>";
        // H or G, then the member's prefix ("H@"); server operators' '*' and other flags vary.
        params[6].replace('*', "");
    } else if (numeric == "302" && !params.isEmpty()) {
        QByteArrayList replies = params.last().split(' ');
        for (QByteArray &reply : replies)
            reply.replace("=+~", "=+").replace("=-~", "=-");
        params.last() = replies.join(' ');
    } else if ((numeric == "329" || numeric == "333") && !params.isEmpty()) {
        params.last() = "<time>";
    } else if (numeric == "351") {
        params = params.mid(0, 1); // the version is each server's own
    }
}

} // namespace

std::optional<QByteArray> normalizeReply(const Message &message)
{
    const bool fromUser = message.source.contains('!');
    if (!fromUser && message.command == "NOTICE")
        return std::nullopt;
    QByteArrayList params = message.params;
    const bool numeric = message.command.size() == 3 && std::all_of(message.command.begin(), message.command.end(),
                                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (numeric) {
        normalizeNumeric(message.command, params);
        for (QByteArray &param : params) {
            if (param == message.source)
                param = "<server>"; // TIME, ADMIN and others name the server
        }
    }
    else if (message.command == "PONG" && !params.isEmpty())
        params[0] = "<server>";
    else if (message.command == "ERROR")
        params.clear(); // its text is the server's own
    else if (message.command == "CAP" && params.size() >= 3)
        params.last() = params.last().simplified(); // a trailing space is not a capability
    // Numerics come from the server (ngircd sends 341 from the invited user's prefix: a quirk).
    const QByteArray source = fromUser && !numeric ? message.source.split('!').first() : QByteArray("<server>");
    // server-time: whether relayed messages carry the tag in the IRCv3 format; the time itself varies.
    // Servers MAY tag their own replies too (InspIRCd does), so those are not compared.
    static const QRegularExpression serverTime(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
    QByteArray time;
    const std::optional<QByteArray> value = message.tag("time");
    if (value && fromUser)
        time = serverTime.match(QString::fromLatin1(*value)).hasMatch() ? " [time]" : " [time: " + *value + ']';
    return source + ' ' + message.command + (params.isEmpty() ? QByteArray() : ' ' + params.join(" | ")) + time;
}

} // namespace tktalk::test
