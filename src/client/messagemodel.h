#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief One conversation's transcript: one row per line shown, oldest first, at most capacity() rows (the oldest
 * are dropped), so that memory stays bounded however long the client runs.
 */
class MessageModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("MessageModel belongs to a ChatSession")
    /// @brief Rows kept before the oldest are dropped.
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
public:
    /// What a row is; QML styles each kind differently.
    enum class Kind { Chat, Action, PrivateIn, PrivateOut, System, Error, Notice };
    Q_ENUM(Kind)

    /// The roles QML delegates use.
    enum Role {
        KindRole = Qt::UserRole + 1, ///< Kind
        TimeRole,                    ///< "hh:mm" local time
        TimestampRole,               ///< QDateTime
        SenderRole,                  ///< nick who wrote it (empty for system lines)
        SenderHueRole,               ///< 0..1, stable per nick
        TextRole,                    ///< the plain text
        HtmlRole,                    ///< the whole line as StyledText: escaped, links clickable, action marks
        PeerRole,                    ///< for private messages: the other person
        PeerHueRole,                 ///< 0..1, the colour of the other person's nick
        FirstUnreadRole,             ///< bool: the first line from others after the read marker
    };

    struct Entry
    {
        Kind kind = Kind::System;
        QDateTime time;
        QString sender;
        QString text;
        QString peer;
        QByteArray msgid; ///< the server's id for it (IRCv3 msgid), when it gave one
        bool fromOthers = false; ///< said by someone else: unread until read
        bool mention = false;    ///< and it speaks to the user (names them, or is private)
    };

    static constexpr int kDefaultCapacity = 50'000;

    explicit MessageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Row @p row as a map of role name to value, for tests and scripts; empty when out of range.
    Q_INVOKABLE QVariantMap get(int row) const;

    void append(Entry entry);
    /// Adds @p entry among the others by its time (after those of the same time): a line from the
    /// server's history, which may come after lines said since.
    void insertByTime(Entry entry);
    /// Adds @p entry at @p row (0 to rowCount()).
    void insertAt(int row, Entry entry);
    /// The oldest row with a msgid, or -1.
    int firstMsgidRow() const;
    /// Marks the first line from others said after @p marker (FirstUnreadRole); an invalid time
    /// marks none.
    void setReadMarker(const QDateTime &marker);
    /// Lines from others said after @p marker, and of those the mentions.
    std::pair<int, int> countAfter(const QDateTime &marker) const;
    /// The time of the newest row, invalid when there is none.
    QDateTime newestTime() const;
    /// The msgid of the oldest row that has one, and of the newest; empty when none has.
    QByteArray firstMsgid() const;
    QByteArray lastMsgid() const;
    void clear();
    const Entry &at(int row) const { return m_entries.at(row); }
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);

    /// @p text HTML-escaped, with http(s) and www. links wrapped in anchors; nothing else becomes markup.
    static QString toHtml(const QString &text);
    /// The line as shown: toHtml() of the text, in italics for an action or the client's own lines.
    static QString lineHtml(const Entry &entry);

Q_SIGNALS:
    void capacityChanged();

private:
    void trim();

    void updateFirstUnread();

    QList<Entry> m_entries;
    QDateTime m_readMarker;
    int m_firstUnreadRow = -1;
    int m_capacity = kDefaultCapacity;
};

} // namespace tktalk::client
