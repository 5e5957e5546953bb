#include "serverbans.h"

#include "accounts/sqltext.h"
#include "logging.h"
#include "protocol/names.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace tktalk::server {

namespace {

/// An address or network: "203.0.113.7", "203.0.113.0/24", "2001:db8::/32".
std::optional<std::pair<QHostAddress, int>> parseNetwork(QByteArrayView text)
{
    const QString string = QString::fromLatin1(text);
    if (!text.contains('/')) {
        const QHostAddress address(string);
        if (address.isNull())
            return std::nullopt;
        return std::pair{address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
    }
    const std::pair<QHostAddress, int> network = QHostAddress::parseSubnet(string);
    if (network.first.isNull() || network.second < 0)
        return std::nullopt;
    return network;
}

QByteArray networkText(const std::pair<QHostAddress, int> &network)
{
    const int full = network.first.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
    QByteArray text = network.first.toString().toLatin1();
    if (network.second != full)
        text += '/' + QByteArray::number(network.second);
    return text;
}

bool looksLikeNetwork(QByteArrayView text)
{
    return !text.contains('@') && !text.contains('!') && !text.startsWith(BanMask::kExtbanPrefix)
           && (text.contains('/') || text.contains(':') || !QHostAddress(QString::fromLatin1(text)).isNull());
}

} // namespace

std::optional<QByteArray> ServerBans::canonicalMask(QByteArrayView text, QByteArray *why)
{
    if (looksLikeNetwork(text)) {
        const auto network = parseNetwork(text);
        if (!network) {
            *why = "Invalid IP address or CIDR network";
            return std::nullopt;
        }
        return networkText(*network);
    }
    const std::optional<BanMask> mask = BanMask::parse(text, why);
    if (!mask)
        return std::nullopt;
    if (mask->text() == "*!*@*") {
        *why = "That mask would ban everyone";
        return std::nullopt;
    }
    return mask->text();
}

std::optional<qint64> ServerBans::parseDuration(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 20)
        return std::nullopt;
    qint64 total = 0;
    qint64 number = -1;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            number = (number < 0 ? 0 : number) * 10 + (c - '0');
            if (number > kMaxDurationSecs)
                return std::nullopt;
            continue;
        }
        qint64 unit = 0;
        switch (c) {
        case 'w': unit = 7 * 24 * 3600; break;
        case 'd': unit = 24 * 3600; break;
        case 'h': unit = 3600; break;
        case 'm': unit = 60; break;
        case 's': unit = 1; break;
        default: return std::nullopt;
        }
        if (number < 0)
            return std::nullopt;
        total += number * unit;
        number = -1;
        if (total > kMaxDurationSecs)
            return std::nullopt;
    }
    if (number >= 0)
        total += number; // bare seconds at the end
    return total > kMaxDurationSecs ? std::nullopt : std::optional<qint64>(total);
}

bool ServerBans::load(const QString &connectionName, QString *error)
{
    m_connectionName = connectionName;
    m_bans.clear();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("SELECT mask, reason, set_by, set_at, expires_at FROM server_bans ORDER BY id"))) {
        *error = QStringLiteral("cannot read the server bans: %1").arg(query.lastError().text());
        return false;
    }
    while (query.next()) {
        ServerBan ban;
        ban.mask = query.value(0).toString().toUtf8();
        ban.reason = query.value(1).toString().toUtf8();
        ban.setBy = query.value(2).toString().toUtf8();
        ban.setAtSecs = query.value(3).toLongLong();
        ban.expiresAtSecs = query.value(4).toLongLong();
        m_bans.append(ban);
    }
    return true;
}

bool ServerBans::add(const ServerBan &ban)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO server_bans (mask, folded, reason, set_by, set_at, expires_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?)"));
    query.addBindValue(sqlText(ban.mask));
    query.addBindValue(sqlText(protocol::foldCase(ban.mask)));
    query.addBindValue(sqlText(ban.reason));
    query.addBindValue(sqlText(ban.setBy));
    query.addBindValue(ban.setAtSecs);
    query.addBindValue(ban.expiresAtSecs);
    if (!query.exec()) {
        qCWarning(lcOperators).noquote() << "Cannot store the server ban on" << ban.mask << ':'
                                         << query.lastError().text();
        return false;
    }
    const QByteArray folded = protocol::foldCase(ban.mask);
    m_bans.removeIf([&folded](const ServerBan &old) { return protocol::foldCase(old.mask) == folded; });
    m_bans.append(ban);
    return true;
}

bool ServerBans::remove(const QByteArray &canonicalMask)
{
    const QByteArray folded = protocol::foldCase(canonicalMask);
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM server_bans WHERE folded = ?"));
    query.addBindValue(sqlText(folded));
    if (!query.exec()) {
        qCWarning(lcOperators).noquote() << "Cannot remove the server ban on" << canonicalMask << ':'
                                         << query.lastError().text();
        return false;
    }
    return m_bans.removeIf([&folded](const ServerBan &ban) { return protocol::foldCase(ban.mask) == folded; }) > 0;
}

void ServerBans::dropExpired(qint64 nowSecs)
{
    QByteArrayList expired;
    for (const ServerBan &ban : std::as_const(m_bans)) {
        if (ban.isExpiredAt(nowSecs))
            expired << ban.mask;
    }
    for (const QByteArray &mask : std::as_const(expired)) {
        qCInfo(lcOperators).noquote() << "Server ban on" << mask << "expired";
        remove(mask);
    }
}

QList<ServerBan> ServerBans::active(qint64 nowSecs)
{
    dropExpired(nowSecs);
    return m_bans;
}

bool ServerBans::matches(const ServerBan &ban, const ServerBanSubject &subject)
{
    if (looksLikeNetwork(ban.mask)) {
        const auto network = parseNetwork(ban.mask);
        if (!network)
            return false;
        QHostAddress address = subject.address;
        bool mapped = false;
        const quint32 ipv4 = address.toIPv4Address(&mapped);
        if (mapped) // "::ffff:203.0.113.7" is 203.0.113.7
            address = QHostAddress(ipv4);
        return address.isInSubnet(*network);
    }
    const std::optional<BanMask> mask = BanMask::parse(ban.mask);
    return mask && mask->matches({subject.nickUserHost, subject.account});
}

std::optional<ServerBan> ServerBans::match(const ServerBanSubject &subject, qint64 nowSecs)
{
    dropExpired(nowSecs);
    for (const ServerBan &ban : std::as_const(m_bans)) {
        if (matches(ban, subject))
            return ban;
    }
    return std::nullopt;
}

} // namespace tktalk::server
