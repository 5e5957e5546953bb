#include "channeldirectory.h"

#include "casemapping.h"
#include "conversationlist.h"
#include "ircconnection.h"
#include "irctext.h"

#include <QRegularExpression>

#include <algorithm>

namespace tktalk::client {

using protocol::Message;

namespace {

/// A topic as the list shows it: without formatting, and without the "[+nt] " of channel modes
/// that some servers (InspIRCd, for one) put in front of it in LIST replies.
QString listedTopic(const QByteArray &topic)
{
    static const QRegularExpression modes(QStringLiteral("^\\[\\+[A-Za-z]*( [^\\]]*)?\\] ?"));
    QString result = stripFormatting(ircText(topic));
    result.remove(modes);
    return result.trimmed();
}

} // namespace

ChannelDirectory::ChannelDirectory(IrcConnection &connection, const ConversationList &conversations, QObject *parent)
    : QAbstractListModel(parent), m_connection(connection), m_conversations(conversations)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(kListTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(tr("The server did not finish its list of channels within %1 s.").arg(m_timeout.interval() / 1000.0));
    });
    connect(&connection, &IrcConnection::messageReceived, this, &ChannelDirectory::onMessage);
    connect(&connection, &IrcConnection::established, this, &ChannelDirectory::onEstablished);
    connect(&connection, &IrcConnection::closed, this, &ChannelDirectory::onClosed);
    // Whether we are in a channel changes with the conversations.
    connect(&conversations, &QAbstractItemModel::dataChanged, this, &ChannelDirectory::updateJoined);
    connect(&conversations, &QAbstractItemModel::rowsInserted, this, &ChannelDirectory::updateJoined);
    connect(&conversations, &QAbstractItemModel::rowsRemoved, this, &ChannelDirectory::updateJoined);
    connect(&conversations, &QAbstractItemModel::modelReset, this, &ChannelDirectory::updateJoined);
    updateJoined();
}

int ChannelDirectory::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ChannelDirectory::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Channel &channel = m_channels.at(size_t(m_shown.at(size_t(index.row()))));
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return channel.name;
    case MembersRole:
        return channel.members;
    case TopicRole:
        return channel.topic;
    case JoinedRole:
        return m_joined.contains(channel.folded);
    default:
        return {};
    }
}

QHash<int, QByteArray> ChannelDirectory::roleNames() const
{
    return {{NameRole, "name"}, {MembersRole, "members"}, {TopicRole, "topic"}, {JoinedRole, "joined"}};
}

void ChannelDirectory::refresh()
{
    if (m_loading)
        return;
    if (!m_registered) {
        setError(tr("Not connected: the list of channels comes from the server once you are connected."));
        return;
    }
    setError({});
    m_pending.clear();
    m_pendingNames.clear();
    m_connection.send(Message("LIST"));
    m_timeout.start();
    setLoading(true);
}

void ChannelDirectory::onMessage(const Message &message)
{
    const QByteArray &command = message.command;
    if (command == "001") {
        m_registered = true;
    } else if (command == "005") {
        onIsupport(message);
    } else if (!m_loading) {
        return; // an answer to somebody else's LIST, or nothing to do with it
    } else if (command == "321") {
        m_timeout.start();
    } else if (command == "322") {
        m_timeout.start();
        addListed(message);
    } else if (command == "323") {
        finish();
    } else if (refusesList(message)) {
        const QString why = ircText(message.params.value(message.params.size() - 1));
        fail(tr("The server did not give its list of channels: %1").arg(why));
    }
}

void ChannelDirectory::onIsupport(const Message &message)
{
    // 005 <me> <token>... :are supported
    for (qsizetype i = 1; i + 1 < message.params.size(); ++i) {
        const QByteArray &token = message.params.at(i);
        if (token.startsWith("CHANTYPES=") || token == "-CHANTYPES") {
            const QString types = ircText(token.mid(10));
            // An empty value means no channels at all; a client that joins some keeps the default.
            m_channelTypes = types.isEmpty() ? QLatin1String(kDefaultChannelTypes) : types;
        } else if (token.startsWith("CHANNELLEN=") || token == "-CHANNELLEN") {
            const int length = token.mid(11).toInt();
            m_channelLength = length > 0 ? length : kDefaultChannelLength;
        } else if (token.startsWith("CASEMAPPING=")) {
            m_casemapping = protocol::casemappingFromName(token.mid(12));
            // Fold the names known so far again (usually none: 005 comes before any LIST).
            m_indexOf.clear();
            for (size_t i = 0; i < m_channels.size(); ++i) {
                m_channels[i].folded = fold(m_channels[i].name);
                m_indexOf.insert(m_channels[i].folded, int(i));
            }
            m_joined.clear();
            updateJoined();
        }
    }
}

