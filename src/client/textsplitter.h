#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace tktalk::client {

/// Splits @p text into pieces of at most @p maxBytes UTF-8 bytes each, preferring to break at a space and
/// never inside a character. Line breaks split too; empty lines are dropped.
QList<QByteArray> splitMessage(const QString &text, qsizetype maxBytes);

} // namespace tktalk::client
