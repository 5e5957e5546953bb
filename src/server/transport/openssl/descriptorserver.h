#pragma once

#include "transport/acceptguard.h"

#include <QTcpServer>

namespace tktalk::server::transport {

/// @brief A QTcpServer that hands over each accepted socket as a bare descriptor.
class DescriptorServer : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;

Q_SIGNALS:
    /// A TCP connection was accepted; the receiver owns @p descriptor.
    void accepted(qintptr descriptor);

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (m_acceptGuard.admit(descriptor))
            Q_EMIT accepted(descriptor);
    }

private:
    AcceptGuard m_acceptGuard{this}; ///< no accept() spin when out of file descriptors
};

} // namespace tktalk::server::transport
