#include "historychunk.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace tktalk::server::historychunk {

namespace {

void putField(QByteArray &packed, const QByteArray &value)
{
    const quint32 size = qToLittleEndian(quint32(value.size()));
    packed.append(reinterpret_cast<const char *>(&size), sizeof size);
    packed.append(value);
}

void putTime(QByteArray &packed, qint64 timeMs)
{
    const qint64 time = qToLittleEndian(timeMs);
    packed.append(reinterpret_cast<const char *>(&time), sizeof time);
}

/// Reads fields from a packed value, refusing to go past its end.
class Reader
{
public:
    explicit Reader(const QByteArray &packed)
        : m_packed(packed)
    {}

    bool atEnd() const { return m_at == m_packed.size(); }

    bool field(QByteArray &value)
    {
        quint32 size = 0;
        if (!take(&size, sizeof size))
            return false;
        size = qFromLittleEndian(size);
        if (size > quint32(m_packed.size() - m_at))
            return false;
        value = m_packed.mid(m_at, size);
        m_at += size;
        return true;
    }

    bool time(qint64 &timeMs)
    {
        if (!take(&timeMs, sizeof timeMs))
            return false;
        timeMs = qFromLittleEndian(timeMs);
        return true;
    }

private:
    bool take(void *into, qsizetype size)
    {
        if (m_packed.size() - m_at < size)
            return false;
        std::memcpy(into, m_packed.constData() + m_at, size_t(size));
        m_at += size;
        return true;
    }

    const QByteArray &m_packed;
    qsizetype m_at = 0;
};

} // namespace

void pack(const HistoryEntry &entry, Fields fields, QByteArray &packed)
{
    if (fields == Fields::Everything) {
        putField(packed, entry.target);
        putField(packed, entry.accountA);
        putField(packed, entry.accountB);
        putField(packed, entry.pendingFor);
    }
    putField(packed, entry.msgid);
    putTime(packed, entry.timeMs);
    putField(packed, entry.command);
    putField(packed, entry.senderNick);
    putField(packed, entry.senderAccount);
    putField(packed, entry.line);
    putField(packed, entry.clientTags);
}

QByteArray pack(const QList<HistoryEntry> &entries, Fields fields)
{
    QByteArray packed;
    qsizetype size = 0;
    for (const HistoryEntry &entry : entries)
        size += entry.msgid.size() + entry.senderNick.size() + entry.line.size() + 64;
    packed.reserve(size);
    for (const HistoryEntry &entry : entries)
        pack(entry, fields, packed);
    return packed;
}

bool unpack(const QByteArray &packed, Fields fields, QList<HistoryEntry> &entries)
{
    Reader reader(packed);
    while (!reader.atEnd()) {
        HistoryEntry entry;
        if (fields == Fields::Everything
            && !(reader.field(entry.target) && reader.field(entry.accountA) && reader.field(entry.accountB)
                 && reader.field(entry.pendingFor)))
            return false;
        if (!(reader.field(entry.msgid) && reader.time(entry.timeMs) && reader.field(entry.command)
              && reader.field(entry.senderNick) && reader.field(entry.senderAccount) && reader.field(entry.line)
              && reader.field(entry.clientTags)))
            return false;
        entries.append(std::move(entry));
    }
    return true;
}

std::optional<MessageIdParts> messageIdParts(const QByteArray &msgid)
{
    const qsizetype dash = msgid.lastIndexOf('-');
    // At most 12 base-36 digits: the counter fits in 62 bits.
    if (dash <= 0 || msgid.size() - dash - 1 < 1 || msgid.size() - dash - 1 > 12)
        return std::nullopt;
    qint64 counter = 0;
    for (qsizetype i = dash + 1; i < msgid.size(); ++i) {
        const char c = msgid.at(i);
        int digit = 0;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'z')
            digit = c - 'a' + 10;
        else
            return std::nullopt;
        counter = counter * 36 + digit;
    }
    return MessageIdParts{msgid.left(dash), counter};
}

ChunkSummary summarize(const QList<HistoryEntry> &entries)
{
    ChunkSummary summary;
    if (entries.isEmpty())
        return summary;
    summary.firstMs = summary.lastMs = entries.first().timeMs;
    bool oneRange = true;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const HistoryEntry &entry = entries.at(i);
        summary.firstMs = std::min(summary.firstMs, entry.timeMs);
        summary.lastMs = std::max(summary.lastMs, entry.timeMs);
        if (!oneRange)
            continue;
        const std::optional<MessageIdParts> parts = messageIdParts(entry.msgid);
        if (!parts || (i > 0 && parts->prefix != summary.idPrefix)) {
            oneRange = false;
            continue;
        }
        if (i == 0) {
            summary.idPrefix = parts->prefix;
            summary.idFirst = summary.idLast = parts->counter;
        }
        summary.idFirst = std::min(summary.idFirst, parts->counter);
        summary.idLast = std::max(summary.idLast, parts->counter);
    }
    if (!oneRange)
        summary.idPrefix.clear();
    return summary;
}

} // namespace tktalk::server::historychunk
