#pragma once

#include "tlsidentity.h"

#include <QString>

#include <memory>

using SSL_CTX = struct ssl_ctx_st;

namespace tktalk::server::transport {

/**
 * @brief The server's TLS policy and identity as one OpenSSL context, shared by every connection.
 *
 * TLS 1.2 or later; ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 for TLS 1.2 (TLS 1.3 suites
 * are all AEAD); no compression, no renegotiation. A client certificate is asked for but neither
 * required nor verified: its SHA-256 fingerprint is an identity that SASL EXTERNAL binds to an account.
 * Sessions resume through stateless tickets, so the server keeps no session cache.
 *
 * One context serves every connection, so a handshake costs no per-connection setup and an idle
 * connection holds only its own session state. Connections keep the context they started with:
 * replacing it (a certificate reload) affects only new connections.
 */
class TlsContext
{
public:
    /// Builds the context for @p identity. Returns null and sets @p error on failure.
    static std::shared_ptr<TlsContext> create(const TlsIdentity &identity, QString *error);

    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    SSL_CTX *handle() const { return m_context; }

private:
    explicit TlsContext(SSL_CTX *context) : m_context(context) {}

    SSL_CTX *m_context;
};

/// The reason OpenSSL gives for the last error on this thread ("no shared cipher"), and clears it.
QString takeOpenSslError();

} // namespace tktalk::server::transport
