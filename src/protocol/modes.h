#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QList>

#include <optional>

namespace tktalk::protocol {

/// How a channel mode letter takes its parameter: the four CHANMODES types of ISUPPORT, plus the
/// membership modes of PREFIX (o, v), which always name a member.
enum class ModeKind {
    List,         ///< type A (b, e, I): a mask to add or remove; without one, the list is asked for
    AlwaysParam,  ///< type B (k): a parameter when set and when unset
    ParamWhenSet, ///< type C (l): a parameter when set only
    Flag,         ///< type D (i, m, n, s, t): never a parameter
    Membership,   ///< PREFIX (o, v): a nickname
    Unknown,      ///< not announced: takes nothing, since its syntax cannot be known
};

/**
 * @brief The channel-mode syntax a server announces in ISUPPORT: `CHANMODES=A,B,C,D` and
 * `PREFIX=(modes)symbols`. The server describes its own modes with it; a client builds one from
 * what the server it talks to announced, so that it reads MODE lines the way that server meant them.
 */
class ChannelModeSyntax
{
public:
    /// RFC 2812's modes, for a server that announces nothing: `CHANMODES=beI,k,l,imnpst PREFIX=(ov)@+`.
    ChannelModeSyntax();
    /// From ISUPPORT values: @p chanmodes "beI,k,l,imnst" and @p prefix "(ov)@+".
    ChannelModeSyntax(QByteArrayView chanmodes, QByteArrayView prefix);

    ModeKind kind(char letter) const;
    /// True when @p letter consumes a parameter when @p adding (or removing).
    bool takesParameter(char letter, bool adding) const;

    /// The ISUPPORT values this syntax came from: "beI,k,l,imnst" and "(ov)@+".
    QByteArray chanmodesToken() const;
    QByteArray prefixToken() const;
    /// Membership modes, highest rank first ("ov"), and their symbols ("@+").
    const QByteArray &membershipModes() const { return m_membershipModes; }
    const QByteArray &membershipSymbols() const { return m_membershipSymbols; }
    /// The symbol of membership mode @p letter ('o' -> '@'), or 0.
    char symbolFor(char letter) const;

private:
    QByteArray m_list;
    QByteArray m_alwaysParam;
    QByteArray m_paramWhenSet;
    QByteArray m_flags;
    QByteArray m_membershipModes;
    QByteArray m_membershipSymbols;
};

/// @brief One change of a MODE command: "+o alice", "-k", "+b" (a list query when param is absent).
struct ModeChange
{
    bool adding = true;
    char letter = 0;
    /// The parameter, when the letter takes one and the command supplied it; nullopt when the
    /// letter takes one and none was left, or when it takes none.
    std::optional<QByteArray> param;

    friend bool operator==(const ModeChange &a, const ModeChange &b)
    {
        return a.adding == b.adding && a.letter == b.letter && a.param == b.param;
    }
};

/**
 * Splits a MODE command's mode string and arguments ("+ov-b", {"alice", "bob", "*!*@x"}) into
 * changes, in order. Each letter takes the next argument when @p syntax says it takes one; a
 * letter without a sign is adding. Arguments left over are ignored, as every server does.
 */
QList<ModeChange> parseModeChanges(const ChannelModeSyntax &syntax, QByteArrayView modes,
                                   const QByteArrayList &arguments);

/**
 * Writes @p changes as the parameters of as few MODE lines as possible ({"+ov-b", "alice",
 * "bob", "*!*@x"}, ...): at most @p maxChangesPerLine changes on a line (ISUPPORT MODES), and no
 * line's parameters longer than @p maxParamBytes in all, counting the spaces between them. A
 * change whose parameter alone is too long still gets a line of its own.
 */
QList<QByteArrayList> formatModeLines(const QList<ModeChange> &changes, int maxChangesPerLine,
                                      qsizetype maxParamBytes);

} // namespace tktalk::protocol
