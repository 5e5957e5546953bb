#include "registeredchannels.h"

#include "accounts/sqltext.h"
#include "logging.h"
#include "protocol/names.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace tktalk::server {

namespace {

using protocol::foldCase;

bool run(QSqlQuery &query, const char *what)
{
    if (query.exec())
        return true;
    qCWarning(lcServer).noquote() << "Cannot" << what << "a registered channel:" << query.lastError().text();
    return false;
}

} // namespace

bool RegisteredChannels::load(const QString &connectionName, QString *error)
{
    m_connectionName = connectionName;
    m_channels.clear();
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT name, founder, registered_at, topic, topic_set_by, topic_set_at, modes, "
                                   "channel_key, user_limit, description FROM registered_channels"))) {
        *error = QStringLiteral("cannot read the registered channels: %1").arg(query.lastError().text());
        return false;
    }
    while (query.next()) {
        RegisteredChannel channel;
        channel.name = query.value(0).toString().toUtf8();
        channel.founder = query.value(1).toString().toUtf8();
        channel.registeredAtSecs = query.value(2).toLongLong();
        channel.topic = query.value(3).toString().toUtf8();
        channel.topicSetBy = query.value(4).toString().toUtf8();
        channel.topicSetAtSecs = query.value(5).toLongLong();
        channel.modes.setFlagLetters(query.value(6).toString().toLatin1());
        channel.modes.setKey(query.value(7).toString().toUtf8());
        channel.modes.setLimit(query.value(8).toInt());
        channel.description = query.value(9).toString().toUtf8();
        m_channels.insert(foldCase(channel.name), channel);
    }
    if (!query.exec(QStringLiteral("SELECT channel_folded, account, level FROM channel_access"))) {
        *error = QStringLiteral("cannot read the channel access lists: %1").arg(query.lastError().text());
        return false;
    }
    while (query.next()) {
        auto it = m_channels.find(query.value(0).toString().toUtf8());
        if (it == m_channels.end())
            continue;
        const QByteArray account = query.value(1).toString().toUtf8();
        const AccessLevel level = query.value(2).toInt() == 2 ? AccessLevel::Operator : AccessLevel::Voice;
        it->access.insert(foldCase(account), {account, level});
    }
    return loadMasks(error);
}

bool RegisteredChannels::loadMasks(QString *error)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("SELECT channel_folded, list, mask, set_by, set_at FROM channel_masks "
                                   "ORDER BY channel_folded, list, position"))) {
        *error = QStringLiteral("cannot read the bans of registered channels: %1").arg(query.lastError().text());
        return false;
    }
    while (query.next()) {
        auto it = m_channels.find(query.value(0).toString().toUtf8());
        const QByteArray list = query.value(1).toString().toLatin1();
        const std::optional<BanMask> mask = BanMask::parse(query.value(2).toString().toUtf8());
        if (it == m_channels.end() || list.size() != 1 || !it->modes.list(list.at(0)) || !mask)
            continue; // written by this class, so never; skipped rather than refused
        it->modes.list(list.at(0))->add(*mask, query.value(3).toString().toUtf8(), query.value(4).toLongLong());
    }
    return true;
}

const RegisteredChannel *RegisteredChannels::find(const QByteArray &channel) const
{
    const auto it = m_channels.constFind(foldCase(channel));
    return it == m_channels.constEnd() ? nullptr : &it.value();
}

AccessLevel RegisteredChannels::levelFor(const QByteArray &channel, const QByteArray &account) const
{
    const RegisteredChannel *registered = find(channel);
    if (!registered || account.isEmpty())
        return AccessLevel::None;
    if (protocol::equalsFolded(registered->founder, account))
        return AccessLevel::Operator;
    return registered->access.value(foldCase(account), {QByteArray(), AccessLevel::None}).second;
}

bool RegisteredChannels::add(const QByteArray &channel, const QByteArray &founder, qint64 nowSecs)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("INSERT INTO registered_channels (folded, name, founder, registered_at) VALUES (?, ?, ?, ?)"));
    query.addBindValue(sqlText(foldCase(channel)));
    query.addBindValue(sqlText(channel));
    query.addBindValue(sqlText(founder));
    query.addBindValue(nowSecs);
    if (!run(query, "store"))
        return false;
    RegisteredChannel registered;
    registered.name = channel;
    registered.founder = founder;
    registered.registeredAtSecs = nowSecs;
    m_channels.insert(foldCase(channel), registered);
    return true;
}

bool RegisteredChannels::drop(const QByteArray &channel)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    for (const char *table : {"channel_access", "channel_masks"}) {
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE channel_folded = ?").arg(QLatin1String(table)));
        query.addBindValue(sqlText(foldCase(channel)));
        if (!run(query, "drop"))
            return false;
    }
    query.prepare(QStringLiteral("DELETE FROM registered_channels WHERE folded = ?"));
    query.addBindValue(sqlText(foldCase(channel)));
    if (!run(query, "drop"))
        return false;
    m_channels.remove(foldCase(channel));
    return true;
}

