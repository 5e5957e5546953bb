#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tktalk::server {

/// @brief Who a ban mask is matched against: a client's `nick!user@host` and account (empty when
/// not logged in).
struct BanSubject
{
    QByteArrayView nickUserHost;
    QByteArrayView account;
};

/**
 * @brief One entry of a channel's ban (+b), ban-exception (+e) or invite-exception (+I) list.
 *
 * Either a hostmask, `nick!user@host` with `*` and `?` wildcards, or an account extban,
 * `~a:<account>` (UnrealIRCd's convention and the IRCv3 account-extban example, where Solanum
 * writes `$a:`; ISUPPORT `EXTBAN=~,a` and `ACCOUNTEXTBAN=a`), which matches clients logged in to a
 * matching account, also with wildcards.
 * Both compare under the server's rfc1459 casemapping. What a client gives is completed the way
 * other servers do ("troll" is "troll!*@*"), so one entry has one spelling.
 */
class BanMask
{
public:
    enum class Kind { Hostmask, Account };

    static constexpr qsizetype kMaxBytes = 160;
    static constexpr char kExtbanPrefix = '~';
    static constexpr char kAccountExtban = 'a';

    /// Parses @p text as given to +b/+e/+I. On failure returns nullopt and says why in @p why.
    static std::optional<BanMask> parse(QByteArrayView text, QByteArray *why = nullptr);

    Kind kind() const { return m_kind; }
    /// The canonical form, as listed in 367/348/346 and shown in MODE lines.
    const QByteArray &text() const { return m_text; }
    bool matches(const BanSubject &subject) const;
    /// True when @p other is the same entry, compared without regard to case.
    bool sameAs(const BanMask &other) const;

private:
    BanMask(Kind kind, QByteArray text, QByteArray pattern);

    Kind m_kind;
    QByteArray m_text;
    QByteArray m_pattern; ///< the hostmask, or the account pattern after "~a:"
};

} // namespace tktalk::server
