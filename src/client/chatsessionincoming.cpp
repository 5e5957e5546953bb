// ChatSession, continued: what the server sends. Plain IRC as any server speaks it (RFC 1459/2812 with
// CAP, ISUPPORT and NAMES prefixes), so the client works with other servers than tktalk.

#include "chatsession.h"

#include "protocol/names.h"
#include "protocol/servertime.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace tktalk::client {

using protocol::Message;

namespace {

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

/// Removes mIRC formatting codes (bold, colours, italics, ...): they are shown as plain text.
QString stripFormatting(const QString &input)
{
    static const QRegularExpression codes(QStringLiteral("\x03(\\d{1,2}(,\\d{1,2})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]"));
    QString result = input;
    result.remove(codes);
    return result;
}

/// When @p message was sent: its IRCv3 server-time tag, or an invalid time (which the model takes as
/// now) when it has none or an unreadable one.
QDateTime sentAt(const Message &message)
{
    const std::optional<QByteArray> time = message.tag("time");
    const std::optional<qint64> ms = time ? protocol::parseServerTime(*time) : std::nullopt;
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC) : QDateTime();
}

} // namespace

void ChatSession::onMessage(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "PING") {
        m_connection.send(Message("PONG", {message.param(0)}));
    } else if (command == "CAP") {
        onCap(message);
    } else if (command == "FAIL" && message.param(0) == "CHATHISTORY") {
        if (const std::optional<QString> target = m_historyLoader.onFail(message)) {
            if (Conversation *conversation = m_conversations.find(*target))
                conversation->setHistoryState(false, true); // nothing to be had
        }
    } else if (command == "AUTHENTICATE" || command == "REGISTER" || command == "FAIL"
               || (command.size() == 3 && command.startsWith('9'))) {
        onAccountMessage(message);
    } else if (command == "001") {
        onRegistered(message);
    } else if (command == "005") {
        onIsupport(message);
    } else if (command == "376" || command == "422") {
        if (joinedRooms().isEmpty()) {
            const QStringList rooms = m_rejoinRooms.isEmpty() ? QStringList{QLatin1String(kDefaultRoom)} : m_rejoinRooms;
            m_connection.send(Message("JOIN", {rooms.join(QLatin1Char(',')).toUtf8()}));
        }
    } else if (command == "372") {
        QString line = text(message.param(1));
        if (line.startsWith(QLatin1String("- ")))
            line = line.mid(2);
        serverLine(stripFormatting(line), MessageModel::Kind::Notice);
    } else if (command == "332") {
        const QString room = text(message.param(1));
        channel(room)->addSystemLine(tr("Topic of %1: %2").arg(room, stripFormatting(text(message.param(2)))));
    } else if (command == "433") {
        onNickInUse(message);
    } else if (command == "432" && !m_registered && m_nickAttempts > 0 && m_nickLength > kShortestNickLength) {
        // The suffixed name may be longer than this server allows (NICKLEN comes only after login):
        // try again within the 9 characters every server accepts.
        m_nickLength = kShortestNickLength;
        --m_nickAttempts;
        onNickInUse(message);
    } else if (command == "432" && !m_registered) {
        setError(tr("Nickname invalid: the server refused \"%1\" (%2).")
                     .arg(text(message.param(1)), text(message.params.value(message.params.size() - 1))));
        m_connection.abort();
        setState(State::Disconnected);
    } else if (command == "464") {
        setError(tr("The server asks for a password, which this client does not support."));
    } else if (command == "ERROR") {
        if (!m_registered)
            setError(tr("The server refused the login: %1").arg(text(message.param(0))));
        else
            system(tr("Server: %1").arg(text(message.param(0))), MessageModel::Kind::Error);
    } else if (command == "JOIN") {
        onJoin(message);
    } else if (command == "PART") {
        onPart(message);
    } else if (command == "QUIT") {
        onQuit(message);
    } else if (command == "NICK") {
        onNickChange(message);
    } else if (command == "PRIVMSG" || command == "NOTICE") {
        onText(message);
    } else if (command == "MODE") {
        onMode(message);
    } else if (command == "KICK") {
        onKick(message);
    } else if (command == "TOPIC") {
        onTopic(message);
    } else if (command == "INVITE") {
        onInvite(message);
    } else if (command == "324" || command == "341" || command == "367") {
        onChannelReply(message);
    } else if (command == "BATCH") {
        onBatch(message);
    } else if (command == "MARKREAD") {
        onReadMarker(message);
    } else if (command == "353") {
        onNames(message);
    } else if (command == "366") {
        onEndOfNames(message);
    } else if (command.size() == 3 && (command.startsWith('4') || command.startsWith('5'))) {
        onErrorNumeric(message);
    }
}

