#pragma once

#include <QSslCertificate>
#include <QString>

class QSettings;

namespace tktalk::client {

/**
 * @brief Remembers which certificate the user trusted for each host:port (trust on first use), as a
 * SHA-256 digest in QSettings. Only digests are stored: a pin is a claim about one exact certificate.
 */
class CertificatePins
{
public:
    explicit CertificatePins(QSettings &settings) : m_settings(settings) {}

    /// The pinned SHA-256 digest (raw bytes) for @p host:@p port, or empty when none.
    QByteArray pinnedDigest(const QString &host, quint16 port) const;
    void pin(const QString &host, quint16 port, const QSslCertificate &certificate);
    void forget(const QString &host, quint16 port);

    static QByteArray digestOf(const QSslCertificate &certificate);
    /// "AB:CD:..." as shown to the user.
    static QString formatDigest(const QByteArray &digest);

private:
    static QString key(const QString &host, quint16 port);
    QSettings &m_settings;
};

} // namespace tktalk::client
