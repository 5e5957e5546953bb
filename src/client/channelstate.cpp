#include "channelstate.h"

#include "channelcommands.h"
#include "conversation.h"
#include "protocol/limits.h"
#include "protocol/names.h"

#include <algorithm>

namespace tktalk::client {

using protocol::Message;
using protocol::ModeKind;

namespace {

/// A line of text as one IRC parameter: line breaks become spaces.
QByteArray oneLine(const QString &text)
{
    QString line = text;
    line.replace(QLatin1String("\r\n"), QLatin1String(" "));
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    line.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return line.toUtf8();
}

} // namespace

ChannelState::ChannelState(Conversation &conversation)
    : QObject(&conversation), m_conversation(conversation), m_bans(this)
{
    UserModel &members = *conversation.members();
    connect(&members, &UserModel::rowsInserted, this, &ChannelState::refreshOperator);
    connect(&members, &UserModel::rowsRemoved, this, &ChannelState::refreshOperator);
    connect(&members, &UserModel::modelReset, this, &ChannelState::refreshOperator);
    connect(&members, &UserModel::dataChanged, this, &ChannelState::refreshOperator);
    connect(&conversation, &Conversation::joinedChanged, this, &ChannelState::onJoinedChanged);
}

QString ChannelState::modeText() const
{
    if (!m_modesKnown)
        return {};
    QByteArray letters = m_flags;
    QByteArrayList params;
    for (auto it = m_params.cbegin(); it != m_params.cend(); ++it)
        letters += it.key();
    std::sort(letters.begin(), letters.end());
    for (const char letter : std::as_const(letters)) {
        if (m_params.contains(letter))
            params << m_params.value(letter);
    }
    return QString::fromUtf8((QByteArrayList{'+' + letters} + params).join(' '));
}

ChannelSettings ChannelState::settings() const
{
    ChannelSettings current;
    for (const char flag : QByteArrayView(ChannelSettings::kFlags)) {
        if (m_flags.contains(flag))
            current.flags += flag;
    }
    current.key = key();
    current.limit = limit();
    return current;
}

void ChannelState::setServerRules(const protocol::ChannelModeSyntax &syntax, int maxModesPerLine)
{
    m_syntax = syntax;
    m_maxModesPerLine = std::max(1, maxModesPerLine);
}

void ChannelState::setTopicFromServer(const QString &topic, const QString &setBy, const QDateTime &setAt)
{
    if (m_topic == topic && m_topicSetBy == setBy && m_topicSetAt == setAt)
        return;
    m_topic = topic;
    m_topicSetBy = setBy;
    m_topicSetAt = setAt;
    Q_EMIT topicChanged();
}

void ChannelState::setTopicDetails(const QString &setBy, const QDateTime &setAt)
{
    setTopicFromServer(m_topic, setBy, setAt);
}

void ChannelState::setModesFromServer(const QByteArray &modeString, const QByteArrayList &arguments)
{
    m_modeQueries = std::max(0, m_modeQueries - 1);
    m_flags.clear();
    m_params.clear();
    for (const protocol::ModeChange &change : protocol::parseModeChanges(m_syntax, modeString, arguments)) {
        if (change.adding)
            applyChange(change, {});
    }
    m_modesKnown = true;
    Q_EMIT modesChanged();
    refreshCanSetTopic();
}

void ChannelState::applyModeLine(const QString &source, const QByteArray &modeString, const QByteArrayList &arguments)
{
    const QByteArray flags = m_flags;
    const QMap<char, QByteArray> params = m_params;
    for (const protocol::ModeChange &change : protocol::parseModeChanges(m_syntax, modeString, arguments))
        applyChange(change, source);
    if (m_flags != flags || m_params != params) {
        Q_EMIT modesChanged();
        refreshCanSetTopic();
    }
}

void ChannelState::applyChange(const protocol::ModeChange &change, const QString &source)
{
    const char letter = change.letter;
    switch (m_syntax.kind(letter)) {
    case ModeKind::Membership:
        return; // the member list's
    case ModeKind::List: {
        if (letter != 'b' || !change.param)
            return;
        const QString mask = QString::fromUtf8(*change.param);
        const auto sameMask = [&mask](const BanListModel::Entry &entry) {
            return entry.mask.compare(mask, Qt::CaseInsensitive) == 0;
        };
        if (m_bansArriving) {
            m_arrivingBans.removeIf(sameMask);
            if (change.adding)
                m_arrivingBans << BanListModel::Entry{mask, source, QDateTime::currentDateTimeUtc()};
        }
        if (!m_bansKnown)
            return;
        if (change.adding)
            m_bans.add({mask, source, QDateTime::currentDateTimeUtc()});
        else
            m_bans.remove(mask);
        return;
    }
    case ModeKind::AlwaysParam:
    case ModeKind::ParamWhenSet:
        if (change.adding && change.param)
            m_params.insert(letter, *change.param);
        else if (!change.adding)
            m_params.remove(letter);
        return;
    case ModeKind::Flag:
    case ModeKind::Unknown: {
        const bool has = m_flags.contains(letter);
        if (change.adding && !has) {
            m_flags += letter;
            std::sort(m_flags.begin(), m_flags.end());
        } else if (!change.adding && has) {
            m_flags.remove(m_flags.indexOf(letter), 1);
        }
        return;
    }
    }
}

void ChannelState::banListed(const QString &mask, const QString &setBy, const QDateTime &setAt)
{
    if (!m_bansArriving) {
        m_bansArriving = true;
        m_arrivingBans.clear();
    }
    m_arrivingBans << BanListModel::Entry{mask, setBy, setAt};
}

void ChannelState::banListEnded()
{
    m_bans.setEntries(m_arrivingBans);
    m_arrivingBans.clear();
    m_bansArriving = false;
    m_bansRequested = false;
    m_bansKnown = true;
    Q_EMIT bansChanged();
}

void ChannelState::requestRefused()
{
    if (!m_bansRequested)
        return;
    m_bansRequested = false;
    Q_EMIT bansChanged();
}

void ChannelState::requestModes()
{
    ++m_modeQueries;
    Q_EMIT sendRequested(Message("MODE", {m_conversation.name().toUtf8()}));
}

bool ChannelState::expectsReply(const QByteArray &numeric) const
{
    if (numeric == "324")
        return m_modeQueries > 0;
    if (numeric == "367" || numeric == "368")
        return m_bansRequested;
    return false;
}

void ChannelState::onJoinedChanged()
{
    // Modes and bans change while we are away, and are asked for again on joining; the topic stays
    // shown with the transcript.
    m_modeQueries = 0;
    m_bansRequested = false;
    m_bansArriving = false;
    m_arrivingBans.clear();
    m_bans.clear();
    const bool hadBans = m_bansKnown;
    m_bansKnown = false;
    if (hadBans)
        Q_EMIT bansChanged();
    if (m_modesKnown || !m_flags.isEmpty() || !m_params.isEmpty()) {
        m_modesKnown = false;
        m_flags.clear();
        m_params.clear();
        Q_EMIT modesChanged();
    }
    refreshOperator();
}

void ChannelState::refreshOperator()
{
    const QString prefixes = m_conversation.members()->selfPrefixes();
    const bool isOperator = m_conversation.joined() && UserModel::groupOf(prefixes.left(1)) == QLatin1String("operators");
    if (isOperator != m_operator) {
        m_operator = isOperator;
        Q_EMIT operatorChanged();
    }
    refreshCanSetTopic();
}

void ChannelState::refreshCanSetTopic()
{
    const bool can = m_conversation.joined() && (m_operator || (m_modesKnown && !topicLocked()));
    if (can != m_canSetTopic) {
        m_canSetTopic = can;
        Q_EMIT canSetTopicChanged();
    }
}

QString ChannelState::notJoined() const
{
    return m_conversation.joined() ? QString() : tr("You are not in %1.").arg(m_conversation.name());
}

QString ChannelState::shown(const QString &error)
{
    if (!error.isEmpty())
        m_conversation.addSystemLine(error, MessageModel::Kind::Error);
    return error;
}

QString ChannelState::sendCommand(InputCommand::Kind kind, const QString &target, const QString &text,
                                  const QStringList &args)
{
    if (const QString why = notJoined(); !why.isEmpty())
        return why;
    const QString room = m_conversation.name();
    const ChannelCommandLines lines =
        channelCommandLines(InputCommand{kind, target, text, {}, room, args}, room, m_maxModesPerLine);
    if (!lines.error.isEmpty())
        return lines.error;
    for (const Message &message : lines.messages)
        Q_EMIT sendRequested(message);
    return {};
}

QString ChannelState::setTopic(const QString &topic)
{
    if (const QString why = notJoined(); !why.isEmpty())
        return why;
    // An empty last parameter clears the topic: TOPIC #room :
    Q_EMIT sendRequested(Message("TOPIC", {m_conversation.name().toUtf8(), oneLine(topic)}));
    return {};
}

QString ChannelState::setModes(const QVariantMap &wanted)
{
    if (const QString why = notJoined(); !why.isEmpty())
        return why;
    const ChannelSettings current = settings();
    ChannelSettings target;
    const std::pair<const char *, char> flags[] = {{"inviteOnly", 'i'},
                                                   {"moderated", 'm'},
                                                   {"noExternalMessages", 'n'},
                                                   {"secret", 's'},
                                                   {"topicLocked", 't'}};
    for (const auto &[name, letter] : flags) {
        if (wanted.value(QLatin1String(name), current.has(letter)).toBool())
            target.flags += letter;
    }
    target.key = wanted.value(QStringLiteral("key"), current.key).toString().trimmed();
    bool isNumber = true;
    target.limit = wanted.value(QStringLiteral("limit"), current.limit).toInt(&isNumber);
    if (!isNumber)
        return tr("The limit must be a positive number, or none.");
    if (const QString problem = settingsProblem(target); !problem.isEmpty())
        return problem;
    // ":nick!user@host MODE #room " comes on top of the parameters.
    const qsizetype paramBytes = protocol::kMaxLineBodyBytes - 150 - m_conversation.name().toUtf8().size();
    const QByteArray room = m_conversation.name().toUtf8();
    for (const QByteArrayList &params :
         protocol::formatModeLines(settingsChanges(current, target), m_maxModesPerLine, paramBytes))
        Q_EMIT sendRequested(Message("MODE", QByteArrayList{room} + params));
    return {};
}

QString ChannelState::applySettings(const QVariantMap &wanted)
{
    if (const QString why = notJoined(); !why.isEmpty())
        return why;
    const QVariant topic = wanted.value(QStringLiteral("topic"));
    const bool newTopic = topic.isValid() && topic.toString() != m_topic;
    QVariantMap modes = wanted;
    modes.remove(QStringLiteral("topic"));
    // The modes first: a refusal there (a bad key) sends nothing at all.
    if (const QString error = setModes(modes); !error.isEmpty())
        return error;
    return newTopic ? setTopic(topic.toString()) : QString();
}

void ChannelState::requestBans()
{
    if (m_bansKnown || m_bansRequested || !m_conversation.joined())
        return;
    m_bansRequested = true;
    Q_EMIT bansChanged();
    Q_EMIT sendRequested(Message("MODE", {m_conversation.name().toUtf8(), "b"}));
}

QString ChannelState::ban(const QString &mask)
{
    const QString trimmed = mask.trimmed();
    if (trimmed.isEmpty() || trimmed.contains(QLatin1Char(' ')))
        return shown(tr("\"%1\" is not a mask: a nick, or nick!user@host with * and ? as wildcards.").arg(trimmed));
    return shown(sendCommand(InputCommand::Kind::Ban, {}, {}, {trimmed}));
}

QString ChannelState::unban(const QString &mask)
{
    const QString trimmed = mask.trimmed();
    if (trimmed.isEmpty() || trimmed.contains(QLatin1Char(' ')))
        return shown(tr("\"%1\" is not a mask: a nick, or nick!user@host with * and ? as wildcards.").arg(trimmed));
    return shown(sendCommand(InputCommand::Kind::Unban, {}, {}, {trimmed}));
}

QString ChannelState::nickCommand(InputCommand::Kind kind, const QString &nick, const QString &reason)
{
    if (!protocol::isValidNick(nick.toUtf8()))
        return shown(tr("\"%1\" is not a valid nickname.").arg(nick));
    if (kind == InputCommand::Kind::Kick)
        return shown(sendCommand(kind, nick, QString::fromUtf8(oneLine(reason)).trimmed(), {}));
    return shown(sendCommand(kind, {}, {}, {nick}));
}

QString ChannelState::kick(const QString &nick, const QString &reason)
{
    return nickCommand(InputCommand::Kind::Kick, nick, reason);
}

QString ChannelState::kickBan(const QString &nick, const QString &reason)
{
    if (!protocol::isValidNick(nick.toUtf8()))
        return shown(tr("\"%1\" is not a valid nickname.").arg(nick));
    // The ban first, so that they cannot come straight back.
    if (const QString error = ban(maskForNick(nick)); !error.isEmpty())
        return error;
    return kick(nick, reason);
}

QString ChannelState::op(const QString &nick)
{
    return nickCommand(InputCommand::Kind::Op, nick);
}

QString ChannelState::deop(const QString &nick)
{
    return nickCommand(InputCommand::Kind::Deop, nick);
}

QString ChannelState::voice(const QString &nick)
{
    return nickCommand(InputCommand::Kind::Voice, nick);
}

QString ChannelState::devoice(const QString &nick)
{
    return nickCommand(InputCommand::Kind::Devoice, nick);
}

QString ChannelState::whois(const QString &nick)
{
    if (!protocol::isValidNick(nick.toUtf8()))
        return shown(tr("\"%1\" is not a valid nickname.").arg(nick));
    if (const QString why = notJoined(); !why.isEmpty())
        return shown(why);
    Q_EMIT sendRequested(Message("WHOIS", {nick.toUtf8()}));
    return {};
}

QString ChannelState::maskForNick(const QString &nick) const
{
    return nick + QStringLiteral("!*@*");
}

} // namespace tktalk::client
