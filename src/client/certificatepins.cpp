#include "certificatepins.h"

#include <QCryptographicHash>
#include <QSettings>
#include <QUrl>

namespace tktalk::client {

namespace {
/// Names the digest algorithm in the stored value, so that a later change of algorithm is visible.
const QLatin1String kDigestPrefix("sha256:");
} // namespace

QString CertificatePins::key(const QString &host, quint16 port)
{
    // QSettings treats '/' and '\' specially; a host never contains them, but percent-encode to be sure
    // that "[::1]:6697" and friends make a single key.
    const QString id = host.toLower() + QLatin1Char(':') + QString::number(port);
    return QStringLiteral("pins/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QByteArray CertificatePins::pinnedDigest(const QString &host, quint16 port) const
{
    const QString value = m_settings.value(key(host, port)).toString();
    if (!value.startsWith(kDigestPrefix))
        return {};
    return QByteArray::fromHex(value.mid(kDigestPrefix.size()).remove(QLatin1Char(':')).toLatin1());
}

void CertificatePins::pin(const QString &host, quint16 port, const QSslCertificate &certificate)
{
    m_settings.setValue(key(host, port), kDigestPrefix + formatDigest(digestOf(certificate)));
    m_settings.sync();
}

void CertificatePins::forget(const QString &host, quint16 port)
{
    m_settings.remove(key(host, port));
    m_settings.sync();
}

QByteArray CertificatePins::digestOf(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256);
}

QString CertificatePins::formatDigest(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

} // namespace tktalk::client