void ChatSession::onRegistered(const Message &message)
{
    if (!m_password.isEmpty() && m_account.isEmpty()) {
        // A server without CAP: it never saw the password, and we must not stay as a guest.
        failLogin(tr("The server does not support accounts. Leave the password empty to join as a guest."));
        return;
    }
    m_registered = true;
    setNick(text(message.param(0)));
    const bool reconnected = m_inChat;
    setInChat(true);
    setState(State::Connected);
    m_reconnectAttempt = 0;
    setError({});
    m_loginHost = m_host;
    m_loginPort = m_port;
    m_loginNick = m_wantedNick;
    Q_EMIT loginChanged();
    m_settings.setValue(QStringLiteral("login/host"), m_host);
    m_settings.setValue(QStringLiteral("login/port"), m_port);
    m_settings.setValue(QStringLiteral("login/nick"), m_wantedNick);
    if (reconnected) {
        const QString line = tr("Reconnected to %1:%2 as %3.").arg(m_host).arg(m_port).arg(m_nick);
        serverLine(line);
        if (m_conversations.current() != m_conversations.server())
            system(line);
        // What was said privately meanwhile (the channels ask when they are joined again).
        for (int row = 0; row < m_conversations.count(); ++row) {
            if (m_conversations.at(row)->kind() == Conversation::Kind::Private)
                m_historyLoader.loadLatest(*m_conversations.at(row));
        }
    } else {
        serverLine(tr("Connected to %1:%2 as %3.").arg(m_host).arg(m_port).arg(m_nick));
    }
    if (!m_account.isEmpty())
        serverLine(tr("Logged in as %1.").arg(m_account));
    if (!isSelf(m_wantedNick))
        serverLine(tr("The nickname %1 was taken, so you are %2.").arg(m_wantedNick, m_nick),
                   MessageModel::Kind::Notice);
}

void ChatSession::onIsupport(const Message &message)
{
    for (qsizetype i = 1; i + 1 < message.params.size(); ++i) {
        const QByteArray &token = message.params.at(i);
        if (token.startsWith("CASEMAPPING=")) {
            m_caseMapping = protocol::casemappingFromName(token.mid(12));
            m_conversations.setCasemapping(m_caseMapping);
            applyUserRules();
        } else if (token.startsWith("PREFIX=")) {
            // PREFIX=(ov)@+ : the symbols after the parenthesis, highest rank first.
            const qsizetype close = token.indexOf(')');
            m_prefixSymbols = close < 0 ? QString() : text(token.mid(close + 1));
            applyUserRules();
            // CHANMODES and PREFIX may come in different 005 lines: each keeps what the other set.
            if (token.size() > 7)
                m_modeSyntax = protocol::ChannelModeSyntax(m_modeSyntax.chanmodesToken(), token.mid(7));
        } else if (token.startsWith("CHANMODES=")) {
            if (token.size() > 10)
                m_modeSyntax = protocol::ChannelModeSyntax(token.mid(10), m_modeSyntax.prefixToken());
        } else if (token == "MODES" || token.startsWith("MODES=")) {
            const int modes = token.mid(6).toInt();
            m_maxModesPerLine = modes > 0 ? modes : kUnlimitedModesPerLine;
        } else if (token.startsWith("CHATHISTORY=")) {
            m_historyLoader.setServerLimit(token.mid(12).toInt());
        } else if (token.startsWith("NICKLEN=")) {
            m_nickLength = std::max(token.mid(8).toInt(), 9);
        }
    }
}

void ChatSession::applyUserRules()
{
    for (int row = 0; row < m_conversations.count(); ++row)
        m_conversations.at(row)->members()->setServerRules(m_caseMapping, m_prefixSymbols);
}

void ChatSession::onNickInUse(const Message &message)
{
    const QString taken = text(message.param(1));
    if (m_registered) {
        system(tr("The nickname %1 is already in use.").arg(taken), MessageModel::Kind::Error);
        return;
    }
    if (++m_nickAttempts > kMaxNickAttempts) {
        setError(tr("Every nickname tried was taken; choose another one."));
        m_connection.abort();
        setState(State::Disconnected);
        return;
    }
    // As the first tktalk did: the wanted name plus a random four-digit number.
    const QString suffix = QString::number(QRandomGenerator::global()->bounded(1000, 10000));
    const QString candidate = m_wantedNick.left(m_nickLength - suffix.size()) + suffix;
    setNick(candidate);
    m_connection.send(Message("NICK", {candidate.toUtf8()}));
}

