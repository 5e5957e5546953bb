#pragma once

#include "messageids.h"
#include "protocol/message.h"

#include <array>
#include <memory>

namespace tktalk::server {


/**
 * @brief A message on its way to one or many clients, serialised at most once per variant.
 *
 * Relaying to a channel of N members costs one serialisation, not N: every recipient gets the same
 * implicitly shared QByteArray. A recipient's variant is the set of IRCv3 tags it negotiated
 * (LineVariant); each variant is built on first need, so clients that negotiated none of them pay
 * for none of them, and the message id is drawn only when a message-tags client needs it. The
 * line is sent as the message makes it, even past 512 bytes when a sender's prefix lengthens a
 * line that fitted the input limit (as Ergo does): cutting it would change what was said.
 */
class Outgoing
{
public:
    /// The tags a recipient gets, by the capabilities it negotiated; or-ed together.
    enum LineVariant : quint8 {
        Plain = 0,
        WithTime = 1 << 0,        ///< server-time: `time`
        WithMessageTags = 1 << 1, ///< message-tags: `msgid` and the sender's client-only tags
        WithAccount = 1 << 2,     ///< account-tag: `account`, when the sender is logged in
    };
    static constexpr int kVariants = 8;
    static constexpr int kUntaggedVariants = 2; ///< Plain and WithTime: what most clients get

    /// @p senderAccount: the account the sender is logged in to, for the account-tag.
    explicit Outgoing(protocol::Message message, QByteArray senderAccount = {});

    /// The client-only (`+`) tags of @p message, relayed on PRIVMSG, NOTICE and TAGMSG.
    void setClientTags(const protocol::Message &message);
    /// A TAGMSG: only clients that negotiated message-tags may receive it.
    void setForMessageTagsOnly() { m_forMessageTagsOnly = true; }
    bool isForMessageTagsOnly() const { return m_forMessageTagsOnly; }

    /// The wire line with CR LF in @p variant (LineVariant flags); @p ids makes the msgid.
    const QByteArray &line(int variant, MessageIds &ids);

    /// The message's msgid, drawn from @p ids on first need: the same for every recipient.
    const QByteArray &msgid(MessageIds &ids);
    /// msgid() without allocating, for history: its text in @p storage, unless the id is made.
    QByteArrayView msgidView(MessageIds &ids, MessageIds::Text &storage);
    /// Gives this message the id of another form of the same event (a JOIN with extended-join).
    void setMsgid(QByteArray id) { m_msgid = std::move(id); }

    const protocol::Message &message() const { return m_message; }
    /// server-time: when the message was made, in milliseconds since the epoch.
    qint64 createdAtMs() const { return m_createdAtMs; }
    /// The sender's client-only tags as on the wire ("+a=b;+c"), for history; empty if none.
    QByteArray clientTagsWire() const;

private:
    /// What only message-tags and account-tag clients need: allocated on first need, so that a
    /// message nobody asked tags for costs one null pointer more than a plain one.
    struct Tagged
    {
        QList<protocol::Tag> clientTags;
        std::array<QByteArray, kVariants - kUntaggedVariants> lines;
    };
    Tagged &tagged();
    /// The message's msgid counter, drawn from @p ids on first need.
    quint64 msgidCounter(MessageIds &ids);

    protocol::Message m_message;
    QByteArray m_account;
    std::array<QByteArray, kUntaggedVariants> m_lines;
    std::unique_ptr<Tagged> m_tagged;
    /// Outside Tagged: history keeps every message's id, whatever its recipients negotiated, and
    /// one null QByteArray costs less than allocating Tagged for the id alone.
    QByteArray m_msgid;
    quint64 m_msgidCounter = 0; ///< drawn on first need; m_msgid is made from it on first need
    qint64 m_createdAtMs; ///< formatted only when a server-time client needs it: most never do
    bool m_forMessageTagsOnly = false;
};

} // namespace tktalk::server
