#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

namespace tktalk::server {

/// @brief The server's certificate chain and private key.
struct TlsIdentity
{
    QList<QSslCertificate> chain;
    QSslKey key;

    /// SHA-256 digest of the leaf certificate as colon-separated hex, as clients display it.
    QString fingerprint() const;
};

/// Formats a SHA-256 certificate digest the way tktalk shows fingerprints everywhere ("AB:CD:...").
QString formatFingerprint(const QSslCertificate &certificate);

/// Generates a self-signed EC P-256 certificate valid for @p hostNames (DNS names or IP addresses)
/// for @p validDays days. Returns a null identity and sets @p error on failure.
TlsIdentity generateSelfSignedIdentity(const QStringList &hostNames, int validDays, QString *error);

/// Whether @p identity has a certificate and the private key that belongs to it; sets @p error if not.
bool checkIdentity(const TlsIdentity &identity, QString *error);

/// Loads a PEM certificate chain and key. Returns a null identity and sets @p error on failure.
TlsIdentity loadIdentity(const QString &certFile, const QString &keyFile, QString *error);

/**
 * Loads "tktalk.crt"/"tktalk.key" from @p dataDir, or generates and saves them (key mode 0600) on
 * first start with SANs for localhost, 127.0.0.1, ::1 and @p hostName. Sets @p created when it
 * generated them.
 */
TlsIdentity loadOrCreateIdentity(const QString &dataDir, const QString &hostName, bool *created,
                                 QString *error);

} // namespace tktalk::server
