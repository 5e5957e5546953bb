#include "tlscontext.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>


namespace tktalk::server::transport {

namespace {

/// TLS 1.2 suites: forward secrecy (ECDHE) and authenticated encryption (GCM, ChaCha20-Poly1305).
constexpr char kTls12Ciphers[] = "ECDHE+AESGCM:ECDHE+CHACHA20";
/// Any identifier: OpenSSL refuses to resume a session of a context that asks for client
/// certificates unless one is set.
constexpr unsigned char kSessionIdContext[] = "tktalk";
/// Tickets sent after a TLS 1.3 handshake. One is enough to resume once; OpenSSL's default of two
/// costs a second encryption and 200 bytes on every connection.
constexpr size_t kTls13Tickets = 1;

/// Accepts any client certificate: it is an identity, not a proof of anything a CA signed.
int acceptAnyClientCertificate(int /*preverified*/, X509_STORE_CTX * /*store*/)
{
    return 1;
}

bool useIdentity(SSL_CTX *context, const TlsIdentity &identity, QString *error)
{
    if (identity.chain.isEmpty() || identity.key.isNull()) {
        *error = QStringLiteral("no certificate or key");
        return false;
    }
    const QByteArray leafDer = identity.chain.first().toDer();
    const auto *cursor = reinterpret_cast<const unsigned char *>(leafDer.constData());
    X509 *leaf = d2i_X509(nullptr, &cursor, long(leafDer.size()));
    const bool leafUsed = leaf && SSL_CTX_use_certificate(context, leaf) == 1;
    X509_free(leaf);
    if (!leafUsed) {
        *error = QStringLiteral("cannot use the certificate: ") + takeOpenSslError();
        return false;
    }
    for (qsizetype i = 1; i < identity.chain.size(); ++i) {
        const QByteArray der = identity.chain.at(i).toDer();
        cursor = reinterpret_cast<const unsigned char *>(der.constData());
        X509 *intermediate = d2i_X509(nullptr, &cursor, long(der.size()));
        const bool added = intermediate && SSL_CTX_add1_chain_cert(context, intermediate) == 1;
        X509_free(intermediate);
        if (!added) {
            *error = QStringLiteral("cannot use certificate %1 of the chain: ").arg(i + 1) + takeOpenSslError();
            return false;
        }
    }
    const QByteArray keyPem = identity.key.toPem();
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    EVP_PKEY *key = keyBio ? PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(keyBio);
    const bool keyUsed = key && SSL_CTX_use_PrivateKey(context, key) == 1 && SSL_CTX_check_private_key(context) == 1;
    EVP_PKEY_free(key);
    if (!keyUsed) {
        *error = QStringLiteral("cannot use the private key: ") + takeOpenSslError();
        return false;
    }
    return true;
}

} // namespace

QString takeOpenSslError()
{
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    const char *reason = code ? ERR_reason_error_string(code) : nullptr;
    return reason ? QString::fromLatin1(reason) : QStringLiteral("unknown TLS error");
}

std::shared_ptr<TlsContext> TlsContext::create(const TlsIdentity &identity, QString *error)
{
    ERR_clear_error();
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (!context) {
        *error = QStringLiteral("cannot create a TLS context: ") + takeOpenSslError();
        return nullptr;
    }
    std::shared_ptr<TlsContext> result(new TlsContext(context));
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    // Most IRC clients close TCP without a close_notify. Lines are framed by CRLF, so a cut-off
    // stream cannot pass as a shorter message: count such an end as an ordinary close.
    SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE
                                     | SSL_OP_IGNORE_UNEXPECTED_EOF);
    // Idle connections give their record buffers back (about 34 KiB each) as soon as they drain.
    // Keeping them for busy connections instead saves about 2% of the instructions per private
    // message and nothing on fan-out, and leaves their pages scattered between live allocations
    // once they go (17.3 against 21.5 KiB of RSS per idle client; docs/PERFORMANCE.md). Writes are
    // retried with the same bytes, but from wherever the queue now keeps them.
    SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // Read whatever has arrived in one system call, rather than a record header and then its body:
    // a third fewer read() calls when clients are busy.
    SSL_CTX_set_read_ahead(context, 1);
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(context, kTls13Tickets);
    SSL_CTX_set_session_id_context(context, kSessionIdContext, sizeof kSessionIdContext - 1);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, acceptAnyClientCertificate);
    if (SSL_CTX_set_cipher_list(context, kTls12Ciphers) != 1) {
        *error = QStringLiteral("cannot set the TLS 1.2 cipher suites: ") + takeOpenSslError();
        return nullptr;
    }
    if (!useIdentity(context, identity, error))
        return nullptr;
    return result;
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

} // namespace tktalk::server::transport
