#pragma once

#include <QByteArrayList>
#include <QString>

namespace tktalk::server {

/// The built-in message of the day: the seed's welcome and instructions for the default channel.
QByteArrayList defaultMotd(const QByteArray &channel);

/// Reads a MOTD file as UTF-8 lines; sets @p error when it cannot be read or is not UTF-8.
QByteArrayList readMotdFile(const QString &path, QString *error);

} // namespace tktalk::server
