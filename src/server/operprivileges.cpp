#include "operprivileges.h"

#include <QList>

#include <array>
#include <utility>

namespace tktalk::server {

namespace {

constexpr std::array<std::pair<OperPrivilege, const char *>, 5> kNames{{
    {OperPrivilege::Kill, "kill"},
    {OperPrivilege::Ban, "ban"},
    {OperPrivilege::Samode, "samode"},
    {OperPrivilege::Rehash, "rehash"},
    {OperPrivilege::Wallops, "wallops"},
}};

} // namespace

QByteArray operPrivilegeName(OperPrivilege privilege)
{
    for (const auto &[value, name] : kNames) {
        if (value == privilege)
            return name;
    }
    return {};
}

QByteArray operPrivilegesText(OperPrivileges privileges)
{
    if (privileges == kAllOperPrivileges)
        return "all";
    QByteArrayList names;
    for (const auto &[value, name] : kNames) {
        if (privileges.testFlag(value))
            names << name;
    }
    return names.isEmpty() ? QByteArrayLiteral("none") : names.join(", ");
}

std::optional<OperPrivileges> parseOperPrivileges(const QByteArray &text, QByteArray *unknown)
{
    OperPrivileges privileges;
    for (const QByteArray &word : text.split(',')) {
        const QByteArray name = word.trimmed().toLower();
        if (name == "all") {
            privileges = kAllOperPrivileges;
            continue;
        }
        bool found = false;
        for (const auto &[value, known] : kNames) {
            if (name == known) {
                privileges |= value;
                found = true;
            }
        }
        if (!found) {
            *unknown = word.trimmed();
            return std::nullopt;
        }
    }
    return privileges;
}

} // namespace tktalk::server
