#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QList>

namespace tktalk::server {

class ClientSession;

/**
 * @brief The IRCv3 MONITOR lists: who watches which nicknames, indexed both ways.
 *
 * Each watcher's list keeps the nicks as it gave them, in order (MONITOR L); the index from the
 * folded nick to its watchers makes a sign-on, sign-off or nick change cost one lookup and one
 * reply per watcher, whatever the number of users.
 */
class Monitors
{
public:
    /// The most nicks one client may watch (ISUPPORT MONITOR).
    static constexpr qsizetype kMaxTargets = 100;

    /// Adds @p nick (a valid nickname) to @p watcher's list; false if it was there already.
    /// The caller checks the limit first.
    bool add(ClientSession *watcher, const QByteArray &nick);
    void remove(ClientSession *watcher, const QByteArray &nick);
    /// Empties @p watcher's list: MONITOR C, and when the watcher leaves.
    void clear(ClientSession *watcher);
    /// @p to watches what @p from watched: a user's session taking over from another.
    void handOver(ClientSession *from, ClientSession *to);
    /// @p watcher's nicks as given, oldest first.
    QByteArrayList targets(const ClientSession *watcher) const { return m_targets.value(watcher); }
    qsizetype count(const ClientSession *watcher) const;
    bool isWatching(const ClientSession *watcher, const QByteArray &nick) const;

    /// 730 to everyone watching @p user's nick, now online (registered, or renamed).
    void announceOnline(const ClientSession &user) const;
    /// 731 to everyone watching @p nick, which @p user no longer holds (quit, or renamed).
    void announceOffline(const ClientSession &user, const QByteArray &nick) const;
    /// After @p user, registered, changed its nick from @p oldNick: 731 for the old nick (unless
    /// only its case changed), 730 for the new one.
    void announceNickChange(const ClientSession &user, const QByteArray &oldNick) const;

private:
    QHash<QByteArray, QList<ClientSession *>> m_watchers; ///< folded nick -> its watchers
    QHash<const ClientSession *, QByteArrayList> m_targets; ///< watcher -> nicks as given
};

} // namespace tktalk::server
