#include "testcertificatefiles.h"

#include "testfiles.h"
#include "testserver.h"

#include <QCryptographicHash>

namespace tktalk::test {

TestCertificateFiles::TestCertificateFiles()
{
    const server::TlsIdentity &identity = testIdentity();
    m_valid = m_dir.isValid() && writeFile(certificatePath(), identity.chain.first().toPem())
              && writeFile(keyPath(), identity.key.toPem());
}

QByteArray TestCertificateFiles::fingerprintHex() const
{
    return testIdentity().chain.first().digest(QCryptographicHash::Sha256).toHex();
}

QStringList TestCertificateFiles::serverArguments() const
{
    return {QStringLiteral("--cert"), certificatePath(), QStringLiteral("--key"), keyPath(),
            QStringLiteral("--server-name"), QStringLiteral("irc.test")};
}

} // namespace tktalk::test