void ChannelDirectory::addListed(const Message &message)
{
    const QString name = ircText(message.param(1));
    // Some servers list a secret channel as "*"; it cannot be joined by that name.
    if (name.isEmpty() || !m_channelTypes.contains(name.front()))
        return;
    const QString folded = fold(name);
    if (int(m_pending.size()) >= kMaxChannels || m_pendingNames.contains(folded))
        return;
    bool numeric = false;
    const int members = message.param(2).toInt(&numeric);
    m_pending.push_back(Channel{name, folded, numeric ? std::max(members, 0) : 0, listedTopic(message.param(3))});
    m_pendingNames.insert(folded);
}

void ChannelDirectory::finish()
{
    m_timeout.stop();
    std::vector<Channel> channels = std::move(m_pending);
    m_pending.clear();
    m_pendingNames.clear();
    install(std::move(channels));
    setLoading(false);
}

void ChannelDirectory::fail(const QString &why)
{
    m_timeout.stop();
    m_pending.clear();
    m_pendingNames.clear();
    setError(why);
    setLoading(false);
}

bool ChannelDirectory::refusesList(const Message &message)
{
    // <numeric> <me> LIST [...] :<text>: 263 RPL_TRYAGAIN (the server is busy), or an error such as
    // 421 (no LIST here) or 416 (too many channels to list).
    const QByteArray &command = message.command;
    const bool error = command.size() == 3 && (command.startsWith('4') || command.startsWith('5'));
    return (error || command == "263") && message.param(1).compare("LIST", Qt::CaseInsensitive) == 0;
}

void ChannelDirectory::onEstablished()
{
    m_registered = false;
    m_timeout.stop();
    m_pending.clear();
    m_pendingNames.clear();
    m_channelTypes = QLatin1String(kDefaultChannelTypes);
    m_channelLength = kDefaultChannelLength;
    m_casemapping = protocol::Casemapping::Rfc1459;
    setError({});
    setLoading(false);
    if (!m_shown.empty()) {
        beginRemoveRows({}, 0, count() - 1);
        m_shown.clear();
        endRemoveRows();
    }
    m_channels.clear();
    m_indexOf.clear();
    Q_EMIT resultsChanged();
}

void ChannelDirectory::onClosed()
{
    m_registered = false;
    if (m_loading)
        fail(tr("The connection closed before the server finished its list of channels."));
}

void ChannelDirectory::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void ChannelDirectory::setError(const QString &text)
{
    if (m_errorText == text)
        return;
    m_errorText = text;
    Q_EMIT errorTextChanged();
}

void ChannelDirectory::install(std::vector<Channel> channels)
{
    std::sort(channels.begin(), channels.end(), [](const Channel &a, const Channel &b) {
        if (a.members != b.members)
            return a.members > b.members;
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.name < b.name;
    });
    QHash<QString, int> indexOf;
    indexOf.reserve(qsizetype(channels.size()));
    for (size_t i = 0; i < channels.size(); ++i)
        indexOf.insert(channels[i].folded, int(i));
    if (m_shown.empty()) {
        // Nothing on screen: every matching row arrives in one insertion.
        m_channels = std::move(channels);
        m_indexOf = std::move(indexOf);
        std::vector<int> shown = matchingIndexes();
        if (!shown.empty()) {
            beginInsertRows({}, 0, int(shown.size()) - 1);
            m_shown = std::move(shown);
            endInsertRows();
        }
    } else {
        beginResetModel();
        m_channels = std::move(channels);
        m_indexOf = std::move(indexOf);
        m_shown = matchingIndexes();
        endResetModel();
    }
    Q_EMIT resultsChanged();
}

bool ChannelDirectory::matches(const Channel &channel) const
{
    const QString wanted = m_filter.trimmed();
    return wanted.isEmpty() || channel.name.contains(wanted, Qt::CaseInsensitive)
           || channel.topic.contains(wanted, Qt::CaseInsensitive);
}

std::vector<int> ChannelDirectory::matchingIndexes() const
{
    std::vector<int> indexes;
    for (size_t i = 0; i < m_channels.size(); ++i) {
        if (matches(m_channels[i]))
            indexes.push_back(int(i));
    }
    return indexes;
}

void ChannelDirectory::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    Q_EMIT filterChanged();
    applyFilter();
    Q_EMIT resultsChanged();
}

