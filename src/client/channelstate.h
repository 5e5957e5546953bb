#pragma once

#include "banlistmodel.h"
#include "channelsettings.h"
#include "inputparser.h"
#include "protocol/message.h"
#include "protocol/modes.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

class Conversation;

/**
 * @brief What the window knows of one channel besides its people: the topic and who set it, the
 * modes, the ban list and whether the user is an operator there; and what an operator does to it
 * (topic, modes, op, voice, kick, ban), turned into IRC lines that go out through sendRequested().
 *
 * Every channel's Conversation owns one. The ChannelTracker feeds it what the server says (the
 * replies to JOIN and MODE, TOPIC and MODE lines) and sends what it asks for. The server decides
 * who may do what: the actions are sent as asked, and a refusal comes back as the server's error.
 */
class ChannelState : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A ChannelState belongs to a channel's Conversation")
    /// @brief The topic; empty when there is none or it is not known yet.
    Q_PROPERTY(QString topic READ topic NOTIFY topicChanged)
    /// @brief Who set the topic (as the server names them) and when; empty and invalid when unknown.
    Q_PROPERTY(QString topicSetBy READ topicSetBy NOTIFY topicChanged)
    Q_PROPERTY(QDateTime topicSetAt READ topicSetAt NOTIFY topicChanged)
    /// @brief The server told the modes (its answer to the MODE query sent on joining).
    Q_PROPERTY(bool modesKnown READ modesKnown NOTIFY modesChanged)
    /// @brief The modes as the server would list them: "+klnt sesame 10"; empty until known.
    Q_PROPERTY(QString modeText READ modeText NOTIFY modesChanged)
    /// @brief +i: joining needs an invitation.
    Q_PROPERTY(bool inviteOnly READ inviteOnly NOTIFY modesChanged)
    /// @brief +m: only operators and voiced members speak.
    Q_PROPERTY(bool moderated READ moderated NOTIFY modesChanged)
    /// @brief +n: no messages from outside the channel.
    Q_PROPERTY(bool noExternalMessages READ noExternalMessages NOTIFY modesChanged)
    /// @brief +s: hidden from those outside it.
    Q_PROPERTY(bool secret READ secret NOTIFY modesChanged)
    /// @brief +t: only operators set the topic.
    Q_PROPERTY(bool topicLocked READ topicLocked NOTIFY modesChanged)
    /// @brief +k: the key needed to join; empty when there is none.
    Q_PROPERTY(QString key READ key NOTIFY modesChanged)
    /// @brief +l: the most people it takes; 0 when there is no limit.
    Q_PROPERTY(int limit READ limit NOTIFY modesChanged)
    /// @brief The user is an operator here (~, & or @ in the member list).
    Q_PROPERTY(bool isOperator READ isOperator NOTIFY operatorChanged)
    /// @brief The user may set the topic: an operator, or anyone in a channel known not to be +t.
    Q_PROPERTY(bool canSetTopic READ canSetTopic NOTIFY canSetTopicChanged)
    /// @brief The bans, once asked for with requestBans() and kept up to date by +b and -b.
    Q_PROPERTY(tktalk::client::BanListModel *bans READ bans CONSTANT)
    /// @brief The ban list is known (asked for and answered since joining).
    Q_PROPERTY(bool bansKnown READ bansKnown NOTIFY bansChanged)
    /// @brief The ban list was asked for and has not come yet.
    Q_PROPERTY(bool bansLoading READ bansLoading NOTIFY bansChanged)
