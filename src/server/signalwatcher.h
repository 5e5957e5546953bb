#pragma once

#include <QObject>

class QSocketNotifier;

namespace tktalk::server {

/**
 * @brief Turns SIGINT, SIGTERM and SIGHUP into Qt signals on the event loop.
 *
 * A POSIX signal handler may only do async-signal-safe work, so it writes the signal number to a
 * socketpair; a QSocketNotifier on the other end reads it back on the event loop. One instance per
 * process.
 */
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber); ///< SIGINT or SIGTERM
    void reloadRequested();                       ///< SIGHUP

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace tktalk::server
