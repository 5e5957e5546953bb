#pragma once

#include "historystore.h"
#include "messageids.h"

#include <QString>

#include <memory>

namespace tktalk::server {

class Channel;
class ClientSession;
class Outgoing;
struct ServerConfig;

/**
 * @brief What the server keeps of its conversations: builds history entries from the lines it
 * sends and hands them to the store; the one place the commands go to record or read.
 *
 * Kept: PRIVMSG and NOTICE in channels and between two logged-in accounts, and the channel events
 * a reader needs to follow a conversation (JOIN, PART, QUIT, KICK, NICK, TOPIC, MODE). TAGMSG
 * (typing notifications, reactions) is not kept. With history off (or a store that could not
 * open) every call does nothing.
 */
class History
{
public:
    explicit History(MessageIds &ids);
    ~History();
    History(const History &) = delete;
    History &operator=(const History &) = delete;

    /// Opens the store in @p config's data directory unless history is off; false with
    /// @p problem when it cannot (history is then off, and chat goes on).
    bool open(const ServerConfig &config, QString *problem);
    /// Uses @p store (tests, another kind of store).
    void setStore(std::unique_ptr<HistoryStore> store);
    bool isOn() const { return m_store != nullptr; }
    /// The store; only when isOn().
    HistoryStore &store() { return *m_store; }

    /// @p message, said or done by @p sender in @p channel.
    void recordInChannel(const Channel &channel, Outgoing &message, const ClientSession &sender);
    /// @p message (QUIT, NICK) in every channel @p sender is in.
    void recordInChannelsOf(const ClientSession &sender, Outgoing &message);
    /// A private @p message from @p sender to @p recipient; kept only when both are logged in.
    void recordPrivate(const ClientSession &sender, const ClientSession &recipient, Outgoing &message);

    /// A private @p message from @p sender to @p recipientAccount, whom nobody is logged in to:
    /// kept in their conversation and waiting for their next login (deliverWaiting()).
    void recordForOfflineAccount(const ClientSession &sender, const QByteArray &recipientAccount, Outgoing &message);
    /// Sends @p client (just logged in) the private messages that waited for its account, one
    /// `chathistory` batch per sender, and marks them delivered.
    void deliverWaiting(ClientSession &client);

private:
    /// What a record views that neither the message nor its sender holds: the caller keeps it
    /// while the record is used.
    struct RecordStorage
    {
        QByteArray clientTags; ///< Outgoing::clientTagsWire()
        MessageIds::Text msgid;
    };
    /// @p message from @p sender, without its target.
    HistoryRecord recordFor(Outgoing &message, const ClientSession &sender, RecordStorage &storage) const;
    /// As recordFor(), in the private conversation of @p sender and @p recipientAccount
    /// (@p foldedRecipient: that account folded to one case).
    HistoryRecord privateRecordFor(Outgoing &message, const ClientSession &sender, RecordStorage &storage,
                                   const QByteArray &recipientAccount, const QByteArray &foldedRecipient) const;

    MessageIds &m_ids;
    std::unique_ptr<HistoryStore> m_store;
};

} // namespace tktalk::server