public:
    explicit ChannelState(Conversation &conversation);

    QString topic() const { return m_topic; }
    QString topicSetBy() const { return m_topicSetBy; }
    QDateTime topicSetAt() const { return m_topicSetAt; }
    bool modesKnown() const { return m_modesKnown; }
    QString modeText() const;
    bool inviteOnly() const { return m_flags.contains('i'); }
    bool moderated() const { return m_flags.contains('m'); }
    bool noExternalMessages() const { return m_flags.contains('n'); }
    bool secret() const { return m_flags.contains('s'); }
    bool topicLocked() const { return m_flags.contains('t'); }
    QString key() const { return QString::fromUtf8(m_params.value('k')); }
    int limit() const { return m_params.value('l').toInt(); }
    bool isOperator() const { return m_operator; }
    bool canSetTopic() const { return m_canSetTopic; }
    BanListModel *bans() { return &m_bans; }
    bool bansKnown() const { return m_bansKnown; }
    bool bansLoading() const { return m_bansRequested; }
    /// The modes the settings dialog shows.
    ChannelSettings settings() const;

    // What the server said (ChannelTracker).
    /// The server's CHANMODES and PREFIX, and how many mode changes one MODE line may carry (MODES).
    void setServerRules(const protocol::ChannelModeSyntax &syntax, int maxModesPerLine);
    /// A new topic (332, TOPIC); @p setBy and @p setAt when known (TOPIC says who, and it is now).
    void setTopicFromServer(const QString &topic, const QString &setBy = {}, const QDateTime &setAt = {});
    /// Who set the topic and when (333).
    void setTopicDetails(const QString &setBy, const QDateTime &setAt);
    /// Every mode the channel has (324): replaces what was known.
    void setModesFromServer(const QByteArray &modeString, const QByteArrayList &arguments);
    /// A MODE line's changes by @p source (membership changes are the member list's).
    void applyModeLine(const QString &source, const QByteArray &modeString, const QByteArrayList &arguments);
    /// One entry of the ban list (367) and its end (368).
    void banListed(const QString &mask, const QString &setBy, const QDateTime &setAt);
    void banListEnded();
    /// The server refused a question about the channel (403, 442, 482): a ban list asked for will
    /// not come.
    void requestRefused();
    /// Asks the server for the modes (MODE <channel>); done on joining.
    void requestModes();
    /// Whether the reply @p numeric (324, 367, 368) answers a question this object asked, and so
    /// is not news for the transcript.
    bool expectsReply(const QByteArray &numeric) const;

    // What the user does (QML). Each returns an error in a sentence, empty when it was sent; the
    // actions of the member menu also show their error in the channel's transcript.
    /// Sets the topic (an empty one clears it).
    Q_INVOKABLE QString setTopic(const QString &topic);
    /// Changes the modes to @p wanted (inviteOnly, moderated, noExternalMessages, secret, topicLocked,
    /// key, limit; what it leaves out stays as it is): only the differences, in as few MODE lines as
    /// the server's MODES allows.
    Q_INVOKABLE QString setModes(const QVariantMap &wanted);
    /// The settings dialog's Apply: the topic (when @p wanted has one that differs) and the modes.
    Q_INVOKABLE QString applySettings(const QVariantMap &wanted);
    /// Asks for the ban list unless it is known or on its way.
    Q_INVOKABLE void requestBans();
    Q_INVOKABLE QString ban(const QString &mask);
    Q_INVOKABLE QString unban(const QString &mask);
    Q_INVOKABLE QString kick(const QString &nick, const QString &reason = {});
    /// Bans @p nick (nick!*@*) and puts them out.
    Q_INVOKABLE QString kickBan(const QString &nick, const QString &reason = {});
    Q_INVOKABLE QString op(const QString &nick);
    Q_INVOKABLE QString deop(const QString &nick);
    Q_INVOKABLE QString voice(const QString &nick);
    Q_INVOKABLE QString devoice(const QString &nick);
    /// Asks the server about @p nick (WHOIS); the answer is shown in the current conversation.
    Q_INVOKABLE QString whois(const QString &nick);
    /// The mask that ban() and kickBan() use for @p nick: "nick!*@*".
    Q_INVOKABLE QString maskForNick(const QString &nick) const;

Q_SIGNALS:
    void topicChanged();
    void modesChanged();
    void operatorChanged();
    void canSetTopicChanged();
    void bansChanged();
    /// A line to send to the server.
    void sendRequested(const tktalk::protocol::Message &message);

private:
    /// Forgets what held while joined (modes, bans, pending questions): on leaving, and before a rejoin.
    void onJoinedChanged();
    void refreshOperator();
    void refreshCanSetTopic();
    /// Why nothing can be sent now (not in the channel), or empty.
    QString notJoined() const;
    /// Sends the lines of a room command (channelcommands.h) for this channel, or returns its error.
    QString sendCommand(InputCommand::Kind kind, const QString &target, const QString &text, const QStringList &args);
    /// A member action on @p nick (Op, Deop, Voice, Devoice, Kick with @p reason), its error shown.
    QString nickCommand(InputCommand::Kind kind, const QString &nick, const QString &reason = {});
    /// Shows @p error (if any) in the channel's transcript and returns it.
    QString shown(const QString &error);
    void applyChange(const protocol::ModeChange &change, const QString &source);

    Conversation &m_conversation;
    protocol::ChannelModeSyntax m_syntax;
    int m_maxModesPerLine = 3;
    QString m_topic;
    QString m_topicSetBy;
    QDateTime m_topicSetAt;
    bool m_modesKnown = false;
    QByteArray m_flags;               ///< the modes without a parameter, sorted
    QMap<char, QByteArray> m_params;  ///< the modes with one (k, l, ...), and their parameter
    int m_modeQueries = 0;            ///< MODE queries sent and not answered yet
    bool m_operator = false;
    bool m_canSetTopic = false;
    BanListModel m_bans;
    bool m_bansKnown = false;
    bool m_bansRequested = false;     ///< our MODE <channel> b is on its way
    bool m_bansArriving = false;      ///< 367 lines came, 368 not yet
    QList<BanListModel::Entry> m_arrivingBans;
};

} // namespace tktalk::client
