#pragma once

#include <QByteArray>

namespace tktalk::server {

/// @brief A connection's account state: who it is logged in as, and its SASL exchange in progress.
struct SessionAuth
{
    /// The account logged in to; empty when not logged in. Set with ClientSession::setAccount(),
    /// which keeps its folded form too.
    QByteArray account;
    QByteArray saslMechanism;  ///< "PLAIN" or "EXTERNAL" while an AUTHENTICATE exchange is open
    QByteArray saslBuffer;     ///< base64 received so far (sent in 400-byte chunks)
    bool checkInFlight = false; ///< a password is being hashed; registration waits for it
    quint64 nickGuardGeneration = 0; ///< bumped on every nick change, so stale grace timers do nothing

    void resetSasl()
    {
        saslMechanism.clear();
        saslBuffer.clear();
    }
};

} // namespace tktalk::server
