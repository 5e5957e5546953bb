#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace tktalk::server {

/// @brief What a registered channel's access list gives an account on joining.
enum class AccessLevel { None, Voice, Operator };

/// @brief A channel registered with ChanServ: its founder and its access list, by account.
struct RegisteredChannel
{
    QByteArray name;
    QByteArray founder; ///< the founder's account, as registered
    qint64 registeredAtSecs = 0;
    QByteArray topic; ///< kept across restarts
    QByteArray topicSetBy;
    qint64 topicSetAtSecs = 0;
    /// folded account -> (account as given, level); the founder is not listed: it is always an operator.
    QHash<QByteArray, std::pair<QByteArray, AccessLevel>> access;
};

/**
 * @brief The channels registered with ChanServ, in memory and in the account database (tables
 * registered_channels and channel_access), so that they, their founders and access lists survive
 * restarts. Names and accounts are compared casemapped.
 */
class RegisteredChannels
{
public:
    /// Reads the registrations from the open database @p connectionName.
    bool load(const QString &connectionName, QString *error);

    const RegisteredChannel *find(const QByteArray &channel) const;
    QList<RegisteredChannel> all() const { return m_channels.values(); }
    /// The level @p account has in @p channel: the founder is an operator.
    AccessLevel levelFor(const QByteArray &channel, const QByteArray &account) const;

    /// Each returns false (and changes nothing) if the database refused the write.
    bool add(const QByteArray &channel, const QByteArray &founder, qint64 nowSecs);
    bool drop(const QByteArray &channel);
    bool setAccess(const QByteArray &channel, const QByteArray &account, AccessLevel level);
    /// Stores the topic of a registered channel (false for another channel, or a failed write).
    bool setTopic(const QByteArray &channel, const QByteArray &topic, const QByteArray &setBy, qint64 atSecs);

private:
    QString m_connectionName;
    QHash<QByteArray, RegisteredChannel> m_channels; // folded name -> registration
};

} // namespace tktalk::server
