#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

class QSqlQuery;

namespace tktalk::server {

/**
 * @brief Each account's read markers (IRCv3 draft/read-marker): per target (a channel or a nick),
 * the time of the last message the user has read, in the account database (table read_markers).
 *
 * Keyed by account id and folded target, so that "#Lobby" and "#lobby" are one marker; deleting
 * an account deletes its markers. A marker only moves forward. Each call is one indexed
 * statement on the calling thread (the event loop), as AccountStore's are.
 */
class ReadMarkers
{
public:
    /// Works on the open database @p connectionName (the AccountStore's).
    explicit ReadMarkers(QString connectionName);
    ~ReadMarkers();
    ReadMarkers(const ReadMarkers &) = delete;
    ReadMarkers &operator=(const ReadMarkers &) = delete;

    /// @brief A marker as read from the database.
    struct Lookup
    {
        bool ok = false;              ///< false: the database failed (lastError())
        std::optional<qint64> atMs;   ///< milliseconds since the epoch; nullopt: none stored
    };
    /// The marker of @p account (its name, any case) for @p target (any case).
    Lookup find(const QByteArray &account, const QByteArray &target) const;
    /// Stores @p atMs as the marker of @p account for @p target unless the stored one is as new or
    /// newer; false if it could not be stored (the database failed, or there is no such account).
    bool advance(const QByteArray &account, const QByteArray &target, qint64 atMs);

    QString lastError() const { return m_lastError; }

private:
    /// The statement @p sql, prepared once in @p slot; nullptr if it cannot be prepared.
    QSqlQuery *prepared(std::unique_ptr<QSqlQuery> &slot, const char *sql) const;

    QString m_connectionName;
    mutable std::unique_ptr<QSqlQuery> m_find;
    mutable std::unique_ptr<QSqlQuery> m_advance;
    mutable QString m_lastError;
};

} // namespace tktalk::server
