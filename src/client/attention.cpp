#include "attention.h"

#include "serverlink.h"

namespace tktalk::client {

Attention::Attention(QSettings &settings, const ClientSettings &choices, ServerLink &link, NetworkState &network,
                     ConversationList &conversations, QObject *parent)
    : QObject(parent), m_settings(settings), m_choices(choices), m_link(link), m_network(network),
      m_conversations(conversations)
{
    connect(&m_conversations, &ConversationList::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { applyMutes(first, last); });
}

void Attention::setWindowActive(bool active)
{
    if (m_windowActive == active)
        return;
    m_windowActive = active;
    Q_EMIT windowActiveChanged();
    if (active && m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadCountChanged();
    }
}

QString Attention::muteKey(const QString &name) const
{
    // Per server and conversation; '/' would be a settings group.
    QString key = QStringLiteral("%1:%2 %3").arg(m_link.host()).arg(m_link.port()).arg(m_network.fold(name));
    key.replace(QLatin1Char('/'), QLatin1Char('_'));
    return QStringLiteral("muted/") + QString::fromLatin1(key.toUtf8().toPercentEncoding());
}

void Attention::applyMutes(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        Conversation *conversation = m_conversations.at(row);
        if (conversation && conversation->kind() != Conversation::Kind::Server)
            conversation->setMuted(m_settings.value(muteKey(conversation->name()), false).toBool());
    }
}

void Attention::setMuted(int row, bool muted)
{
    Conversation *conversation = m_conversations.at(row);
    if (!conversation)
        return;
    conversation->setMuted(muted);
    if (muted)
        m_settings.setValue(muteKey(conversation->name()), true);
    else
        m_settings.remove(muteKey(conversation->name()));
}

void Attention::onLiveLine(Conversation *conversation, const QString &sender, const QString &text, bool own,
                           bool mention)
{
    if (own)
        return;
    m_conversations.noteIncoming(conversation, mention);
    if (!m_windowActive) {
        ++m_unread;
        Q_EMIT unreadCountChanged();
    }
    if (!mention || m_windowActive || !m_choices.notifications() || conversation->muted())
        return;
    const QString title = conversation->kind() == Conversation::Kind::Private
                              ? sender
                              : tr("%1 in %2").arg(sender, conversation->name());
    m_notifier.notify(title, text);
    Q_EMIT attentionRequested();
}

} // namespace tktalk::client
