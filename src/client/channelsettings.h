#pragma once

#include "protocol/modes.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace tktalk::client {

/**
 * @brief The modes of a channel that its settings dialog shows and sets: the flags it offers, the
 * key (+k) and the user limit (+l). Other modes the server may have are left alone.
 */
struct ChannelSettings
{
    /// The flags the dialog offers: invite only, moderated, no messages from outside, secret,
    /// only operators set the topic.
    static constexpr const char *kFlags = "imnst";

    QByteArray flags; ///< those of kFlags that are set, in any order
    QString key;      ///< empty when there is none
    int limit = 0;    ///< 0 when there is none

    bool has(char flag) const { return flags.contains(flag); }
};

/// Why @p wanted cannot be asked for (a key with a space, a negative limit), as a sentence; empty
/// when it can.
QString settingsProblem(const ChannelSettings &wanted);

/**
 * The mode changes that take a channel from @p current to @p wanted, and nothing else: the flags
 * of ChannelSettings::kFlags that differ, then the key (a changed key is removed, with the old one
 * as its parameter, before the new one is set, which every server accepts), then the limit.
 * Letters outside kFlags in either are ignored.
 */
QList<protocol::ModeChange> settingsChanges(const ChannelSettings &current, const ChannelSettings &wanted);

} // namespace tktalk::client
