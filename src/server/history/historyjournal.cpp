#include "historyjournal.h"

#include <QFile>
#include <QtEndian>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace tktalk::server {

namespace {

constexpr char kMagic[4] = {'T', 'K', 'J', '1'};
constexpr qsizetype kHeaderBytes = sizeof kMagic + sizeof(qint64) + sizeof(quint32);
constexpr qsizetype kTrailerBytes = sizeof(qint64);

} // namespace

HistoryJournal::~HistoryJournal()
{
    close();
}

QString HistoryJournal::failure(const char *what) const
{
    return QStringLiteral("cannot %1 the history journal %2: %3")
        .arg(QLatin1String(what), m_path, QString::fromLocal8Bit(std::strerror(errno)));
}

bool HistoryJournal::open(const QString &path, QString *error)
{
    close();
    m_path = path;
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        *error = failure("open");
        return false;
    }
    m_size = ::lseek(m_fd, 0, SEEK_END);
    if (m_size < 0) {
        *error = failure("read");
        close();
        return false;
    }
    return true;
}

void HistoryJournal::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_size = 0;
}

bool HistoryJournal::read(qint64 sealedThrough,
                          const std::function<void(qint64 sequence, const QByteArray &packed)> &batch,
                          qint64 *ignoredBytes, QString *error)
{
    m_sequence = sealedThrough;
    *ignoredBytes = 0;
    QByteArray contents(m_size, Qt::Uninitialized);
    for (qint64 done = 0; done < m_size;) {
        const ssize_t got = ::pread(m_fd, contents.data() + done, size_t(m_size - done), done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            *error = failure("read");
            return false;
        }
        done += got;
    }
    qsizetype at = 0;
    while (contents.size() - at >= kHeaderBytes + kTrailerBytes) {
        const char *record = contents.constData() + at;
        if (std::memcmp(record, kMagic, sizeof kMagic) != 0)
            break;
        const qint64 sequence = qFromLittleEndian<qint64>(record + sizeof kMagic);
        const quint32 length = qFromLittleEndian<quint32>(record + sizeof kMagic + sizeof(qint64));
        if (length > quint64(contents.size() - at - kHeaderBytes - kTrailerBytes))
            break;
        if (qFromLittleEndian<qint64>(record + kHeaderBytes + length) != sequence)
            break;
        if (sequence > sealedThrough)
            batch(sequence, contents.mid(at + kHeaderBytes, length));
        m_sequence = std::max(m_sequence, sequence);
        at += kHeaderBytes + qsizetype(length) + kTrailerBytes;
    }
    *ignoredBytes = contents.size() - at;
    return true;
}

bool HistoryJournal::append(const QByteArray &packed, QString *error)
{
    if (m_fd < 0) {
        *error = QStringLiteral("the history journal is not open");
        return false;
    }
    const qint64 sequence = m_sequence + 1;
    char header[kHeaderBytes];
    std::memcpy(header, kMagic, sizeof kMagic);
    qToLittleEndian(sequence, header + sizeof kMagic);
    qToLittleEndian(quint32(packed.size()), header + sizeof kMagic + sizeof(qint64));
    char trailer[kTrailerBytes];
    qToLittleEndian(sequence, trailer);
    iovec parts[3] = {{header, sizeof header},
                      {const_cast<char *>(packed.constData()), size_t(packed.size())},
                      {trailer, sizeof trailer}};
    const qint64 total = kHeaderBytes + packed.size() + kTrailerBytes;
    ssize_t wrote = 0;
    do
        wrote = ::pwritev(m_fd, parts, 3, m_size);
    while (wrote < 0 && errno == EINTR);
    if (wrote != total) {
        // A regular file is written short only when it cannot grow (a full disk, a size limit).
        if (wrote >= 0)
            errno = ENOSPC;
        *error = failure("write");
        (void)::ftruncate(m_fd, m_size); // what was written of the record is not part of the journal
        return false;
    }
    m_size += total;
    m_sequence = sequence;
    return true;
}

bool HistoryJournal::clear(QString *error)
{
    if (m_fd < 0 || m_size == 0)
        return true;
    if (::ftruncate(m_fd, 0) != 0) {
        *error = failure("empty");
        return false;
    }
    m_size = 0;
    return true;
}

} // namespace tktalk::server
