#pragma once

#include <QObject>
#include <QSocketNotifier>

namespace tktalk::server::transport {

/**
 * @brief Closes a TCP socket without losing the output it still has to deliver.
 *
 * Closing a socket whose receive queue holds unread input makes Linux answer with a reset (RFC
 * 1122, 4.2.2.13) and throw away whatever output has not reached the peer yet. A client that
 * floods, or overflows its send queue, while the server closes on it would then never see the
 * ERROR line that says why. So this half-closes the socket instead (FIN after the last byte),
 * reads and discards whatever the peer still sends, and closes for good once the peer closes too,
 * or after a timeout: the "lingering close" of web servers.
 *
 * It takes over a descriptor whose output has all been handed to the kernel.
 */
class LingeringClose : public QObject
{
    Q_OBJECT
public:
    /// The longest a closed connection waits for the peer to close its side.
    static constexpr int kDefaultTimeoutMs = 2'000;

    /// Half-closes @p descriptor (now owned by this object) and starts draining it; finished()
    /// comes from the event loop, never from here.
    LingeringClose(int descriptor, int timeoutMs, QObject *parent = nullptr);
    /// Closes the descriptor if it is still open.
    ~LingeringClose() override;

    bool isFinished() const { return m_descriptor < 0; }

Q_SIGNALS:
    /// The peer closed, failed, or the timeout passed: the descriptor is closed.
    void finished();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void drain();
    void finish();

    int m_descriptor;
    QSocketNotifier m_readNotifier;
    int m_timer = 0;
};

} // namespace tktalk::server::transport
