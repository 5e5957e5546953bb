#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace tktalk::test {

/**
 * @brief The test certificate and key written to PEM files in a temporary directory, for programs
 * outside the test process: the tktalk binary, other servers, and clients that must trust it.
 */
class TestCertificateFiles
{
public:
    TestCertificateFiles();

    bool isValid() const { return m_valid; }
    QString certificatePath() const { return path(QStringLiteral("cert.pem")); }
    QString keyPath() const { return path(QStringLiteral("key.pem")); }
    /// SHA-256 of the certificate as plain lowercase hex, the form some clients take as a pin.
    QByteArray fingerprintHex() const;
    /// A path in the same temporary directory, for other programs' files.
    QString path(const QString &name) const { return m_dir.filePath(name); }
    /// Arguments for `tktalk --server`: this certificate, and "irc.test" as the server name.
    QStringList serverArguments() const;

private:
    QTemporaryDir m_dir;
    bool m_valid = false;
};

} // namespace tktalk::test
