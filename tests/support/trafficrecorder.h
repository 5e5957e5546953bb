#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace tktalk::test {

/**
 * @brief Records what test clients send and receive, as seeds for the fuzzers' corpora.
 *
 * Off unless TKTALK_RECORD_TRAFFIC names a directory (tests/fuzz/record-corpus sets it). Then each
 * test function's clients write into two kinds of files there, named after the test program,
 * function and data row:
 * - NAME.script: what every client sent, in order, as a fuzz_server script (one line per client
 *   line, its first byte the client's number modulo 4; see tests/fuzz/fuzz_server.cpp);
 * - NAME.clientN: what client N received, byte for byte, for fuzz_client.
 */
class TrafficRecorder
{
public:
    /// The recorder, or nullptr when recording is off.
    static TrafficRecorder *instance();

    void sent(const void *client, const QByteArray &bytes);
    void received(const void *client, const QByteArray &bytes);

private:
    explicit TrafficRecorder(QString directory) : m_directory(std::move(directory)) {}
    /// The file name for this test function, and @p client's number within it.
    QString baseName();
    int clientNumber(const void *client);
    void append(const QString &fileName, const QByteArray &bytes);

    QString m_directory;
    QString m_function; ///< the test function the numbers below belong to
    QHash<const void *, int> m_clients;
};

} // namespace tktalk::test
