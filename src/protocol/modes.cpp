#include "modes.h"

namespace tktalk::protocol {

ChannelModeSyntax::ChannelModeSyntax()
    : ChannelModeSyntax("beI,k,l,imnpst", "(ov)@+")
{}

ChannelModeSyntax::ChannelModeSyntax(QByteArrayView chanmodes, QByteArrayView prefix)
{
    const QList<QByteArray> types = chanmodes.toByteArray().split(',');
    m_list = types.value(0);
    m_alwaysParam = types.value(1);
    m_paramWhenSet = types.value(2);
    m_flags = types.value(3);
    // "(ov)@+": the modes in parentheses, then their symbols in the same order.
    const qsizetype close = prefix.indexOf(')');
    if (prefix.startsWith('(') && close > 0) {
        m_membershipModes = prefix.sliced(1, close - 1).toByteArray();
        m_membershipSymbols = prefix.sliced(close + 1).toByteArray().left(m_membershipModes.size());
        m_membershipModes.truncate(m_membershipSymbols.size());
    }
}

ModeKind ChannelModeSyntax::kind(char letter) const
{
    // A membership mode is checked first: servers must not list them in CHANMODES, but some do.
    if (m_membershipModes.contains(letter))
        return ModeKind::Membership;
    if (m_list.contains(letter))
        return ModeKind::List;
    if (m_alwaysParam.contains(letter))
        return ModeKind::AlwaysParam;
    if (m_paramWhenSet.contains(letter))
        return ModeKind::ParamWhenSet;
    if (m_flags.contains(letter))
        return ModeKind::Flag;
    return ModeKind::Unknown;
}

bool ChannelModeSyntax::takesParameter(char letter, bool adding) const
{
    switch (kind(letter)) {
    case ModeKind::List:
    case ModeKind::AlwaysParam:
    case ModeKind::Membership:
        return true;
    case ModeKind::ParamWhenSet:
        return adding;
    case ModeKind::Flag:
    case ModeKind::Unknown:
        return false;
    }
    return false;
}

QByteArray ChannelModeSyntax::chanmodesToken() const
{
    return m_list + ',' + m_alwaysParam + ',' + m_paramWhenSet + ',' + m_flags;
}

QByteArray ChannelModeSyntax::prefixToken() const
{
    return '(' + m_membershipModes + ')' + m_membershipSymbols;
}

char ChannelModeSyntax::symbolFor(char letter) const
{
    const qsizetype index = m_membershipModes.indexOf(letter);
    return index < 0 ? 0 : m_membershipSymbols.at(index);
}

QList<ModeChange> parseModeChanges(const ChannelModeSyntax &syntax, QByteArrayView modes,
                                   const QByteArrayList &arguments)
{
    QList<ModeChange> changes;
    qsizetype next = 0;
    bool adding = true;
    for (const char letter : modes) {
        if (letter == '+' || letter == '-') {
            adding = letter == '+';
            continue;
        }
        ModeChange change;
        change.adding = adding;
        change.letter = letter;
        if (syntax.takesParameter(letter, adding) && next < arguments.size())
            change.param = arguments.at(next++);
        changes << change;
    }
    return changes;
}

QList<QByteArrayList> formatModeLines(const QList<ModeChange> &changes, int maxChangesPerLine,
                                      qsizetype maxParamBytes)
{
    QList<QByteArrayList> lines;
    QByteArray modes;
    QByteArrayList params;
    qsizetype bytes = 0; // the arguments, each with the space before it
    int count = 0;
    char sign = 0;
    const auto flush = [&] {
        if (count == 0)
            return;
        lines << (QByteArrayList{modes} + params);
        modes.clear();
        params.clear();
        bytes = 0;
        count = 0;
        sign = 0;
    };
    for (const ModeChange &change : changes) {
        const char wanted = change.adding ? '+' : '-';
        const qsizetype added = (change.param ? 1 + change.param->size() : 0) + 2; // the letter, maybe a sign
        if (count == maxChangesPerLine || (count > 0 && modes.size() + bytes + added > maxParamBytes))
            flush();
        if (sign != wanted) {
            modes += wanted;
            sign = wanted;
        }
        modes += change.letter;
        if (change.param) {
            params << *change.param;
            bytes += 1 + change.param->size();
        }
        ++count;
    }
    flush();
    return lines;
}

} // namespace tktalk::protocol
