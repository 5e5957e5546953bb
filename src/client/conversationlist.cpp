#include "conversationlist.h"

namespace tktalk::client {

ConversationList::ConversationList(QObject *parent)
    : QAbstractListModel(parent)
{
    auto *server = new Conversation(Conversation::Kind::Server, tr("Server"), this);
    watch(server);
    m_conversations.push_back(server);
}

void ConversationList::watch(Conversation *conversation)
{
    connect(conversation, &Conversation::unreadChanged, this, [this, conversation] {
        rowChanged(conversation);
        Q_EMIT totalUnreadChanged();
    });
    connect(conversation, &Conversation::joinedChanged, this, [this, conversation] { rowChanged(conversation); });
    connect(conversation, &Conversation::nameChanged, this, [this, conversation] { rowChanged(conversation); });
}

int ConversationList::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ConversationList::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    Conversation *conversation = at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return conversation->name();
    case KindRole:
        return int(conversation->kind());
    case UnreadRole:
        return conversation->unread();
    case MentionsRole:
        return conversation->mentions();
    case JoinedRole:
        return conversation->kind() != Conversation::Kind::Channel || conversation->joined();
    case CurrentRole:
        return index.row() == m_current;
    case ConversationRole:
        return QVariant::fromValue(conversation);
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationList::roleNames() const
{
    return {{NameRole, "name"},         {KindRole, "kind"},       {UnreadRole, "unread"},
            {MentionsRole, "mentions"}, {JoinedRole, "joined"},   {CurrentRole, "current"},
            {ConversationRole, "conversation"}};
}

int ConversationList::totalUnread() const
{
    int total = 0;
    for (const Conversation *conversation : m_conversations)
        total += conversation->unread();
    return total;
}

void ConversationList::setServerName(const QString &name)
{
    server()->setName(name);
    rowChanged(server());
}

QString ConversationList::fold(const QString &name) const
{
    return foldNick(name, m_casemapping);
}

Conversation *ConversationList::find(const QString &name) const
{
    const QString folded = fold(name);
    for (size_t row = 1; row < m_conversations.size(); ++row) {
        if (fold(m_conversations[row]->name()) == folded)
            return m_conversations[row];
    }
    return nullptr;
}

Conversation *ConversationList::open(const QString &name, Conversation::Kind kind)
{
    if (Conversation *existing = find(name))
        return existing;
    // Channels before private conversations: a channel goes after the last channel.
    int row = count();
    if (kind == Conversation::Kind::Channel) {
        row = 1;
        while (row < count() && at(row)->kind() == Conversation::Kind::Channel)
            ++row;
    }
    auto *conversation = new Conversation(kind, name, this);
    conversation->members()->setServerRules(m_casemapping, m_prefixSymbols);
    conversation->members()->setSelf(m_self);
    watch(conversation);
    beginInsertRows({}, row, row);
    m_conversations.insert(m_conversations.begin() + row, conversation);
    const bool shifted = row <= m_current;
    if (shifted)
        ++m_current;
    endInsertRows();
    Q_EMIT countChanged();
    if (shifted)
        Q_EMIT currentChanged(); // the same conversation, at another index
    return conversation;
}

int ConversationList::rowOf(const Conversation *conversation) const
{
    for (size_t row = 0; row < m_conversations.size(); ++row) {
        if (m_conversations[row] == conversation)
            return int(row);
    }
    return -1;
}

void ConversationList::rowChanged(const Conversation *conversation)
{
    const int row = rowOf(conversation);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

void ConversationList::activate(int row)
{
    if (row < 0 || row >= count())
        return;
    if (m_windowActive)
        at(row)->markRead();
    if (row == m_current)
        return;
    const int previous = m_current;
    m_current = row;
    Q_EMIT dataChanged(index(previous), index(previous), {CurrentRole});
    Q_EMIT dataChanged(index(row), index(row), {CurrentRole});
    Q_EMIT currentChanged();
}

void ConversationList::activate(Conversation *conversation)
{
    activate(rowOf(conversation));
}

void ConversationList::activateNext(int step)
{
    if (count() == 0 || step == 0)
        return;
    activate(((m_current + step) % count() + count()) % count());
}

bool ConversationList::activateNextUnread()
{
    for (int offset = 1; offset < count(); ++offset) {
        const int row = (m_current + offset) % count();
        if (at(row)->unread() > 0) {
            activate(row);
            return true;
        }
    }
    return false;
}

QList<int> ConversationList::matching(const QString &text) const
{
    QString wanted = fold(text.trimmed());
    if (wanted.startsWith(QLatin1Char('@')))
        wanted.remove(0, 1);
    // Rank: 0 starts with it and unread, 1 starts with it, 2 contains it and unread, 3 contains it.
    QList<std::pair<int, int>> ranked;
    for (int row = 0; row < count(); ++row) {
        if (wanted.isEmpty() && row == m_current)
            continue;
        const QString name = fold(at(row)->name());
        const qsizetype at = name.indexOf(wanted);
        const qsizetype afterHash = name.startsWith(QLatin1Char('#')) && !wanted.startsWith(QLatin1Char('#')) ? 1 : 0;
        if (at < 0)
            continue;
        const bool starts = at == afterHash || at == 0;
        const bool unread = this->at(row)->unread() > 0;
        ranked.append({(starts ? 0 : 2) + (unread ? 0 : 1), row});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<int> rows;
    for (const auto &[rank, row] : ranked)
        rows << row;
    return rows;
}

void ConversationList::close(int row)
{
    if (row <= 0 || row >= count())
        return;
    const bool wasCurrent = row == m_current;
    if (row <= m_current)
        m_current = std::max(0, m_current - 1);
    beginRemoveRows({}, row, row);
    Conversation *conversation = at(row);
    m_conversations.erase(m_conversations.begin() + row);
    endRemoveRows();
    conversation->deleteLater();
    Q_EMIT countChanged();
    Q_EMIT totalUnreadChanged();
    Q_EMIT currentChanged();
    if (wasCurrent && m_windowActive)
        current()->markRead();
    if (wasCurrent)
        Q_EMIT dataChanged(index(m_current), index(m_current), {CurrentRole});
}

void ConversationList::rename(const QString &from, const QString &to)
{
    Conversation *conversation = find(from);
    if (!conversation || conversation->kind() != Conversation::Kind::Private)
        return;
    // Someone else may hold the new nick's conversation already (a person who came back under it):
    // both stay, each under its name.
    if (Conversation *other = find(to); other && other != conversation)
        return;
    conversation->setName(to);
}

void ConversationList::noteIncoming(Conversation *conversation, bool mention)
{
    if (conversation == current() && m_windowActive)
        return;
    conversation->addUnread(mention);
}

void ConversationList::setWindowActive(bool active)
{
    m_windowActive = active;
    if (active)
        current()->markRead();
}

void ConversationList::setServerRules(protocol::Casemapping mapping, const QString &prefixSymbols)
{
    m_casemapping = mapping;
    m_prefixSymbols = prefixSymbols;
    for (Conversation *conversation : m_conversations)
        conversation->members()->setServerRules(mapping, prefixSymbols);
}

void ConversationList::setSelf(const QString &nick)
{
    m_self = nick;
    for (Conversation *conversation : m_conversations)
        conversation->members()->setSelf(nick);
}

void ConversationList::clear()
{
    if (count() > 1) {
        beginRemoveRows({}, 1, count() - 1);
        for (size_t row = 1; row < m_conversations.size(); ++row)
            m_conversations[row]->deleteLater();
        m_conversations.resize(1);
        endRemoveRows();
        Q_EMIT countChanged();
    }
    server()->messages()->clear();
    server()->markRead();
    if (m_current != 0) {
        m_current = 0;
        Q_EMIT currentChanged();
    }
    Q_EMIT totalUnreadChanged();
}

} // namespace tktalk::client
