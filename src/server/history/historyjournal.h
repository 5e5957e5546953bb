#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace tktalk::server {

/**
 * @brief The history's journal: an append-only file of the batches written and not yet sealed
 * into the database's chunks (HistoryDatabase).
 *
 * A batch is appended with one write() and no transaction: that is what makes it cheap, and it
 * survives the process being killed (the bytes are in the operating system's hands), though not a
 * power cut, like SQLite's WAL with synchronous=NORMAL. Once its entries are sealed into chunks
 * the file is emptied. Each batch carries a sequence number: the database records the last one it
 * sealed, in the same transaction as the chunks, so a journal that could not be emptied after a
 * seal (a kill in between) is not sealed twice.
 *
 * A record: "TKJ1", the sequence number (8 bytes) and the length (4 bytes), the packed batch, and
 * the sequence number again, all little-endian. A record cut short (a kill during the write) or
 * whose two numbers disagree ends the readable journal.
 */
class HistoryJournal
{
public:
    HistoryJournal() = default;
    ~HistoryJournal();
    HistoryJournal(const HistoryJournal &) = delete;
    HistoryJournal &operator=(const HistoryJournal &) = delete;

    /// Opens (creating if needed, readable by its owner only) @p path; false with @p error.
    bool open(const QString &path, QString *error);
    void close();

    /**
     * Calls @p batch with each whole record's sequence number and packed batch, in order; the
     * records after the first damaged one are not read. Sequence numbers continue from the last
     * one read, or from @p sealedThrough if that is greater. @p ignoredBytes is what was not read.
     */
    bool read(qint64 sealedThrough, const std::function<void(qint64 sequence, const QByteArray &packed)> &batch,
              qint64 *ignoredBytes, QString *error);
    /// Appends @p packed as the next record; false with @p error (nothing of it counts then).
    bool append(const QByteArray &packed, QString *error);
    /// The sequence number of the last record appended (or read).
    qint64 lastSequence() const { return m_sequence; }
    /// Empties the file: everything in it is sealed.
    bool clear(QString *error);

private:
    QString failure(const char *what) const;

    QString m_path;
    int m_fd = -1;
    qint64 m_size = 0;
    qint64 m_sequence = 0;
};

} // namespace tktalk::server
