#pragma once

#include "banmask.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace tktalk::server {

/// @brief One server ban (K-line): who it keeps out, why, who set it and until when.
struct ServerBan
{
    QByteArray mask;         ///< canonical: "nick!user@host", "~a:account" or "address[/prefix]"
    QByteArray reason;
    QByteArray setBy;        ///< the operator's nick and oper account, "alice (alice)"
    qint64 setAtSecs = 0;
    qint64 expiresAtSecs = 0; ///< 0: never

    bool isExpiredAt(qint64 nowSecs) const { return expiresAtSecs != 0 && expiresAtSecs <= nowSecs; }
};

/// @brief Who a server ban is matched against.
struct ServerBanSubject
{
    QByteArrayView nickUserHost;
    QByteArrayView account; ///< empty when not logged in
    QHostAddress address;
};

/**
 * @brief The server's bans, kept in memory and in the account database (table server_bans), so
 * that they survive restarts.
 *
 * A mask is one of three kinds: an IP address or CIDR network ("203.0.113.7", "2001:db8::/32"),
 * an account ("~a:mallory", as in channel bans), or a hostmask with wildcards ("*!*@host",
 * "troll", completed as channel bans are). Expired bans are dropped when next looked at.
 */
class ServerBans
{
public:
    static constexpr qint64 kMaxDurationSecs = 10LL * 365 * 24 * 3600;
    static constexpr qsizetype kMaxReasonBytes = 200;

    /// The canonical form of @p text, or nullopt with the reason in @p why.
    static std::optional<QByteArray> canonicalMask(QByteArrayView text, QByteArray *why);
    /// "0" (permanent), seconds ("3600") or units ("1w2d", "3h30m", "90s"); nullopt if invalid.
    static std::optional<qint64> parseDuration(QByteArrayView text);

    /// Reads the stored bans from the open database @p connectionName.
    bool load(const QString &connectionName, QString *error);

    /// Adds @p ban (canonical mask) or replaces the one with the same mask; false if it could not
    /// be stored (nothing changes then).
    bool add(const ServerBan &ban);
    /// Removes the ban whose mask is @p canonicalMask; false if there was none.
    bool remove(const QByteArray &canonicalMask);
    /// The bans in force at @p nowSecs, oldest first.
    QList<ServerBan> active(qint64 nowSecs);
    /// The first ban in force at @p nowSecs that matches @p subject, if any.
    std::optional<ServerBan> match(const ServerBanSubject &subject, qint64 nowSecs);
    /// True when @p ban (in force) matches @p subject.
    static bool matches(const ServerBan &ban, const ServerBanSubject &subject);

private:
    void dropExpired(qint64 nowSecs);

    QString m_connectionName;
    QList<ServerBan> m_bans;
};

} // namespace tktalk::server
