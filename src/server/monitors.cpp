#include "monitors.h"

#include "clientsession.h"
#include "protocol/names.h"

#include <algorithm>

namespace tktalk::server {

using protocol::foldCase;
using protocol::Numeric;

bool Monitors::add(ClientSession *watcher, const QByteArray &nick)
{
    QList<ClientSession *> &watchers = m_watchers[foldCase(nick)];
    if (watchers.contains(watcher))
        return false;
    watchers.append(watcher);
    m_targets[watcher].append(nick);
    return true;
}

void Monitors::remove(ClientSession *watcher, const QByteArray &nick)
{
    const QByteArray folded = foldCase(nick);
    const auto it = m_watchers.find(folded);
    if (it == m_watchers.end() || !it->removeOne(watcher))
        return;
    if (it->isEmpty())
        m_watchers.erase(it);
    const auto targets = m_targets.find(watcher);
    targets->removeIf([&folded](const QByteArray &target) { return foldCase(target) == folded; });
    if (targets->isEmpty())
        m_targets.erase(targets);
}

void Monitors::handOver(ClientSession *from, ClientSession *to)
{
    const QByteArrayList targets = m_targets.take(from);
    for (const QByteArray &nick : targets) {
        QList<ClientSession *> &watchers = m_watchers[foldCase(nick)];
        std::replace(watchers.begin(), watchers.end(), from, to);
    }
    if (!targets.isEmpty())
        m_targets.insert(to, targets);
}

void Monitors::clear(ClientSession *watcher)
{
    const QByteArrayList targets = m_targets.take(watcher);
    for (const QByteArray &nick : targets) {
        const auto it = m_watchers.find(foldCase(nick));
        if (it == m_watchers.end())
            continue;
        it->removeOne(watcher);
        if (it->isEmpty())
            m_watchers.erase(it);
    }
}

qsizetype Monitors::count(const ClientSession *watcher) const
{
    const auto it = m_targets.constFind(watcher);
    return it == m_targets.cend() ? 0 : it->size();
}

bool Monitors::isWatching(const ClientSession *watcher, const QByteArray &nick) const
{
    const auto it = m_watchers.constFind(foldCase(nick));
    return it != m_watchers.cend() && it->contains(watcher);
}

void Monitors::announceOnline(const ClientSession &user) const
{
    for (ClientSession *watcher : m_watchers.value(foldCase(user.nick()))) {
        if (watcher != &user)
            watcher->sendNumeric(Numeric::RPL_MONONLINE, {user.prefix()});
    }
}

void Monitors::announceOffline(const ClientSession &user, const QByteArray &nick) const
{
    for (ClientSession *watcher : m_watchers.value(foldCase(nick))) {
        if (watcher != &user)
            watcher->sendNumeric(Numeric::RPL_MONOFFLINE, {nick});
    }
}

void Monitors::announceNickChange(const ClientSession &user, const QByteArray &oldNick) const
{
    if (foldCase(oldNick) != foldCase(user.nick()))
        announceOffline(user, oldNick);
    announceOnline(user);
}

} // namespace tktalk::server
