#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief A channel's ban list (+b) as the server lists it (367), in the order it lists it, then
 * the bans set since. Masks compare without regard to case, as servers compare them.
 */
class BanListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A BanListModel belongs to a ChannelState")
    /// @brief How many bans there are.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    /// The roles QML delegates use.
    enum Role {
        MaskRole = Qt::UserRole + 1, ///< the mask: "troll!*@*"
        SetByRole,                   ///< who set it, when the server said; empty otherwise
        SetAtRole,                   ///< when it was set (QDateTime, UTC); invalid when unknown
    };

    /// @brief One ban.
    struct Entry
    {
        QString mask;
        QString setBy;
        QDateTime setAt;
    };

    explicit BanListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_entries.size()); }
    const Entry &at(int row) const { return m_entries.at(row); }
    QStringList masks() const;
    /// Replaces the list with @p entries (a mask listed twice is kept once).
    void setEntries(const QList<Entry> &entries);
    /// Adds @p entry at the end; false when its mask is listed already.
    bool add(const Entry &entry);
    /// Removes @p mask; false when it was not listed.
    bool remove(const QString &mask);
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    int indexOf(const QString &mask) const;

    QList<Entry> m_entries;
};

} // namespace tktalk::client
