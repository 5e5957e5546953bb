// Loading the server's certificate and key (`--cert`/`--key`, the generated pair in the data
// directory, and SIGHUP reloads), then handing the identity to both TLS engines, as the server
// does. Properties checked: no crash, leak or sanitizer report; an identity is either refused with
// a reason or accepted whole, and one that loadIdentity() accepts is one both engines accept.
//
// Input: the certificate file, a NUL byte, the key file. Without a NUL both files are the input
// (a PEM file holding both).

#include "fuzzsupport.h"

#include "tlsidentity.h"
#include "transport/listener.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>

using namespace tktalk;

namespace {

/// A file in memory with @p contents; its path is /proc/self/fd/N while the object lives.
class MemoryFile
{
public:
    explicit MemoryFile(QByteArrayView contents) : m_descriptor(::memfd_create("fuzz-pem", MFD_CLOEXEC))
    {
        if (m_descriptor < 0 || ::write(m_descriptor, contents.data(), size_t(contents.size())) != contents.size()) {
            std::perror("fuzz_identity: memfd");
            std::abort();
        }
    }
    ~MemoryFile() { ::close(m_descriptor); }
    QString path() const { return QStringLiteral("/proc/self/fd/%1").arg(m_descriptor); }

private:
    int m_descriptor;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tktalk::fuzz::ensureApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = tktalk::fuzz::bytesOf(data, size);
    const qsizetype split = input.indexOf('\0');
    const MemoryFile certificate(split < 0 ? input : input.first(split));
    const MemoryFile key(split < 0 ? input : input.sliced(split + 1));

    QString error;
    const server::TlsIdentity identity = server::loadIdentity(certificate.path(), key.path(), &error);
    if (identity.chain.isEmpty()) {
        FUZZ_CHECK(!error.isEmpty(), input);
        return 0;
    }
    FUZZ_CHECK(!identity.key.isNull(), input);
    FUZZ_CHECK(server::checkIdentity(identity, &error), input);
    FUZZ_CHECK(identity.fingerprint().size() == 95, input);
    for (const server::TlsEngine engine : {server::TlsEngine::Qt, server::TlsEngine::OpenSsl}) {
        const std::unique_ptr<server::transport::Listener> listener =
            server::transport::Listener::create(engine, server::transport::ListenerSettings());
        if (!listener->setIdentity(identity, &error)) {
            // A certificate OpenSSL refuses outright (a key too small for its security level, say)
            // is refused with a reason; the server then keeps its current one.
            FUZZ_CHECK(!error.isEmpty(), input);
        }
    }
    return 0;
}
