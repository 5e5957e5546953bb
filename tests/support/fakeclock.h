#pragma once

#include <QProcess>
#include <QString>

namespace tktalk::test {

/**
 * @brief A wall clock that a test moves for a child process: libfaketime preloaded, reading its
 * offset from a file on every call, so that the test can jump it ("+2d", "-1d", "+0") while the
 * process runs. Only CLOCK_REALTIME moves; the monotonic clock, and so every timeout, does not.
 */
class FakeClock
{
public:
    /// The offset lives in @p offsetFile; it starts at "+0".
    explicit FakeClock(QString offsetFile);

    /// Whether libfaketime is installed (scripts/deps installs it).
    static bool isAvailable();
    static QString libraryPath();

    /// Makes @p process (not yet started) run on this clock.
    void applyTo(QProcess &process) const;
    /// Moves the clock to @p offset from the real one ("+2d", "-1d", "+0"); false if it cannot.
    bool setOffset(const QByteArray &offset);

private:
    QString m_offsetFile;
};

} // namespace tktalk::test