bool RegisteredChannels::setAccess(const QByteArray &channel, const QByteArray &account, AccessLevel level)
{
    auto it = m_channels.find(foldCase(channel));
    if (it == m_channels.end())
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (level == AccessLevel::None) {
        query.prepare(QStringLiteral("DELETE FROM channel_access WHERE channel_folded = ? AND account_folded = ?"));
        query.addBindValue(sqlText(foldCase(channel)));
        query.addBindValue(sqlText(foldCase(account)));
    } else {
        query.prepare(QStringLiteral("INSERT OR REPLACE INTO channel_access (channel_folded, account_folded, account, "
                                     "level) VALUES (?, ?, ?, ?)"));
        query.addBindValue(sqlText(foldCase(channel)));
        query.addBindValue(sqlText(foldCase(account)));
        query.addBindValue(sqlText(account));
        query.addBindValue(level == AccessLevel::Operator ? 2 : 1);
    }
    if (!run(query, "change the access list of"))
        return false;
    if (level == AccessLevel::None)
        it->access.remove(foldCase(account));
    else
        it->access.insert(foldCase(account), {account, level});
    return true;
}

bool RegisteredChannels::setTopic(const QByteArray &channel, const QByteArray &topic, const QByteArray &setBy,
                                  qint64 atSecs)
{
    auto it = m_channels.find(foldCase(channel));
    if (it == m_channels.end())
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE registered_channels SET topic = ?, topic_set_by = ?, topic_set_at = ? "
                                 "WHERE folded = ?"));
    query.addBindValue(sqlText(topic));
    query.addBindValue(sqlText(setBy));
    query.addBindValue(atSecs);
    query.addBindValue(sqlText(foldCase(channel)));
    if (!run(query, "store the topic of"))
        return false;
    it->topic = topic;
    it->topicSetBy = setBy;
    it->topicSetAtSecs = atSecs;
    return true;
}

bool RegisteredChannels::setModes(const QByteArray &channel, const ChannelModes &modes)
{
    auto it = m_channels.find(foldCase(channel));
    if (it == m_channels.end())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        qCWarning(lcServer).noquote() << "Cannot store the modes of" << channel << "-" << db.lastError().text();
        return false;
    }
    const QString folded = sqlText(foldCase(channel));
    QSqlQuery query(db);
    query.prepare(QStringLiteral("UPDATE registered_channels SET modes = ?, channel_key = ?, user_limit = ? "
                                 "WHERE folded = ?"));
    query.addBindValue(QString::fromLatin1(modes.flagLetters()));
    query.addBindValue(sqlText(modes.key()));
    query.addBindValue(modes.limit());
    query.addBindValue(folded);
    bool ok = run(query, "store the modes of");
    if (ok) {
        query.prepare(QStringLiteral("DELETE FROM channel_masks WHERE channel_folded = ?"));
        query.addBindValue(folded);
        ok = run(query, "store the bans of");
    }
    for (const char letter : {'b', 'e', 'I'}) {
        const QList<MaskListEntry> &entries = modes.list(letter)->entries();
        for (qsizetype position = 0; ok && position < entries.size(); ++position) {
            query.prepare(QStringLiteral("INSERT INTO channel_masks (channel_folded, list, position, mask, set_by, "
                                         "set_at) VALUES (?, ?, ?, ?, ?, ?)"));
            query.addBindValue(folded);
            query.addBindValue(QString(QLatin1Char(letter)));
            query.addBindValue(position);
            query.addBindValue(sqlText(entries.at(position).mask.text()));
            query.addBindValue(sqlText(entries.at(position).setBy));
            query.addBindValue(entries.at(position).setAtSecs);
            ok = run(query, "store the bans of");
        }
    }
    if (!ok || !db.commit()) {
        db.rollback();
        return false;
    }
    it->modes = modes;
    return true;
}

bool RegisteredChannels::updateColumn(const QByteArray &channel, const char *column, const QByteArray &value)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("UPDATE registered_channels SET %1 = ? WHERE folded = ?").arg(QLatin1String(column)));
    query.addBindValue(sqlText(value));
    query.addBindValue(sqlText(foldCase(channel)));
    return run(query, "change");
}

bool RegisteredChannels::setFounder(const QByteArray &channel, const QByteArray &account)
{
    auto it = m_channels.find(foldCase(channel));
    if (it == m_channels.end() || !updateColumn(channel, "founder", account))
        return false;
    it->founder = account;
    return true;
}

bool RegisteredChannels::setDescription(const QByteArray &channel, const QByteArray &description)
{
    auto it = m_channels.find(foldCase(channel));
    if (it == m_channels.end() || !updateColumn(channel, "description", description))
        return false;
    it->description = description;
    return true;
}

} // namespace tktalk::server
