#pragma once

#include "conversation.h"
#include "casemapping.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tktalk::client {

/**
 * @brief The window's sidebar: every conversation, the server's first, then the channels, then the
 * private conversations, each group in the order it was opened. One of them is current: the one shown.
 *
 * It keeps the unread and mention counts: a line that arrives in a conversation the user is not
 * looking at (another one is current, or the window is not active) counts, and showing the
 * conversation in an active window clears its counts.
 */
class ConversationList : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The ConversationList belongs to a ChatSession")
    Q_PROPERTY(tktalk::client::Conversation *current READ current NOTIFY currentChanged)
    Q_PROPERTY(int currentIndex READ currentIndex WRITE activate NOTIFY currentChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// @brief Unread lines in every conversation together.
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, ///< QString
        KindRole,                    ///< Conversation::Kind, as an int
        UnreadRole,                  ///< int
        MentionsRole,                ///< int
        JoinedRole,                  ///< bool: a channel we are in; true for the others
        CurrentRole,                 ///< bool
        ConversationRole,            ///< Conversation *
    };

    explicit ConversationList(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_conversations.size()); }
    /// The conversation at @p row; nullptr out of range.
    Q_INVOKABLE tktalk::client::Conversation *at(int row) const
    {
        return row >= 0 && row < count() ? m_conversations.at(size_t(row)) : nullptr;
    }
    /// The server's own conversation: always the first row.
    Conversation *server() const { return m_conversations.front(); }
    Conversation *current() const { return at(m_current); }
    int currentIndex() const { return m_current; }
    int totalUnread() const;

    /// How names compare (the server's CASEMAPPING) and its PREFIX symbols: for this list and every
    /// member list in it, now and later.
    void setServerRules(protocol::Casemapping mapping, const QString &prefixSymbols);
    /// The user's nick, for every member list, now and later.
    void setSelf(const QString &nick);
    void setServerName(const QString &name);
    /// The conversation named @p name (nick or channel, in any case), or nullptr.
    Conversation *find(const QString &name) const;
    /// The row of the conversation named @p name, or -1.
    Q_INVOKABLE int indexOf(const QString &name) const { return rowOf(find(name)); }
    /// The conversation named @p name, opened (as @p kind) when there is none yet.
    Conversation *open(const QString &name, Conversation::Kind kind);
    /// Shows @p row; out of range does nothing.
    Q_INVOKABLE void activate(int row);
    void activate(Conversation *conversation);
    /// Shows the conversation @p step rows away, wrapping around.
    Q_INVOKABLE void activateNext(int step);
    /// Shows the next conversation after the current one with unread lines, wrapping around; false
    /// when none has.
    Q_INVOKABLE bool activateNextUnread();
    /// The rows of the conversations whose name contains @p text (in any case, a leading # or @
    /// optional), for the quick switcher: names that start with it first, then the others; in each,
    /// those with unread lines first, then in the sidebar's order. Empty @p text: every row but the
    /// current one, unread first.
    Q_INVOKABLE QList<int> matching(const QString &text) const;
    /// Removes @p row (not the server's); the one before it becomes current if it was.
    Q_INVOKABLE void close(int row);
    /// A private conversation follows its person's new nick.
    void rename(const QString &from, const QString &to);
    /// Counts a line from someone else in @p conversation, unless the user is looking at it.
    void noteIncoming(Conversation *conversation, bool mention);
    /// Whether the window is active: while it is not, even the current conversation gathers unread lines.
    void setWindowActive(bool active);
    /// Every conversation but the server's, for a new login.
    void clear();

Q_SIGNALS:
    void currentChanged();
    void countChanged();
    void totalUnreadChanged();

private:
    /// Keeps the row of @p conversation up to date with it.
    void watch(Conversation *conversation);
    int rowOf(const Conversation *conversation) const;
    QString fold(const QString &name) const;
    void rowChanged(const Conversation *conversation);

    std::vector<Conversation *> m_conversations; ///< children of this object
    int m_current = 0;
    bool m_windowActive = true;
    protocol::Casemapping m_casemapping = protocol::Casemapping::Rfc1459;
    QString m_prefixSymbols = QStringLiteral("@+");
    QString m_self;
};

} // namespace tktalk::client
