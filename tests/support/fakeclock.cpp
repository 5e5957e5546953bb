#include "fakeclock.h"

#include <QFile>
#include <QFileInfo>

namespace tktalk::test {

FakeClock::FakeClock(QString offsetFile)
    : m_offsetFile(std::move(offsetFile))
{
    setOffset("+0");
}

QString FakeClock::libraryPath()
{
    return QStringLiteral("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
}

bool FakeClock::isAvailable()
{
    return QFileInfo::exists(libraryPath());
}

void FakeClock::applyTo(QProcess &process) const
{
    QProcessEnvironment environment = process.processEnvironment();
    if (environment.isEmpty())
        environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LD_PRELOAD"), libraryPath());
    environment.insert(QStringLiteral("FAKETIME_TIMESTAMP_FILE"), m_offsetFile);
    environment.insert(QStringLiteral("FAKETIME_NO_CACHE"), QStringLiteral("1"));
    environment.insert(QStringLiteral("FAKETIME_DONT_FAKE_MONOTONIC"), QStringLiteral("1"));
    // Under AddressSanitizer, libfaketime comes before its runtime in the library list.
    environment.insert(QStringLiteral("ASAN_OPTIONS"),
                       environment.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":verify_asan_link_order=0"));
    process.setProcessEnvironment(environment);
}

bool FakeClock::setOffset(const QByteArray &offset)
{
    QFile spec(m_offsetFile);
    return spec.open(QIODevice::WriteOnly | QIODevice::Truncate) && spec.write(offset + '\n') > 0;
}

} // namespace tktalk::test
