#include "channelsettings.h"

#include <QCoreApplication>

namespace tktalk::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ChannelSettings", text);
}

} // namespace

QString settingsProblem(const ChannelSettings &wanted)
{
    // A key is one IRC parameter, and JOIN lists keys separated by commas.
    for (const QChar c : wanted.key) {
        if (c.isSpace() || c == QLatin1Char(',') || c.category() == QChar::Other_Control)
            return tr("The key cannot contain spaces or commas.");
    }
    if (wanted.key.startsWith(QLatin1Char(':')))
        return tr("The key cannot start with ':'.");
    if (wanted.limit < 0)
        return tr("The limit must be a positive number, or none.");
    return {};
}

QList<protocol::ModeChange> settingsChanges(const ChannelSettings &current, const ChannelSettings &wanted)
{
    QList<protocol::ModeChange> changes;
    for (const char flag : QByteArrayView(ChannelSettings::kFlags)) {
        if (current.has(flag) != wanted.has(flag))
            changes << protocol::ModeChange{wanted.has(flag), flag, std::nullopt};
    }
    if (current.key != wanted.key) {
        if (!current.key.isEmpty())
            changes << protocol::ModeChange{false, 'k', current.key.toUtf8()};
        if (!wanted.key.isEmpty())
            changes << protocol::ModeChange{true, 'k', wanted.key.toUtf8()};
    }
    if (current.limit != wanted.limit) {
        if (wanted.limit > 0)
            changes << protocol::ModeChange{true, 'l', QByteArray::number(wanted.limit)};
        else
            changes << protocol::ModeChange{false, 'l', std::nullopt};
    }
    return changes;
}

} // namespace tktalk::client
