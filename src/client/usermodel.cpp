#include "usermodel.h"

#include <algorithm>

namespace tktalk::client {

UserModel::UserModel(QObject *parent) : QAbstractListModel(parent) {}

int UserModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant UserModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const User &user = m_users.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NickRole:
        return user.nick;
    case PrefixRole:
        return user.prefix.left(1);
    case HueRole:
        return nickHue(user.nick);
    case IsSelfRole:
        return user.folded == m_selfFolded;
    case GroupRole:
        return groupOf(user.prefix);
    case PrefixesRole:
        return user.prefix;
    case AwayRole:
        return user.away;
    case AwayMessageRole:
        return user.awayMessage;
    default:
        return {};
    }
}

QHash<int, QByteArray> UserModel::roleNames() const
{
    return {{NickRole, "nick"},         {PrefixRole, "prefix"},   {HueRole, "hue"},
            {IsSelfRole, "isSelf"},     {GroupRole, "group"},     {PrefixesRole, "prefixes"},
            {AwayRole, "away"},         {AwayMessageRole, "awayMessage"}};
}

QString UserModel::groupOf(const QString &prefix)
{
    if (prefix.isEmpty())
        return QStringLiteral("members");
    switch (prefix.at(0).unicode()) {
    case '~':
    case '&':
    case '@':
        return QStringLiteral("operators");
    case '%':
        return QStringLiteral("halfops");
    case '+':
        return QStringLiteral("voiced");
    default:
        return QStringLiteral("members");
    }
}

void UserModel::setServerRules(protocol::Casemapping mapping, const QString &prefixSymbols)
{
    beginResetModel();
    m_mapping = mapping;
    m_prefixSymbols = prefixSymbols;
    for (User &user : m_users) {
        user.folded = foldNick(user.nick, m_mapping);
        user.prefix = orderedPrefix(user.prefix);
    }
    std::sort(m_users.begin(), m_users.end(), [this](const User &a, const User &b) { return lessThan(a, b); });
    endResetModel();
}

void UserModel::setSelf(const QString &nick)
{
    m_selfFolded = foldNick(nick, m_mapping);
    if (!m_users.isEmpty())
        Q_EMIT dataChanged(index(0), index(count() - 1), {IsSelfRole});
}

std::pair<QString, QString> UserModel::splitName(const QString &name) const
{
    qsizetype start = 0;
    while (start < name.size() && m_prefixSymbols.contains(name.at(start)))
        ++start;
    QString nick = name.mid(start);
    const qsizetype bang = nick.indexOf(QLatin1Char('!'));
    if (bang >= 0)
        nick.truncate(bang);
    return {name.left(start), nick};
}

void UserModel::setNames(const QStringList &names)
{
    // NAMES says nothing of who is away: what WHO and away-notify told stays.
    QHash<QString, std::pair<bool, QString>> away;
    for (const User &user : std::as_const(m_users)) {
        if (user.away)
            away.insert(user.folded, {true, user.awayMessage});
    }
    beginResetModel();
    m_users.clear();
    for (const QString &name : names) {
        const auto [prefix, nick] = splitName(name);
        if (nick.isEmpty())
            continue;
        const QString folded = foldNick(nick, m_mapping);
        const bool duplicate = std::any_of(m_users.cbegin(), m_users.cend(),
                                           [&folded](const User &user) { return user.folded == folded; });
        if (!duplicate) {
            const auto [isAway, message] = away.value(folded, {false, QString()});
            m_users.append({nick, orderedPrefix(prefix), folded, isAway, message});
        }
    }
    std::sort(m_users.begin(), m_users.end(), [this](const User &a, const User &b) { return lessThan(a, b); });
    endResetModel();
    Q_EMIT countChanged();
}

void UserModel::add(const QString &nick, const QString &prefix)
{
    if (nick.isEmpty() || contains(nick))
        return;
    const User user{nick, orderedPrefix(prefix), foldNick(nick, m_mapping), false, {}};
    const int row = insertPosition(user);
    beginInsertRows({}, row, row);
    m_users.insert(row, user);
    endInsertRows();
    Q_EMIT countChanged();
}

