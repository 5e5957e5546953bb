#include "messagemodel.h"

#include "casemapping.h"

#include <QRegularExpression>

namespace tktalk::client {

MessageModel::MessageModel(QObject *parent) : QAbstractListModel(parent) {}

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    switch (role) {
    case KindRole:
        return QVariant::fromValue(entry.kind);
    case TimeRole:
        return entry.time.toLocalTime().toString(QStringLiteral("HH:mm"));
    case TimestampRole:
        return entry.time;
    case SenderRole:
        return entry.sender;
    case SenderHueRole:
        return entry.sender.isEmpty() ? 0.0 : nickHue(entry.sender);
    case Qt::DisplayRole:
    case TextRole:
        return entry.text;
    case HtmlRole:
        return lineHtml(entry);
    case PeerRole:
        return entry.peer;
    case PeerHueRole:
        return entry.peer.isEmpty() ? 0.0 : nickHue(entry.peer);
    case FirstUnreadRole:
        return index.row() == m_firstUnreadRow;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    return {{KindRole, "kind"},   {TimeRole, "time"}, {TimestampRole, "timestamp"},
            {SenderRole, "sender"}, {SenderHueRole, "senderHue"}, {TextRole, "text"},
            {HtmlRole, "html"},   {PeerRole, "peer"}, {PeerHueRole, "peerHue"}, {FirstUnreadRole, "firstUnread"}};
}

QVariantMap MessageModel::get(int row) const
{
    QVariantMap result;
    if (row < 0 || row >= rowCount())
        return result;
    const QHash<int, QByteArray> roles = roleNames();
    for (auto it = roles.cbegin(); it != roles.cend(); ++it)
        result.insert(QString::fromLatin1(it.value()), data(index(row), it.key()));
    return result;
}

void MessageModel::append(Entry entry)
{
    insertAt(int(m_entries.size()), std::move(entry));
}

void MessageModel::insertByTime(Entry entry)
{
    if (!entry.time.isValid())
        entry.time = QDateTime::currentDateTimeUtc();
    // Usually at or near the end: search from there.
    int row = int(m_entries.size());
    while (row > 0 && m_entries.at(row - 1).time > entry.time)
        --row;
    insertAt(row, std::move(entry));
}

void MessageModel::insertAt(int row, Entry entry)
{
    row = std::clamp(row, 0, int(m_entries.size()));
    if (!entry.time.isValid())
        entry.time = QDateTime::currentDateTimeUtc();
    beginInsertRows({}, row, row);
    m_entries.insert(row, std::move(entry));
    endInsertRows();
    trim();
    if (m_readMarker.isValid())
        updateFirstUnread();
}

int MessageModel::firstMsgidRow() const
{
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        if (!m_entries.at(row).msgid.isEmpty())
            return int(row);
    }
    return -1;
}

QByteArray MessageModel::firstMsgid() const
{
    const int row = firstMsgidRow();
    return row < 0 ? QByteArray() : m_entries.at(row).msgid;
}

QByteArray MessageModel::lastMsgid() const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (!it->msgid.isEmpty())
            return it->msgid;
    }
    return {};
}

void MessageModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_firstUnreadRow = -1;
    endResetModel();
}

void MessageModel::setReadMarker(const QDateTime &marker)
{
    m_readMarker = marker;
    updateFirstUnread();
}

void MessageModel::updateFirstUnread()
{
    int first = -1;
    if (m_readMarker.isValid()) {
        // From the end back to the marker: usually a few rows.
        for (int row = int(m_entries.size()) - 1; row >= 0 && m_entries.at(row).time > m_readMarker; --row) {
            if (m_entries.at(row).fromOthers)
                first = row;
        }
    }
    if (first == m_firstUnreadRow)
        return;
    const int previous = m_firstUnreadRow;
    m_firstUnreadRow = first;
    for (const int row : {previous, first}) {
        if (row >= 0 && row < m_entries.size())
            Q_EMIT dataChanged(index(row), index(row), {FirstUnreadRole});
    }
}

std::pair<int, int> MessageModel::countAfter(const QDateTime &marker) const
{
    int unread = 0;
    int mentions = 0;
    for (int row = int(m_entries.size()) - 1; row >= 0 && m_entries.at(row).time > marker; --row) {
        const Entry &entry = m_entries.at(row);
        unread += entry.fromOthers ? 1 : 0;
        mentions += entry.fromOthers && entry.mention ? 1 : 0;
    }
    return {unread, mentions};
}

QDateTime MessageModel::newestTime() const
{
    return m_entries.isEmpty() ? QDateTime() : m_entries.last().time;
}

void MessageModel::setCapacity(int capacity)
{
    capacity = std::max(capacity, 1);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    trim();
    Q_EMIT capacityChanged();
}

void MessageModel::trim()
{
    // Drop in batches of a hundredth of the capacity: one remove signal per batch, not per message.
    if (m_entries.size() <= m_capacity)
        return;
    const int excess = int(m_entries.size()) - m_capacity;
    const int batch = std::min(int(m_entries.size()), std::max(excess, m_capacity / 100));
    beginRemoveRows({}, 0, batch - 1);
    m_entries.remove(0, batch);
    m_firstUnreadRow = m_firstUnreadRow < batch ? -1 : m_firstUnreadRow - batch;
    endRemoveRows();
}

QString MessageModel::lineHtml(const Entry &entry)
{
    switch (entry.kind) {
    case Kind::Action:
        return QStringLiteral("<i>%1 %2</i>").arg(entry.sender.toHtmlEscaped(), toHtml(entry.text));
    case Kind::System:
        return QStringLiteral("<i>%1</i>").arg(toHtml(entry.text));
    default:
        return toHtml(entry.text);
    }
}

QString MessageModel::toHtml(const QString &text)
{
    static const QRegularExpression link(QStringLiteral(R"((?:https?://|www\.)[^\s<>"']+)"),
                                         QRegularExpression::CaseInsensitiveOption);
    QString html;
    qsizetype pos = 0;
    QRegularExpressionMatchIterator matches = link.globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        QString url = match.captured();
        // Punctuation after a link usually ends the sentence rather than belonging to the link.
        while (!url.isEmpty() && QStringLiteral(".,;:!?)]}").contains(url.back()))
            url.chop(1);
        if (url.size() < 8)
            continue;
        html += text.mid(pos, match.capturedStart() - pos).toHtmlEscaped();
        const QString href = url.startsWith(QLatin1String("www."), Qt::CaseInsensitive)
                                 ? QStringLiteral("https://") + url
                                 : url;
        html += QStringLiteral("<a href=\"%1\">%2</a>").arg(href.toHtmlEscaped(), url.toHtmlEscaped());
        pos = match.capturedStart() + url.size();
    }
    html += text.mid(pos).toHtmlEscaped();
    return html;
}

} // namespace tktalk::client
