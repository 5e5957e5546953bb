#pragma once

#include "casemapping.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief The people in the current room, sorted by rank (the server's PREFIX order, e.g. @ before +)
 * and then by name, compared under the server's casemapping.
 */
class UserModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("UserModel belongs to a ChatSession")
    /// @brief How many people are in the room.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    /// The roles QML delegates use.
    enum Role {
        NickRole = Qt::UserRole + 1, ///< the nickname
        PrefixRole,                  ///< the highest prefix: "@", "+" or empty
        HueRole,                     ///< 0..1, the nick's colour
        IsSelfRole,                  ///< true for the user of this client
        GroupRole,                   ///< "operators" (~ & @), "halfops" (%), "voiced" (+) or "members"
        PrefixesRole,                ///< every prefix, highest first: "@+" for an operator with voice
        AwayRole,                    ///< true while the person is marked away (WHO's G, away-notify)
        AwayMessageRole,             ///< why they are away, when known; empty otherwise
    };
    /// The group of a member whose highest prefix is @p prefix (GroupRole).
    static QString groupOf(const QString &prefix);

    explicit UserModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_users.size()); }
    /// Server rules: casemapping, and the prefix symbols from highest rank to lowest ("@+").
    void setServerRules(protocol::Casemapping mapping, const QString &prefixSymbols);
    QString prefixSymbols() const { return m_prefixSymbols; }
    void setSelf(const QString &nick);

    /// Replaces everyone with @p names as NAMES sends them ("@alice", "+bob", "carol!u@h").
    void setNames(const QStringList &names);
    void add(const QString &nick, const QString &prefix = {});
    /// Gives (@p on) or takes the status shown by prefix @p symbol ('@' for +o); false when @p nick
    /// is not listed or already was that way. The user moves to its place for its new rank.
    bool setMembership(const QString &nick, QChar symbol, bool on);
    /// The prefixes of @p nick, highest first ("@+"); empty when it has none or is not listed.
    QString prefixesOf(const QString &nick) const;
    /// The prefixes of the user of this client (setSelf()), highest first; empty when not listed.
    QString selfPrefixes() const;
    /// Marks @p nick away (with @p message when known) or back; false when @p nick is not listed or
    /// nothing changed. Kept when the names are listed again (setNames()) and across a rename.
    bool setAway(const QString &nick, bool away, const QString &message = {});
    bool isAway(const QString &nick) const;
    bool remove(const QString &nick);
    bool rename(const QString &from, const QString &to);
    bool contains(const QString &nick) const { return indexOf(nick) >= 0; }
    void clear();
    QStringList nicks() const;
    /// The nicks in list order, each after its highest prefix: "@alice", "bob".
    QStringList namesWithPrefixes() const;
    /// Nicks that start with @p prefix (ignoring case), in list order.
    QStringList completions(const QString &prefix) const;
    /// Splits "@+nick!user@host" into its prefix symbols and nick.
    std::pair<QString, QString> splitName(const QString &name) const;

Q_SIGNALS:
    void countChanged();

private:
    struct User
    {
        QString nick;
        QString prefix; ///< every prefix the user has here, highest first
        QString folded;
        bool away = false;
        QString awayMessage; ///< empty when unknown
    };
    /// @p prefix's known symbols, each once, highest rank first.
    QString orderedPrefix(const QString &prefix) const;
    int indexOf(const QString &nick) const;
    int insertPosition(const User &user) const;
    bool lessThan(const User &a, const User &b) const;
    int rank(const QString &prefix) const;

    QList<User> m_users;
    protocol::Casemapping m_mapping = protocol::Casemapping::Rfc1459;
    QString m_prefixSymbols = QStringLiteral("@+");
    QString m_selfFolded;
};

} // namespace tktalk::client