void ChatSession::onJoin(const Message &message)
{
    const QString who = text(message.sourceNick());
    const QString room = text(message.param(0));
    if (isSelf(who)) {
        Conversation *conversation = channel(room);
        conversation->setJoined(false); // a JOIN seen twice starts the members afresh
        conversation->setJoined(true);
        // Shown when the user asked for it, or when nothing else is.
        if (foldNick(room, m_caseMapping) == m_joinRequested || m_conversations.current() == m_conversations.server())
            m_conversations.activate(conversation);
        if (foldNick(room, m_caseMapping) == m_joinRequested)
            m_joinRequested.clear();
        refreshRoom();
        conversation->addSystemLine(tr("You joined %1.").arg(room));
        m_historyLoader.loadLatest(*conversation);
        return;
    }
    Conversation *conversation = joinedChannel(room);
    if (!conversation)
        return;
    conversation->members()->add(who);
    conversation->addSystemLine(tr("%1 joined %2.").arg(who, room));
}

void ChatSession::onPart(const Message &message)
{
    const QString who = text(message.sourceNick());
    const QString room = text(message.param(0));
    const QString reason = stripFormatting(text(message.param(1)));
    if (isSelf(who)) {
        leftRoom(room);
        if (Conversation *conversation = m_conversations.find(room))
            conversation->addSystemLine(tr("You left %1.").arg(room));
        return;
    }
    Conversation *conversation = joinedChannel(room);
    if (conversation && conversation->members()->remove(who))
        conversation->addSystemLine(reason.isEmpty() ? tr("%1 left.").arg(who) : tr("%1 left (%2).").arg(who, reason));
}

void ChatSession::onQuit(const Message &message)
{
    const QString who = text(message.sourceNick());
    QString reason = stripFormatting(text(message.param(0)));
    // "Quit: " marks a reason the user gave (modern IRC); "bob quit (see you)" says that already.
    if (reason.startsWith(QLatin1String("Quit: ")) || reason == QLatin1String("Quit:"))
        reason = reason.mid(6).trimmed();
    const QString line = reason.isEmpty() ? tr("%1 quit.").arg(who) : tr("%1 quit (%2).").arg(who, reason);
    for (int row = 0; row < m_conversations.count(); ++row) {
        Conversation *conversation = m_conversations.at(row);
        const bool withThem = isPrivateWith(*conversation, who);
        if (conversation->members()->remove(who) || withThem)
            conversation->addSystemLine(line);
    }
}

void ChatSession::onNickChange(const Message &message)
{
    const QString from = text(message.sourceNick());
    const QString to = text(message.param(0));
    if (isSelf(from)) {
        for (int row = 0; row < m_conversations.count(); ++row)
            m_conversations.at(row)->members()->rename(from, to);
        setNick(to);
        system(tr("You are now known as %1.").arg(to));
        return;
    }
    const QString line = tr("%1 is now known as %2.").arg(from, to);
    m_conversations.rename(from, to);
    refreshRoom();
    for (int row = 0; row < m_conversations.count(); ++row) {
        Conversation *conversation = m_conversations.at(row);
        const bool withThem = isPrivateWith(*conversation, to);
        if (conversation->members()->rename(from, to) || withThem)
            conversation->addSystemLine(line);
    }
}

void ChatSession::onText(const Message &message)
{
    const QString target = text(message.param(0));
    QString body = text(message.param(1));
    const QByteArray sourceNick = message.sourceNick();
    const bool fromServer = message.source.isEmpty() || !message.source.contains('!');
    if (message.command == "NOTICE" && (fromServer || !m_registered)) {
        serverLine(stripFormatting(body), MessageModel::Kind::Notice);
        return;
    }
    MessageModel::Entry entry;
    entry.kind = MessageModel::Kind::Chat;
    entry.time = sentAt(message);
    entry.sender = text(sourceNick);
    entry.msgid = message.tag("msgid").value_or(QByteArray());
    // History the client asked for (CHATHISTORY) goes in its place by time, and is not news.
    const HistoryLoader::Line line = m_historyLoader.classify(message);
    const bool answer = line != HistoryLoader::Line::Live;
    // After a reconnect, the server's playback of the room repeats lines already shown: others'
    // by their msgid, this user's own (shown as typed, without one) by their time.
    if (!m_seen.isNew(entry.msgid))
        return;
    if (!answer && isSelf(entry.sender) && entry.time.isValid() && m_connectionLostAt.isValid()
        && entry.time <= m_connectionLostAt)
        return;
    if (body.startsWith(QChar(1))) {
        body = body.mid(1);
        if (body.endsWith(QChar(1)))
            body.chop(1);
        if (!body.startsWith(QLatin1String("ACTION ")))
            return; // other CTCP queries (VERSION, PING...) are not shown
        body = body.mid(7);
        entry.kind = MessageModel::Kind::Action;
    } else if (message.command == "NOTICE") {
        entry.kind = MessageModel::Kind::Notice;
    }
    entry.text = stripFormatting(body);
    const bool own = isSelf(entry.sender);
    Conversation *conversation = nullptr;
    bool mention = false;
    if (protocol::isChannelName(message.param(0))) {
        conversation = channel(target);
        mention = !own && mentionsSelf(entry.text);
    } else {
        if (entry.kind == MessageModel::Kind::Chat)
            entry.kind = own ? MessageModel::Kind::PrivateOut : MessageModel::Kind::PrivateIn;
        entry.peer = own ? target : entry.sender;
        conversation = privateConversation(entry.peer);
        mention = !own;
    }
    entry.fromOthers = !own;
    entry.mention = mention;
    if (answer) {
        if (own && shownAsTyped(*conversation->messages(), entry))
            return;
        if (line == HistoryLoader::Line::Older)
            conversation->addOlderLine(std::move(entry));
        else
            conversation->messages()->insertByTime(std::move(entry));
        return;
    }
    const QString sender = entry.sender;
    const QString said = entry.text;
    conversation->messages()->append(std::move(entry));
    if (lookedAt(conversation))
        scheduleMarkRead();
    if (own)
        return;
    m_conversations.noteIncoming(conversation, mention);
    countUnread();
    if (mention)
        notifyUser(*conversation, sender, said);
}

