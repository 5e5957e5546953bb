#pragma once

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
    void incomingConnection(qintptr descriptor) override { Q_EMIT accepted(descriptor); }
};

} // namespace tktalk::server::transport
