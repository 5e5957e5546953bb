#include "typingtracker.h"

#include "irctext.h"
#include "protocol/names.h"
#include "serverlink.h"

namespace tktalk::client {

using protocol::Message;

TypingTracker::TypingTracker(ServerLink &link, NetworkState &network, ConversationList &conversations,
                             QObject *parent)
    : QObject(parent), m_link(link), m_network(network), m_conversations(conversations)
{
    m_clock.start();
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(kPausedAfterMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &TypingTracker::onIdle);
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &TypingTracker::expire);
}

void TypingTracker::setSendEnabled(bool enabled)
{
    if (!enabled && m_sent != Sent::None)
        send(m_draftTarget, "done");
    m_sendEnabled = enabled;
}

bool TypingTracker::canSend() const
{
    return m_sendEnabled && m_link.online() && m_network.enabled("message-tags");
}

void TypingTracker::send(const QString &target, const char *state)
{
    m_idleTimer.stop();
    m_sent = Sent::None;
    if (target.isEmpty() || !canSend())
        return;
    Message message("TAGMSG", {target.toUtf8()});
    message.tags.append(protocol::Tag{"+typing", state});
    m_link.connection().send(message);
    if (qstrcmp(state, "active") == 0) {
        m_sent = Sent::Active;
        m_activeSentMs = m_clock.elapsed();
        m_idleTimer.start();
    } else if (qstrcmp(state, "paused") == 0) {
        m_sent = Sent::Paused;
    }
}

void TypingTracker::onDraftChanged(const QString &target, const QString &text)
{
    if (target != m_draftTarget) {
        // Another conversation: the draft left behind is not being typed there any more.
        if (m_sent != Sent::None)
            send(m_draftTarget, "done");
        m_draftTarget = target;
    }
    const QString trimmed = text.trimmed();
    const bool command = trimmed.startsWith(QLatin1Char('/')) && !trimmed.startsWith(QLatin1String("/me "))
                         && !trimmed.startsWith(QLatin1String("/@")) && trimmed != QLatin1String("/me");
    if (trimmed.isEmpty() || command || trimmed.startsWith(QLatin1Char('.'))) {
        if (m_sent != Sent::None)
            send(target, "done");
        return;
    }
    if (m_sent != Sent::Active || m_clock.elapsed() - m_activeSentMs >= kActiveRepeatMs)
        send(target, "active");
    else
        m_idleTimer.start(); // still typing: paused only after a quiet while
}

void TypingTracker::onSent(const QString &target)
{
    if (target == m_draftTarget) {
        m_idleTimer.stop();
        m_sent = Sent::None;
    }
}

void TypingTracker::onIdle()
{
    if (m_sent == Sent::Active)
        send(m_draftTarget, "paused");
}

void TypingTracker::clear()
{
    m_idleTimer.stop();
    m_sent = Sent::None;
    const QStringList keys = m_typing.keys();
    m_typing.clear();
    m_order.clear();
    for (const QString &key : keys)
        publish(key);
}

Conversation *TypingTracker::conversationOf(const QByteArray &target, const QString &sender) const
{
    // To a channel: that channel's; to us: the private conversation with the sender.
    return m_conversations.find(protocol::isChannelName(target) ? ircText(target) : sender);
}

void TypingTracker::observe(const Message &message)
{
    const QByteArray &command = message.command;
    if (command != "TAGMSG" && command != "PRIVMSG" && command != "NOTICE")
        return;
    const QString sender = ircText(message.sourceNick());
    if (sender.isEmpty() || m_network.isSelf(sender))
        return;
    const Conversation *conversation = conversationOf(message.param(0), sender);
    if (!conversation)
        return;
    const QString key = m_network.fold(conversation->name());
    if (command != "TAGMSG") {
        removeTypist(key, sender);
        return;
    }
    const std::optional<QByteArray> state = message.tag("+typing");
    if (!state)
        return;
    if (*state == "active")
        setTypist(key, sender, m_clock.elapsed() + kActiveExpiryMs);
    else
        removeTypist(key, sender); // paused (not typing now), done, or a state this client does not know
}

void TypingTracker::setTypist(const QString &key, const QString &nick, qint64 expiresMs)
{
    const QString folded = m_network.fold(nick);
    QHash<QString, Typist> &typists = m_typing[key];
    if (!typists.contains(folded))
        m_order[key].append(folded);
    typists.insert(folded, Typist{nick, expiresMs});
    publish(key);
    expire();
}

void TypingTracker::removeTypist(const QString &key, const QString &nick)
{
    const QString folded = m_network.fold(nick);
    auto found = m_typing.find(key);
    if (found == m_typing.end() || !found->remove(folded))
        return;
    m_order[key].removeAll(folded);
    if (found->isEmpty()) {
        m_typing.erase(found);
        m_order.remove(key);
    }
    publish(key);
}

void TypingTracker::expire()
{
    const qint64 now = m_clock.elapsed();
    qint64 next = -1;
    const QStringList keys = m_typing.keys();
    for (const QString &key : keys) {
        QStringList gone;
        for (const Typist &typist : std::as_const(m_typing[key])) {
            if (typist.expiresMs <= now)
                gone << typist.nick;
            else if (next < 0 || typist.expiresMs < next)
                next = typist.expiresMs;
        }
        for (const QString &nick : std::as_const(gone))
            removeTypist(key, nick);
    }
    if (next >= 0)
        m_expiryTimer.start(int(next - now));
    else
        m_expiryTimer.stop();
}

void TypingTracker::publish(const QString &key)
{
    Conversation *conversation = m_conversations.find(key);
    if (!conversation)
        return;
    QStringList nicks;
    const QHash<QString, Typist> typists = m_typing.value(key);
    for (const QString &folded : m_order.value(key))
        nicks << typists.value(folded).nick;
    conversation->setTypists(nicks);
}

} // namespace tktalk::client
