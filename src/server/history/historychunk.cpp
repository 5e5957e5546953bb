#include "historychunk.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace tktalk::server::historychunk {

namespace {

constexpr qsizetype kLengthBytes = sizeof(quint32);

char *putField(char *at, QByteArrayView value)
{
    qToLittleEndian(quint32(value.size()), at);
    if (!value.isEmpty())
        std::memcpy(at + kLengthBytes, value.data(), size_t(value.size()));
    return at + kLengthBytes + value.size();
}

char *putTime(char *at, qint64 timeMs)
{
    qToLittleEndian(timeMs, at);
    return at + sizeof timeMs;
}

qsizetype packedSize(const HistoryRecord &entry, Fields fields)
{
    qsizetype size = 7 * kLengthBytes + qsizetype(sizeof entry.timeMs) - kLengthBytes + entry.msgid.size()
                     + entry.command.size() + entry.senderNick.size() + entry.senderAccount.size()
                     + entry.line.size() + entry.clientTags.size();
    if (fields == Fields::Everything)
        size += 4 * kLengthBytes + entry.target.size() + entry.accountA.size() + entry.accountB.size()
                + entry.pendingFor.size();
    return size;
}

char *packInto(char *at, const HistoryRecord &entry, Fields fields)
{
    if (fields == Fields::Everything) {
        at = putField(at, entry.target);
        at = putField(at, entry.accountA);
        at = putField(at, entry.accountB);
        at = putField(at, entry.pendingFor);
    }
    at = putField(at, entry.msgid);
    at = putTime(at, entry.timeMs);
    at = putField(at, entry.command);
    at = putField(at, entry.senderNick);
    at = putField(at, entry.senderAccount);
    at = putField(at, entry.line);
    return putField(at, entry.clientTags);
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

QByteArray pack(const HistoryEntry *entries, qsizetype count, Fields fields)
{
    qsizetype size = 0;
    for (qsizetype i = 0; i < count; ++i)
        size += packedSize(HistoryRecord(entries[i]), fields);
    QByteArray packed(size, Qt::Uninitialized);
    char *at = packed.data();
    for (qsizetype i = 0; i < count; ++i)
        at = packInto(at, HistoryRecord(entries[i]), fields);
    return packed;
}

namespace {

/// Makes @p bytes @p more bytes longer (doubling its capacity when it must grow); returns where
/// the new bytes go.
char *grow(QByteArray &bytes, qsizetype more)
{
    const qsizetype at = bytes.size();
    const qsizetype needed = at + more;
    if (needed > bytes.capacity())
        bytes.reserve(std::max(needed, 2 * bytes.capacity()));
    bytes.resize(needed);
    return bytes.data() + at;
}

} // namespace

void appendPacked(QByteArray &packed, const HistoryRecord &entry, Fields fields)
{
    packInto(grow(packed, packedSize(entry, fields)), entry, fields);
}

void appendBytes(QByteArray &to, QByteArrayView bytes)
{
    if (!bytes.isEmpty())
        std::memcpy(grow(to, bytes.size()), bytes.data(), size_t(bytes.size()));
}

bool PackedReader::field(QByteArrayView &value)
{
    if (m_packed.size() - m_at < kLengthBytes)
        return false;
    const quint32 size = qFromLittleEndian<quint32>(m_packed.data() + m_at);
    m_at += kLengthBytes;
    if (size > quint64(m_packed.size() - m_at))
        return false;
    value = m_packed.sliced(m_at, size);
    m_at += size;
    return true;
}

bool PackedReader::skipField()
{
    QByteArrayView ignored;
    return field(ignored);
}

bool PackedReader::next(PackedEntry &entry)
{
    if (m_damaged || m_at == m_packed.size())
        return false;
    const qsizetype start = m_at;
    qsizetype message = 0;
    const bool read = field(entry.target) && field(entry.accountA) && field(entry.accountB) && field(entry.pendingFor)
                      && (message = m_at, field(entry.msgid)) && m_packed.size() - m_at >= qsizetype(sizeof entry.timeMs);
    if (read) {
        entry.timeMs = qFromLittleEndian<qint64>(m_packed.data() + m_at);
        m_at += qsizetype(sizeof entry.timeMs);
    }
    // command, senderNick, senderAccount, line, clientTags
    if (!(read && skipField() && skipField() && skipField() && skipField() && skipField())) {
        m_damaged = true;
        return false;
    }
    entry.message = m_packed.sliced(message, m_at - message);
    entry.record = m_packed.sliced(start, m_at - start);
    return true;
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

namespace {

/// The value of @p digits, 1 to 12 lowercase base-36 digits (a counter fits in 62 bits); false
/// for anything else.
bool parseCounter(QByteArrayView digits, qint64 *counter)
{
    if (digits.isEmpty() || digits.size() > 12)
        return false;
    qint64 value = 0;
    for (const char c : digits) {
        int digit = 0;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'z')
            digit = c - 'a' + 10;
        else
            return false;
        value = value * 36 + digit;
    }
    *counter = value;
    return true;
}

/// Where the counter of a msgid of MessageIds' form starts, and its value; -1 for another form.
qsizetype counterAt(QByteArrayView msgid, qint64 *counter)
{
    const qsizetype dash = msgid.lastIndexOf('-');
    if (dash <= 0 || !parseCounter(msgid.sliced(dash + 1), counter))
        return -1;
    return dash + 1;
}

} // namespace

std::optional<MessageIdParts> messageIdParts(const QByteArray &msgid)
{
    qint64 counter = 0;
    const qsizetype at = counterAt(msgid, &counter);
    if (at < 0)
        return std::nullopt;
    return MessageIdParts{msgid.left(at - 1), counter};
}

ChunkSummary summarize(const QList<HistoryEntry> &entries)
{
    SummaryBuilder builder;
    for (const HistoryEntry &entry : entries)
        builder.add(entry.msgid, entry.timeMs);
    return builder.summary();
}

void SummaryBuilder::add(QByteArrayView msgid, qint64 timeMs)
{
    qint64 counter = 0;
    if (m_entries++ == 0) {
        m_summary.firstMs = m_summary.lastMs = timeMs;
        // One range when every id has the first one's prefix (compared in place: no copies).
        m_counterAt = counterAt(msgid, &counter);
        if (m_counterAt < 0)
            return;
        m_summary.idPrefix = msgid.first(m_counterAt - 1).toByteArray();
        m_summary.idFirst = m_summary.idLast = counter;
        return;
    }
    m_summary.firstMs = std::min(m_summary.firstMs, timeMs);
    m_summary.lastMs = std::max(m_summary.lastMs, timeMs);
    if (m_counterAt < 0)
        return;
    // The first id's prefix and dash, then digits only (so that dash is the last).
    if (msgid.size() <= m_counterAt || msgid[m_counterAt - 1] != '-' || !msgid.startsWith(m_summary.idPrefix)
        || !parseCounter(msgid.sliced(m_counterAt), &counter)) {
        m_counterAt = -1;
        m_summary.idPrefix.clear();
        m_summary.idFirst = m_summary.idLast = 0;
        return;
    }
    m_summary.idFirst = std::min(m_summary.idFirst, counter);
    m_summary.idLast = std::max(m_summary.idLast, counter);
}

} // namespace tktalk::server::historychunk
