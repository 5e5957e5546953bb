#pragma once

#include "masklist.h"

#include <QByteArrayList>

#include <optional>

namespace tktalk::server {

/**
 * @brief A channel's modes: the flags (+i +m +n +s +t), the key (+k), the user limit (+l) and the
 * ban, ban-exception and invite-exception lists (+b +e +I). Member status (+o +v) lives with the
 * members, in Channel.
 *
 * The letters, their ISUPPORT types and what each one does are in docs/PROTOCOL.md.
 */
class ChannelModes
{
public:
    enum class Flag : quint8 {
        InviteOnly = 1 << 0, ///< +i: JOIN needs an INVITE or a +I match
        Moderated = 1 << 1,  ///< +m: only +v and +o may speak
        NoExternal = 1 << 2, ///< +n: only members may speak
        Secret = 1 << 3,     ///< +s: hidden from LIST, NAMES, WHO and WHOIS for non-members
        TopicLock = 1 << 4,  ///< +t: only channel operators may set the topic
    };

    /// What the server announces: CHANMODES (by ISUPPORT type) and MODES, the changes per MODE line.
    static constexpr const char *kChanmodes = "beI,k,l,imnst";
    static constexpr const char *kPrefix = "(ov)@+";
    static constexpr int kMaxChangesPerLine = 6;
    /// The longest key (ISUPPORT KEYLEN).
    static constexpr qsizetype kMaxKeyBytes = 32;

    /// A new channel's modes: +nt.
    ChannelModes();

    static std::optional<Flag> flagForLetter(char letter);

    bool has(Flag flag) const { return (m_flags & quint8(flag)) != 0; }
    /// Sets or clears @p flag; false when it already was that way.
    bool setFlag(Flag flag, bool on);
    /// The flags that are set, as their letters ("inst"): how a registered channel stores them.
    QByteArray flagLetters() const;
    /// Sets exactly the flags named by @p letters (others are cleared, unknown letters ignored).
    void setFlagLetters(QByteArrayView letters);

    const QByteArray &key() const { return m_key; }
    /// Sets (or with an empty @p key, clears) the key; false when nothing changed.
    bool setKey(const QByteArray &key);
    /// True when @p key is acceptable as a channel key: 1 to kMaxKeyBytes bytes, no space, comma or control.
    static bool isValidKey(QByteArrayView key);

    /// The user limit, 0 when there is none.
    int limit() const { return m_limit; }
    bool setLimit(int limit);

    MaskList &bans() { return m_bans; }
    const MaskList &bans() const { return m_bans; }
    MaskList &exceptions() { return m_exceptions; }
    const MaskList &exceptions() const { return m_exceptions; }
    MaskList &inviteExceptions() { return m_inviteExceptions; }
    const MaskList &inviteExceptions() const { return m_inviteExceptions; }
    /// The list mode @p letter stands for (b, e or I), or nullptr.
    MaskList *list(char letter);
    const MaskList *list(char letter) const { return const_cast<ChannelModes *>(this)->list(letter); }

    /// The parameters of 324: "+iklnst", then the key (or "*" unless @p showKey) and the limit.
    QByteArrayList describe(bool showKey) const;

private:
    quint8 m_flags = 0;
    QByteArray m_key;
    int m_limit = 0;
    MaskList m_bans;
    MaskList m_exceptions;
    MaskList m_inviteExceptions;
};

} // namespace tktalk::server