bool ChatSession::isPrivateWith(const Conversation &conversation, const QString &nick) const
{
    return conversation.kind() == Conversation::Kind::Private
           && foldNick(conversation.name(), m_caseMapping) == foldNick(nick, m_caseMapping);
}

void ChatSession::onBatch(const Message &message)
{
    const std::optional<HistoryLoader::Answered> answered = m_historyLoader.onBatch(message);
    if (!answered)
        return;
    Conversation *conversation = m_conversations.find(answered->target);
    if (!conversation)
        return;
    if (!answered->gapFill)
        conversation->setHistoryState(false, answered->complete);
    // The lines that came may be after the read marker: unread, unless the user is looking.
    if (lookedAt(conversation))
        scheduleMarkRead();
    else if (conversation->readMarker().isValid())
        conversation->setReadMarker(conversation->readMarker(), true);
}

void ChatSession::onReadMarker(const Message &message)
{
    // MARKREAD <target> timestamp=YYYY-MM-DDThh:mm:ss.sssZ, or * when none is known
    Conversation *conversation = m_conversations.find(text(message.param(0)));
    const QByteArray &value = message.param(1);
    if (!conversation || !value.startsWith("timestamp="))
        return;
    const std::optional<qint64> ms = protocol::parseServerTime(QByteArrayView(value).sliced(10));
    if (!ms)
        return;
    const bool looking = lookedAt(conversation);
    conversation->setReadMarker(QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC), !looking);
    if (looking) {
        conversation->markRead();
        scheduleMarkRead();
    }
}

Conversation *ChatSession::privateConversation(const QString &nick)
{
    if (Conversation *existing = m_conversations.find(nick))
        return existing;
    Conversation *conversation = m_conversations.open(nick, Conversation::Kind::Private);
    applyMute(*conversation);
    m_historyLoader.loadLatest(*conversation);
    return conversation;
}

bool ChatSession::shownAsTyped(const MessageModel &messages, const MessageModel::Entry &entry)
{
    for (int row = messages.rowCount() - 1; row >= 0; --row) {
        const MessageModel::Entry &shown = messages.at(row);
        if (shown.msgid.isEmpty() && shown.sender == entry.sender && shown.text == entry.text)
            return true;
    }
    return false;
}

void ChatSession::onNames(const Message &message)
{
    // 353 <me> <symbol> <room> :<names>
    const QString room = text(message.param(2));
    if (!joinedChannel(room))
        return;
    QStringList &names = m_pendingNames[foldNick(room, m_caseMapping)];
    for (const QByteArray &name : message.param(3).split(' ')) {
        if (!name.isEmpty())
            names << text(name);
    }
}

void ChatSession::onEndOfNames(const Message &message)
{
    const QString room = text(message.param(1));
    Conversation *conversation = joinedChannel(room);
    const QStringList names = m_pendingNames.take(foldNick(room, m_caseMapping));
    if (!conversation)
        return;
    UserModel &members = *conversation->members();
    members.setNames(names);
    if (m_whoRequested) {
        m_whoRequested = false;
        conversation->addSystemLine(tr("Online in %1 (%2): %3")
                                        .arg(room)
                                        .arg(members.count())
                                        .arg(members.namesWithPrefixes().join(QStringLiteral(", "))));
    }
}

void ChatSession::onErrorNumeric(const Message &message)
{
    // <numeric> <me> [<subject>] :<text>
    const QString description = text(message.params.value(message.params.size() - 1));
    const QString subject = message.params.size() > 2 ? text(message.param(1)) : QString();
    if (message.command == "421" && subject == QLatin1String("CAP"))
        return; // a server without CAP: registration goes on without it
    system(subject.isEmpty() ? description : QStringLiteral("%1: %2").arg(subject, description),
           MessageModel::Kind::Error);
}

} // namespace tktalk::client