void ChannelDirectory::applyFilter()
{
    // The rows before and after are both in the list's order, so the change is a few runs of rows
    // removed and then a few runs inserted: the view keeps what stays (and its selection).
    const std::vector<int> wanted = matchingIndexes();
    const auto isWanted = [&wanted](int index) { return std::binary_search(wanted.begin(), wanted.end(), index); };
    for (int last = count() - 1; last >= 0;) {
        if (isWanted(m_shown[size_t(last)])) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !isWanted(m_shown[size_t(first - 1)]))
            --first;
        beginRemoveRows({}, first, last);
        m_shown.erase(m_shown.begin() + first, m_shown.begin() + last + 1);
        endRemoveRows();
        last = first - 1;
    }
    // What is left is in wanted, in the same order: insert the runs between.
    size_t row = 0;
    for (size_t next = 0; next < wanted.size();) {
        if (row < m_shown.size() && m_shown[row] == wanted[next]) {
            ++row;
            ++next;
            continue;
        }
        size_t end = next;
        while (end < wanted.size() && !(row < m_shown.size() && m_shown[row] == wanted[end]))
            ++end;
        beginInsertRows({}, int(row), int(row + (end - next)) - 1);
        m_shown.insert(m_shown.begin() + qsizetype(row), wanted.begin() + qsizetype(next),
                       wanted.begin() + qsizetype(end));
        endInsertRows();
        row += end - next;
        next = end;
    }
}

int ChannelDirectory::rowOfIndex(int index) const
{
    const auto found = std::lower_bound(m_shown.begin(), m_shown.end(), index);
    return found != m_shown.end() && *found == index ? int(found - m_shown.begin()) : -1;
}

QString ChannelDirectory::fold(const QString &name) const
{
    return foldNick(name, m_casemapping);
}

QString ChannelDirectory::newChannel() const
{
    if (m_filter.trimmed().isEmpty() || !validateName(m_filter).isEmpty())
        return {};
    const QString name = channelName(m_filter);
    return m_indexOf.contains(fold(name)) ? QString() : name;
}

int ChannelDirectory::bestRow() const
{
    if (m_shown.empty())
        return -1;
    if (!m_filter.trimmed().isEmpty()) {
        const auto exact = m_indexOf.constFind(fold(channelName(m_filter)));
        if (exact != m_indexOf.cend()) {
            if (const int row = rowOfIndex(*exact); row >= 0)
                return row;
        }
    }
    return 0;
}

QString ChannelDirectory::nameAt(int row) const
{
    return row >= 0 && row < count() ? m_channels.at(size_t(m_shown.at(size_t(row)))).name : QString();
}

QString ChannelDirectory::joinTarget(int row) const
{
    return row >= 0 && row < count() ? nameAt(row) : channelName(m_filter);
}

QString ChannelDirectory::channelName(const QString &typed) const
{
    QString name = typed.trimmed();
    if (name.isEmpty() || m_channelTypes.contains(name.front()))
        return name;
    // '#' where the server has it (nearly everywhere), else its first kind of channel.
    const QChar prefix = m_channelTypes.contains(QLatin1Char('#')) ? QLatin1Char('#') : m_channelTypes.front();
    return prefix + name;
}

QString ChannelDirectory::validateName(const QString &typed) const
{
    const QString name = channelName(typed);
    if (name.isEmpty())
        return tr("Type the name of a channel.");
    if (name.size() == 1)
        return tr("Type a name after the %1.").arg(name);
    if (name.contains(QLatin1Char(' ')))
        return tr("A channel name cannot contain spaces.");
    if (name.contains(QLatin1Char(',')))
        return tr("A channel name cannot contain a comma.");
    if (name.contains(QLatin1Char(':')))
        return tr("A channel name cannot contain a colon.");
    const auto isControl = [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; };
    if (std::any_of(name.begin(), name.end(), isControl))
        return tr("A channel name cannot contain control characters (tabs, line breaks, formatting codes).");
    const qsizetype bytes = name.toUtf8().size();
    if (bytes > m_channelLength)
        return tr("The name is too long: this server allows %1 bytes, and it has %2 (letters outside "
                  "English take 2 to 4).")
            .arg(m_channelLength)
            .arg(bytes);
    return {};
}

void ChannelDirectory::updateJoined()
{
    QSet<QString> joined;
    for (int row = 0; row < m_conversations.count(); ++row) {
        const Conversation *conversation = m_conversations.at(row);
        if (conversation->kind() == Conversation::Kind::Channel && conversation->joined())
            joined.insert(fold(conversation->name()));
    }
    if (joined == m_joined)
        return;
    const QSet<QString> changed = (joined - m_joined) + (m_joined - joined);
    m_joined = std::move(joined);
    for (const QString &name : changed) {
        const auto index = m_indexOf.constFind(name);
        const int row = index == m_indexOf.cend() ? -1 : rowOfIndex(*index);
        if (row >= 0)
            Q_EMIT dataChanged(this->index(row), this->index(row), {JoinedRole});
    }
}

} // namespace tktalk::client
