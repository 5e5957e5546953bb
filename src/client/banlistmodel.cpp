#include "banlistmodel.h"

namespace tktalk::client {

BanListModel::BanListModel(QObject *parent) : QAbstractListModel(parent) {}

int BanListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant BanListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case MaskRole:
        return entry.mask;
    case SetByRole:
        return entry.setBy;
    case SetAtRole:
        return entry.setAt;
    default:
        return {};
    }
}

QHash<int, QByteArray> BanListModel::roleNames() const
{
    return {{MaskRole, "mask"}, {SetByRole, "setBy"}, {SetAtRole, "setAt"}};
}

QStringList BanListModel::masks() const
{
    QStringList result;
    for (const Entry &entry : m_entries)
        result << entry.mask;
    return result;
}

void BanListModel::setEntries(const QList<Entry> &entries)
{
    const int before = count();
    beginResetModel();
    m_entries.clear();
    for (const Entry &entry : entries) {
        if (indexOf(entry.mask) < 0)
            m_entries << entry;
    }
    endResetModel();
    if (count() != before)
        Q_EMIT countChanged();
}

bool BanListModel::add(const Entry &entry)
{
    if (entry.mask.isEmpty() || indexOf(entry.mask) >= 0)
        return false;
    beginInsertRows({}, count(), count());
    m_entries << entry;
    endInsertRows();
    Q_EMIT countChanged();
    return true;
}

bool BanListModel::remove(const QString &mask)
{
    const int row = indexOf(mask);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

void BanListModel::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
}

int BanListModel::indexOf(const QString &mask) const
{
    for (int row = 0; row < count(); ++row) {
        if (m_entries.at(row).mask.compare(mask, Qt::CaseInsensitive) == 0)
            return row;
    }
    return -1;
}

} // namespace tktalk::client