bool UserModel::setMembership(const QString &nick, QChar symbol, bool on)
{
    const int row = indexOf(nick);
    if (row < 0 || !m_prefixSymbols.contains(symbol) || m_users.at(row).prefix.contains(symbol) == on)
        return false;
    User user = m_users.at(row);
    user.prefix = orderedPrefix(on ? user.prefix + symbol : QString(user.prefix).remove(symbol));
    beginRemoveRows({}, row, row);
    m_users.removeAt(row);
    endRemoveRows();
    const int newRow = insertPosition(user);
    beginInsertRows({}, newRow, newRow);
    m_users.insert(newRow, user);
    endInsertRows();
    return true;
}

QString UserModel::prefixesOf(const QString &nick) const
{
    const int row = indexOf(nick);
    return row < 0 ? QString() : m_users.at(row).prefix;
}

QString UserModel::selfPrefixes() const
{
    for (const User &user : m_users) {
        if (user.folded == m_selfFolded)
            return user.prefix;
    }
    return {};
}

bool UserModel::setAway(const QString &nick, bool away, const QString &message)
{
    const int row = indexOf(nick);
    if (row < 0)
        return false;
    User &user = m_users[row];
    // WHO says only "away": a message heard before stays until they come back.
    const QString newMessage = !away ? QString() : message.isEmpty() ? user.awayMessage : message;
    if (user.away == away && user.awayMessage == newMessage)
        return false;
    user.away = away;
    user.awayMessage = newMessage;
    Q_EMIT dataChanged(index(row), index(row), {AwayRole, AwayMessageRole});
    return true;
}

bool UserModel::isAway(const QString &nick) const
{
    const int row = indexOf(nick);
    return row >= 0 && m_users.at(row).away;
}

QString UserModel::orderedPrefix(const QString &prefix) const
{
    QString ordered;
    for (const QChar symbol : m_prefixSymbols) {
        if (prefix.contains(symbol))
            ordered += symbol;
    }
    return ordered;
}

bool UserModel::remove(const QString &nick)
{
    const int row = indexOf(nick);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_users.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

bool UserModel::rename(const QString &from, const QString &to)
{
    const int row = indexOf(from);
    if (row < 0)
        return false;
    const User user = m_users.at(row);
    remove(from);
    add(to, user.prefix);
    setAway(to, user.away, user.awayMessage);
    return true;
}

void UserModel::clear()
{
    if (m_users.isEmpty())
        return;
    beginResetModel();
    m_users.clear();
    endResetModel();
    Q_EMIT countChanged();
}

QStringList UserModel::nicks() const
{
    QStringList result;
    for (const User &user : m_users)
        result << user.nick;
    return result;
}

QStringList UserModel::namesWithPrefixes() const
{
    QStringList result;
    for (const User &user : m_users)
        result << user.prefix.left(1) + user.nick;
    return result;
}

QStringList UserModel::completions(const QString &prefix) const
{
    const QString folded = foldNick(prefix, m_mapping);
    QStringList result;
    for (const User &user : m_users) {
        if (user.folded.startsWith(folded))
            result << user.nick;
    }
    return result;
}

int UserModel::indexOf(const QString &nick) const
{
    const QString folded = foldNick(nick, m_mapping);
    for (int row = 0; row < count(); ++row) {
        if (m_users.at(row).folded == folded)
            return row;
    }
    return -1;
}

int UserModel::insertPosition(const User &user) const
{
    const auto it = std::lower_bound(m_users.cbegin(), m_users.cend(), user,
                                     [this](const User &a, const User &b) { return lessThan(a, b); });
    return int(it - m_users.cbegin());
}

bool UserModel::lessThan(const User &a, const User &b) const
{
    const int rankA = rank(a.prefix);
    const int rankB = rank(b.prefix);
    if (rankA != rankB)
        return rankA < rankB;
    return a.folded < b.folded;
}

int UserModel::rank(const QString &prefix) const
{
    const qsizetype position = prefix.isEmpty() ? -1 : m_prefixSymbols.indexOf(prefix.at(0));
    return position < 0 ? int(m_prefixSymbols.size()) : int(position);
}

} // namespace tktalk::client
