#pragma once

#include "channelmodes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace tktalk::server {

/// @brief What a registered channel's access list gives an account on joining.
enum class AccessLevel { None, Voice, Operator };

/// @brief A channel registered with ChanServ: its founder and its access list, by account, and
/// what it keeps across restarts (topic, modes, bans and exceptions).
struct RegisteredChannel
{
    QByteArray name;
    QByteArray founder; ///< the founder's account, as registered
    qint64 registeredAtSecs = 0;
    QByteArray description; ///< ChanServ SET DESCRIPTION, shown by INFO
    QByteArray topic;       ///< kept across restarts
    QByteArray topicSetBy;
    qint64 topicSetAtSecs = 0;
    /// The modes as last stored: flags, key, limit and the +b/+e/+I lists (not +o/+v, which the
    /// access list gives), restored into the channel when the server starts.
    ChannelModes modes;
    /// folded account -> (account as given, level); the founder is not listed: it is always an operator.
    QHash<QByteArray, std::pair<QByteArray, AccessLevel>> access;
};

/**
 * @brief The channels registered with ChanServ, in memory and in the account database (tables
 * registered_channels, channel_access and channel_masks), so that they, their founders, access
 * lists, topics and modes survive restarts. Names and accounts are compared casemapped.
 *
 * Writes are synchronous SQLite statements on the event loop (WAL, synchronous=FULL, as every
 * other account-database write): they follow rare operator actions (a MODE, TOPIC or ChanServ
 * command on a registered channel), and each is one short transaction.
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
    /// Stores @p modes (flags, key, limit, +b/+e/+I) as those of registered @p channel, in one transaction.
    bool setModes(const QByteArray &channel, const ChannelModes &modes);
    bool setFounder(const QByteArray &channel, const QByteArray &account);
    bool setDescription(const QByteArray &channel, const QByteArray &description);

private:
    /// Reads the +b/+e/+I lists into the loaded channels.
    bool loadMasks(QString *error);
    /// Runs "UPDATE registered_channels SET <column> = ? WHERE folded = ?".
    bool updateColumn(const QByteArray &channel, const char *column, const QByteArray &value);

    QString m_connectionName;
    QHash<QByteArray, RegisteredChannel> m_channels; // folded name -> registration
};

} // namespace tktalk::server
