#include "networkstate.h"

#include "protocol/limits.h"

namespace tktalk::client {

NetworkState::NetworkState(QObject *parent) : QObject(parent) {}

void NetworkState::reset()
{
    m_offered.clear();
    m_enabled.clear();
    m_nickLength = int(protocol::kMaxNickBytes);
    m_maxModesPerLine = kDefaultModesPerLine;
    m_modeSyntax = protocol::ChannelModeSyntax();
    m_historyLimit = 0;
    setAccount({});
}

void NetworkState::setNick(const QString &nick)
{
    if (m_nick == nick)
        return;
    m_nick = nick;
    Q_EMIT nickChanged();
}

void NetworkState::setAccount(const QString &account)
{
    if (m_account == account)
        return;
    m_account = account;
    Q_EMIT accountChanged();
}

void NetworkState::readIsupport(const protocol::Message &message)
{
    // 005 <me> <token>... :are supported by this server
    for (qsizetype i = 1; i + 1 < message.params.size(); ++i) {
        const QByteArray &token = message.params.at(i);
        if (token.startsWith("CASEMAPPING=")) {
            m_caseMapping = protocol::casemappingFromName(token.mid(12));
            Q_EMIT userRulesChanged();
        } else if (token.startsWith("PREFIX=")) {
            // PREFIX=(ov)@+ : the symbols after the parenthesis, highest rank first.
            const qsizetype close = token.indexOf(')');
            m_prefixSymbols = close < 0 ? QString() : QString::fromUtf8(token.mid(close + 1));
            // CHANMODES and PREFIX may come in different 005 lines: each keeps what the other set.
            if (token.size() > 7)
                m_modeSyntax = protocol::ChannelModeSyntax(m_modeSyntax.chanmodesToken(), token.mid(7));
            Q_EMIT userRulesChanged();
        } else if (token.startsWith("CHANMODES=")) {
            if (token.size() > 10)
                m_modeSyntax = protocol::ChannelModeSyntax(token.mid(10), m_modeSyntax.prefixToken());
        } else if (token == "MODES" || token.startsWith("MODES=")) {
            const int modes = token.mid(6).toInt();
            m_maxModesPerLine = modes > 0 ? modes : kUnlimitedModesPerLine;
        } else if (token.startsWith("CHATHISTORY=")) {
            m_historyLimit = std::max(0, token.mid(12).toInt());
            Q_EMIT historyLimitChanged();
        } else if (token.startsWith("NICKLEN=")) {
            m_nickLength = std::max(token.mid(8).toInt(), kShortestNickLength);
        }
    }
}

void NetworkState::addOffered(const QByteArrayList &caps)
{
    for (const QByteArray &cap : caps) {
        if (!cap.isEmpty())
            m_offered.insert(cap);
    }
}

std::optional<QByteArray> NetworkState::offered(const QByteArray &name) const
{
    for (const QByteArray &cap : m_offered) {
        if (cap == name)
            return QByteArray();
        if (cap.startsWith(name + '='))
            return cap.mid(name.size() + 1);
    }
    return std::nullopt;
}

void NetworkState::addAcknowledged(const QByteArrayList &caps)
{
    for (const QByteArray &cap : caps) {
        // "-cap" takes one away (CAP ACK of a CAP REQ -cap).
        if (cap.startsWith('-'))
            m_enabled.remove(cap.mid(1));
        else if (!cap.isEmpty())
            m_enabled.insert(cap);
    }
    Q_EMIT capabilitiesChanged();
}

bool NetworkState::mentionsSelf(const QString &text) const
{
    if (m_nick.isEmpty())
        return false;
    const QString folded = fold(text);
    const QString nick = fold(m_nick);
    const auto isNickChar = [](QChar c) {
        return c.isLetterOrNumber() || QStringLiteral("[]\\`_^{|}-").contains(c);
    };
    for (qsizetype at = folded.indexOf(nick); at >= 0; at = folded.indexOf(nick, at + 1)) {
        const qsizetype end = at + nick.size();
        if ((at == 0 || !isNickChar(folded.at(at - 1))) && (end == folded.size() || !isNickChar(folded.at(end))))
            return true;
    }
    return false;
}

} // namespace tktalk::client
