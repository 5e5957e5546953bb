#pragma once

#include "casemapping.h"
#include "protocol/message.h"
#include "protocol/modes.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <optional>

namespace tktalk::client {

/**
 * @brief What the client knows about the network it is on: who the user is there (nick, account),
 * the server's rules (ISUPPORT: CASEMAPPING, PREFIX, CHANMODES, MODES, NICKLEN, CHATHISTORY) and the
 * capabilities it offered and acknowledged.
 *
 * A new connection starts from RFC 2812's rules until the server announces its own.
 */
class NetworkState : public QObject
{
    Q_OBJECT
public:
    /// Mode changes per MODE line when the server announces no MODES (RFC 1459's three), and when
    /// it announces MODES without a number (no limit: as many as a line holds comfortably).
    static constexpr int kDefaultModesPerLine = 3;
    static constexpr int kUnlimitedModesPerLine = 12;
    /// RFC 1459's nickname limit, which every server accepts.
    static constexpr int kShortestNickLength = 9;

    explicit NetworkState(QObject *parent = nullptr);

    /// A new connection: what the last server said does not hold for the next one.
    void reset();

    QString nick() const { return m_nick; }
    void setNick(const QString &nick);
    QString account() const { return m_account; }
    void setAccount(const QString &account);

    /// Reads an RPL_ISUPPORT (005) line.
    void readIsupport(const protocol::Message &message);
    protocol::Casemapping caseMapping() const { return m_caseMapping; }
    /// The server's PREFIX symbols, highest rank first ("@+" until it says).
    QString prefixSymbols() const { return m_prefixSymbols; }
    const protocol::ChannelModeSyntax &modeSyntax() const { return m_modeSyntax; }
    int maxModesPerLine() const { return m_maxModesPerLine; }
    int nickLength() const { return m_nickLength; }
    /// After a refused suffixed nick during login: keep within what every server accepts.
    void limitNickLength() { m_nickLength = kShortestNickLength; }
    /// The server's CHATHISTORY= limit; 0 when it named none.
    int historyLimit() const { return m_historyLimit; }

    /// Capabilities from CAP LS (collected over continuation lines), with their values.
    void addOffered(const QByteArrayList &caps);
    /// The value of offered capability @p name ("PLAIN,EXTERNAL" for sasl=PLAIN,EXTERNAL), empty
    /// when it has none, nothing when it is not offered.
    std::optional<QByteArray> offered(const QByteArray &name) const;
    void addAcknowledged(const QByteArrayList &caps);
    bool enabled(const QByteArray &cap) const { return m_enabled.contains(cap); }

    /// @p name folded by the server's CASEMAPPING, for comparing nicks and channel names.
    QString fold(const QString &name) const { return foldNick(name, m_caseMapping); }
    bool isSelf(const QString &nick) const { return fold(nick) == fold(m_nick); }
    /// Whether @p text names the user (their nick as a word, in any case).
    bool mentionsSelf(const QString &text) const;

Q_SIGNALS:
    void nickChanged();
    void accountChanged();
    /// CASEMAPPING or PREFIX changed: member lists sort and compare by them.
    void userRulesChanged();
    void historyLimitChanged();
    /// The server acknowledged (or took back) capabilities.
    void capabilitiesChanged();

private:
    QString m_nick;
    QString m_account;
    QSet<QByteArray> m_offered;
    QSet<QByteArray> m_enabled;
    protocol::Casemapping m_caseMapping = protocol::Casemapping::Rfc1459;
    QString m_prefixSymbols = QStringLiteral("@+");
    protocol::ChannelModeSyntax m_modeSyntax;
    int m_maxModesPerLine = kDefaultModesPerLine;
    int m_nickLength = 30;
    int m_historyLimit = 0;
};

} // namespace tktalk::client
