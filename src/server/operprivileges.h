#pragma once

#include <QByteArray>
#include <QFlags>
#include <QMap>

#include <optional>

namespace tktalk::server {

/// What a server operator may do; an operator account made with `tktalk account oper` may do all.
enum class OperPrivilege {
    Kill = 0x1,    ///< KILL
    Ban = 0x2,     ///< KLINE, UNKLINE, STATS k
    Samode = 0x4,  ///< SAMODE
    Rehash = 0x8,  ///< REHASH
    Wallops = 0x10 ///< WALLOPS
};
Q_DECLARE_FLAGS(OperPrivileges, OperPrivilege)
Q_DECLARE_OPERATORS_FOR_FLAGS(OperPrivileges)

constexpr OperPrivileges kAllOperPrivileges = OperPrivileges(0x1f);

/// @brief An operator account named in the configuration file's [opers] section.
struct OperEntry
{
    QByteArray account; ///< as written in the file
    OperPrivileges privileges = kAllOperPrivileges;

    bool operator==(const OperEntry &other) const
    {
        return account == other.account && privileges == other.privileges;
    }
    bool operator!=(const OperEntry &other) const { return !(*this == other); }
};

/// The [opers] section: folded account name (protocol::foldCase) to its entry.
using OperList = QMap<QByteArray, OperEntry>;

/// The name of @p privilege as the configuration file spells it ("kill").
QByteArray operPrivilegeName(OperPrivilege privilege);
/// "all", or the names joined by ", " ("kill, ban").
QByteArray operPrivilegesText(OperPrivileges privileges);
/// Reads "all" or a comma-separated list of names; nullopt on an unknown name (set in @p unknown).
std::optional<OperPrivileges> parseOperPrivileges(const QByteArray &text, QByteArray *unknown);

} // namespace tktalk::server
