#include "tlsidentity.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <memory>

namespace tktalk::server {

namespace {

constexpr const char *kCertFileName = "tktalk.crt";
constexpr const char *kKeyFileName = "tktalk.key";
constexpr int kGeneratedValidDays = 825; // the most a publicly trusted server certificate may have

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

/// Whether @p keyPem is the private key of the first certificate in @p certPem. Qt accepts a
/// mismatched pair and only every later handshake fails, so a SIGHUP that picked up a renewed
/// certificate before its key would take a working server down.
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem)
{
    BioPtr certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    const X509Ptr cert(certBio ? PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr) : nullptr);
    const PKeyPtr key(keyBio ? PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr) : nullptr);
    const bool matches = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
    ERR_clear_error(); // leave no stale error behind for Qt's own OpenSSL calls to report
    return matches;
}

bool addExtension(X509 *cert, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    ExtPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

QByteArray subjectAltNames(const QStringList &hostNames)
{
    QByteArrayList entries;
    for (const QString &name : hostNames) {
        if (name.isEmpty())
            continue;
        const bool isAddress = !QHostAddress(name).isNull();
        const QByteArray entry = (isAddress ? "IP:" : "DNS:") + name.toUtf8();
        if (!entries.contains(entry))
            entries.append(entry);
    }
    return entries.join(',');
}

bool writeFile(const QString &path, const QByteArray &contents, QFileDevice::Permissions permissions,
               QString *error)
{
    // Write beside the target and rename, so a crash never leaves half a key behind; the file is
    // created with its final permissions, so the key is never readable by others, not even briefly.
    const QString temporary = path + QStringLiteral(".new");
    QFile::remove(temporary);
    QFile file(temporary);
    if (!file.open(QIODevice::WriteOnly, permissions) || file.write(contents) != contents.size()
        || !file.flush()) {
        *error = QStringLiteral("cannot write %1: %2").arg(temporary, file.errorString());
        return false;
    }
    file.close();
    QFile::remove(path);
    if (!QFile::rename(temporary, path)) {
        *error = QStringLiteral("cannot rename %1 to %2").arg(temporary, path);
        return false;
    }
    return true;
}

} // namespace

QString formatFingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString TlsIdentity::fingerprint() const
{
    return chain.isEmpty() ? QString() : formatFingerprint(chain.first());
}

TlsIdentity generateSelfSignedIdentity(const QStringList &hostNames, int validDays, QString *error)
{
    auto fail = [error](const char *what) {
        *error = QStringLiteral("certificate generation failed: %1").arg(QLatin1String(what));
        return TlsIdentity{};
    };

    PKeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return fail("EC key generation");
    X509Ptr cert(X509_new());
    if (!cert)
        return fail("X509_new");

    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return fail("RAND_bytes");
    serial[0] &= 0x7f; // keep the serial number positive
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serialNumber(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!serialNumber || !BN_to_ASN1_INTEGER(serialNumber.get(), X509_get_serialNumber(cert.get())))
        return fail("serial number");

    const QByteArray commonName = hostNames.value(0, QStringLiteral("localhost")).toUtf8();
    X509_set_version(cert.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(validDays) * 24 * 60 * 60);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("tktalk"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);

    const QByteArray altNames = subjectAltNames(hostNames);
    if (!addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement")
        || !addExtension(cert.get(), NID_ext_key_usage, "serverAuth")
        || !addExtension(cert.get(), NID_subject_key_identifier, "hash")
        || (!altNames.isEmpty() && !addExtension(cert.get(), NID_subject_alt_name, altNames)))
        return fail("certificate extensions");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return fail("signing");

    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), cert.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return fail("PEM encoding");

    TlsIdentity identity;
    identity.chain = QSslCertificate::fromData(bioContents(certBio.get()), QSsl::Pem);
    identity.key = QSslKey(bioContents(keyBio.get()), QSsl::Ec, QSsl::Pem);
    if (identity.chain.isEmpty() || identity.key.isNull())
        return fail("Qt rejected the generated PEM");
    return identity;
}

bool checkIdentity(const TlsIdentity &identity, QString *error)
{
    if (identity.chain.isEmpty() || identity.key.isNull()) {
        *error = QStringLiteral("no certificate or key");
        return false;
    }
    if (!keyMatchesCertificate(identity.chain.first().toPem(), identity.key.toPem())) {
        *error = QStringLiteral("the private key does not belong to the certificate");
        return false;
    }
    return true;
}

TlsIdentity loadIdentity(const QString &certFile, const QString &keyFile, QString *error)
{
    QFile certIn(certFile);
    if (!certIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read certificate %1: %2").arg(certFile, certIn.errorString());
        return {};
    }
    QFile keyIn(keyFile);
    if (!keyIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read key %1: %2").arg(keyFile, keyIn.errorString());
        return {};
    }
    TlsIdentity identity;
    identity.chain = QSslCertificate::fromData(certIn.readAll(), QSsl::Pem);
    if (identity.chain.isEmpty()) {
        *error = QStringLiteral("%1 holds no PEM certificate").arg(certFile);
        return {};
    }
    const QByteArray keyPem = keyIn.readAll();
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Opaque}) {
        if (algorithm == QSsl::Opaque)
            break;
        identity.key = QSslKey(keyPem, algorithm, QSsl::Pem);
        if (!identity.key.isNull())
            break;
    }
    if (identity.key.isNull()) {
        *error = QStringLiteral("%1 holds no unencrypted PEM EC or RSA private key").arg(keyFile);
        return {};
    }
    if (!keyMatchesCertificate(identity.chain.first().toPem(), keyPem)) {
        *error = QStringLiteral("the key in %1 does not belong to the certificate in %2").arg(keyFile, certFile);
        return {};
    }
    return identity;
}

TlsIdentity loadOrCreateIdentity(const QString &dataDir, const QString &hostName, bool *created,
                                 QString *error)
{
    *created = false;
    const QDir dir(dataDir);
    const QString certPath = dir.filePath(QLatin1String(kCertFileName));
    const QString keyPath = dir.filePath(QLatin1String(kKeyFileName));
    if (QFile::exists(certPath) && QFile::exists(keyPath))
        return loadIdentity(certPath, keyPath, error);

    if (!QDir().mkpath(dataDir)) {
        *error = QStringLiteral("cannot create data directory %1").arg(dataDir);
        return {};
    }
    QStringList names{QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    if (!hostName.isEmpty())
        names.prepend(hostName);
    TlsIdentity identity = generateSelfSignedIdentity(names, kGeneratedValidDays, error);
    if (identity.chain.isEmpty())
        return {};
    if (!writeFile(keyPath, identity.key.toPem(), QFileDevice::ReadOwner | QFileDevice::WriteOwner, error)
        || !writeFile(certPath, identity.chain.first().toPem(),
                      QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                          | QFileDevice::ReadOther,
                      error))
        return {};
    *created = true;
    return identity;
}

} // namespace tktalk::server
