#pragma once

#include <QByteArray>
#include <QString>

namespace tktalk::test {

/// Replaces @p path's contents with @p contents (creating it); false if that failed.
bool writeFile(const QString &path, const QByteArray &contents);
/// @p path's contents; empty if it cannot be read.
QByteArray fileContents(const QString &path);

} // namespace tktalk::test
