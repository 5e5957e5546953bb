#pragma once

#include <QString>

#include <sys/resource.h>

namespace tktalk::server {
class Server;
}

namespace tktalk::test {

/// Waits until everything @p server appended to its history so far is in the store; false when
/// that failed or took more than 10 s.
bool historyWritten(server::Server &server);

/**
 * @brief While it lives, the history files of the data directory it is given cannot grow: a
 * file-size limit on this process at the size its write-ahead log or its journal has now,
 * whichever is smaller (a full disk without root; chmod would not do, the server keeps the files
 * open). SIGXFSZ is ignored so that a write
 * fails with EFBIG, as on a full disk it fails with ENOSPC. Destroying it or lift() ends it.
 */
class HistoryFileLimit
{
public:
    /// @p dataDir's history must have been written once (historyWritten()) for the log to exist.
    explicit HistoryFileLimit(const QString &dataDir);
    ~HistoryFileLimit();
    HistoryFileLimit(const HistoryFileLimit &) = delete;
    HistoryFileLimit &operator=(const HistoryFileLimit &) = delete;

    /// False when the limit could not be set (no log yet, or setrlimit failed).
    bool isActive() const { return m_active; }
    /// The file may grow again.
    void lift();

private:
    rlimit m_original{};
    void (*m_previousHandler)(int) = nullptr;
    bool m_active = false;
};

} // namespace tktalk::test
