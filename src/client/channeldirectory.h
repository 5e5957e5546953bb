#pragma once

#include "protocol/message.h"
#include "protocol/names.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSet>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tktalk::client {

class ConversationList;
class IrcConnection;

/**
 * @brief The server's channels as LIST gives them, for the "join or create a channel" dialog: each
 * with its number of members, its topic (formatting removed), and whether we are in it; filtered by
 * what the user types and sorted by members (most first), then name.
 *
 * refresh() sends LIST. The answer (321, which may be missing, one 322 per channel, 323) is
 * gathered and shown in one step at 323: one insertion of every row into an empty list, one reset
 * otherwise. An answer this object did not ask for (a LIST another part of the client sent) is
 * ignored. A refresh that fails (an error numeric about LIST, RPL_TRYAGAIN, the connection closing,
 * or kListTimeoutMs without a line of the answer) ends with errorText() set and keeps the last
 * complete list, which still helps to choose a name; a new connection starts with an empty list,
 * since it may be another server. Names follow the server's CHANTYPES, CHANNELLEN and CASEMAPPING.
 */
class ChannelDirectory : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The ChannelDirectory belongs to a ChatSession")
    /// @brief A LIST was sent and its end has not come yet.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// @brief What the user typed: only channels whose name or topic contain it (in any case) are rows.
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    /// @brief The rows: channels that match the filter.
    Q_PROPERTY(int count READ count NOTIFY resultsChanged)
    /// @brief Every channel of the last complete list.
    Q_PROPERTY(int total READ total NOTIFY resultsChanged)
    /// @brief The filter as a channel name, when it is a valid name the list does not hold (joining
    /// it creates the channel); empty otherwise.
    Q_PROPERTY(QString newChannel READ newChannel NOTIFY resultsChanged)
    /// @brief The row to offer first: the channel the filter names exactly, else the first row; -1
    /// when there are no rows.
    Q_PROPERTY(int bestRow READ bestRow NOTIFY resultsChanged)
    /// @brief Why the last refresh failed, in a sentence; empty when it did not.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, ///< QString
        MembersRole,                 ///< int: people in it, as the server counts them
        TopicRole,                   ///< QString, without formatting codes
        JoinedRole,                  ///< bool: we are in it
    };

    /// How long a LIST may go without a line of its answer before it counts as lost.
    static constexpr int kListTimeoutMs = 60'000;
    /// Channels kept of one answer: a bound on memory against a server that never ends its list.
    static constexpr int kMaxChannels = 100'000;
    /// The channel prefixes and longest name (bytes) of a server that announces none (RFC 2812).
    static constexpr const char *kDefaultChannelTypes = "#";
    static constexpr int kDefaultChannelLength = 50;

    ChannelDirectory(IrcConnection &connection, const ConversationList &conversations, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool loading() const { return m_loading; }
    QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    int count() const { return int(m_shown.size()); }
    int total() const { return int(m_channels.size()); }
    QString newChannel() const;
    int bestRow() const;
    QString errorText() const { return m_errorText; }
    /// For tests: how long a LIST may stay silent (kListTimeoutMs by default).
    void setListTimeout(int milliseconds) { m_timeout.setInterval(milliseconds); }

    /// Asks the server for its channels; nothing while an answer is still coming.
    Q_INVOKABLE void refresh();
    /// The channel name at @p row; empty out of range.
    Q_INVOKABLE QString nameAt(int row) const;
    /// What Enter joins: the channel at @p row, or, for -1, the filter as a channel name.
    Q_INVOKABLE QString joinTarget(int row) const;
    /// @p typed as a channel name: trimmed, with '#' in front unless it starts with a channel prefix
    /// of this server.
    Q_INVOKABLE QString channelName(const QString &typed) const;
    /// What is wrong with @p typed as a channel name (after channelName()), in a sentence; empty
    /// when the server should accept it.
    Q_INVOKABLE QString validateName(const QString &typed) const;

Q_SIGNALS:
    void loadingChanged();
    void filterChanged();
    void resultsChanged();
    void errorTextChanged();

private:
    struct Channel
    {
        QString name;
        QString folded; ///< name under the server's casemapping
        int members = 0;
        QString topic;
    };

    void onMessage(const protocol::Message &message);
    void onIsupport(const protocol::Message &message);
    /// 322 <me> <channel> <count> :<topic>
    void addListed(const protocol::Message &message);
    /// 323: the gathered channels become the list.
    void finish();
    void fail(const QString &why);
    /// Whether @p message refuses our LIST: an error numeric or RPL_TRYAGAIN about LIST.
    static bool refusesList(const protocol::Message &message);
    /// A new connection: nothing known of this server yet.
    void onEstablished();
    void onClosed();
    void setLoading(bool loading);
    void setError(const QString &text);

    /// Replaces the list with @p channels, sorted.
    void install(std::vector<Channel> channels);
    bool matches(const Channel &channel) const;
    /// The indexes (into m_channels, ascending) of the channels that match the filter.
    std::vector<int> matchingIndexes() const;
    /// Shows the channels that match the filter, removing and inserting rows in runs.
    void applyFilter();
    /// The row showing m_channels[@p index], or -1.
    int rowOfIndex(int index) const;
    QString fold(const QString &name) const;
    /// Emits dataChanged for the rows whose JoinedRole changed with the conversations.
    void updateJoined();

    IrcConnection &m_connection;
    const ConversationList &m_conversations;
    QTimer m_timeout;
    bool m_registered = false;
    bool m_loading = false;
    QString m_errorText;
    QString m_filter;
    std::vector<Channel> m_channels; ///< the last complete list, sorted
    std::vector<int> m_shown;        ///< the rows: indexes into m_channels, ascending
    QHash<QString, int> m_indexOf;   ///< folded name -> index into m_channels
    std::vector<Channel> m_pending;  ///< the answer under way
    QSet<QString> m_pendingNames;    ///< folded names in m_pending
    QSet<QString> m_joined;          ///< folded names of the channels we are in
    QString m_channelTypes = QLatin1String(kDefaultChannelTypes);
    int m_channelLength = kDefaultChannelLength;
    protocol::Casemapping m_casemapping = protocol::Casemapping::Rfc1459;
};

} // namespace tktalk::client
