// The wall clock jumps (an administrator sets the date, NTP steps it, a VM resumes) while the
// server runs: its timeouts keep their length, because they are measured on the monotonic clock,
// and the times it shows follow the wall clock. The server runs under libfaketime, which moves
// only the wall clock (CLOCK_REALTIME), by days forward and then back.

#include "fakeclock.h"
#include "serverprocess.h"
#include "testircclient.h"

#include <QDateTime>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::FakeClock;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;

namespace {

/// Long enough that no PING is due during the test, however slow the machine.
constexpr int kPingIntervalSecs = 600;
/// Short, so that a registration timeout proves time went on after each jump.
constexpr int kRegistrationTimeoutSecs = 2;
/// The test's own deadline for that timeout: generous, for a busy machine.
constexpr int kTimeoutWaitMs = 60'000;

/// A client that connects and never registers is closed for the registration timeout.
bool registrationTimesOut(ServerProcess &server, const QSslCertificate &certificate)
{
    TestIrcClient dawdler;
    dawdler.connectTo(server.port(), certificate);
    if (!dawdler.waitForEncrypted())
        return false;
    const auto error = dawdler.waitForError(kTimeoutWaitMs);
    return error && error->param(0).contains("Registration timed out");
}

} // namespace

class tst_ClockJump : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timeoutsIgnoreTheWallClock();
};

void tst_ClockJump::timeoutsIgnoreTheWallClock()
{
    if (!FakeClock::isAvailable())
        QSKIP("libfaketime is not installed (scripts/deps installs it)");
    QTemporaryDir dir;
    FakeClock clock(dir.filePath(QStringLiteral("faketime")));
    ServerProcess server;
    clock.applyTo(server.process());
    QVERIFY(server.start(dir.path(), {QStringLiteral("--ping-interval"), QString::number(kPingIntervalSecs),
                                      QStringLiteral("--registration-timeout"), QString::number(kRegistrationTimeoutSecs)}));
    const QSslCertificate certificate = QSslCertificate::fromPath(dir.filePath(QStringLiteral("tktalk.crt"))).value(0);
    TestIrcClient member;
    member.connectTo(server.port(), certificate);
    QVERIFY(member.waitForEncrypted());
    QVERIFY(member.registerAs("member"));
    QVERIFY(member.sync());
    member.skipReceived();

    for (const QByteArray offset : {"+2d", "-2d"}) {
        QVERIFY(clock.setOffset(offset));
        // Time goes on at its own pace: a registration still times out (after a backward jump, a
        // wall-clock timeout would not come for days)...
        QVERIFY2(registrationTimesOut(server, certificate), offset.constData());
        // ...and nobody was taken for silent (after a forward jump, a wall-clock ping check
        // would have sent a PING at once, and closed the connection soon after).
        const auto seen = member.sync();
        QVERIFY(seen);
        QVERIFY2(seen->isEmpty(), qPrintable(QStringLiteral("%1 after %2").arg(QString::fromUtf8(seen->value(0).command),
                                                                             QString::fromUtf8(offset))));
        // The times the server shows follow the wall clock it now has.
        member.sendLine("TIME");
        const auto time = member.waitForCommand("391");
        QVERIFY(time);
        const int days = offset.startsWith('+') ? 2 : -2;
        const QDateTime shown = QDateTime::fromString(QString::fromLatin1(time->params.constLast()), Qt::RFC2822Date);
        QVERIFY2(shown.isValid(), time->params.constLast().constData());
        const qint64 offBySecs = QDateTime::currentDateTimeUtc().addDays(days).secsTo(shown);
        QVERIFY2(qAbs(offBySecs) < 3600, time->params.constLast().constData());
    }
    QVERIFY(member.isConnected());
    QVERIFY(server.stop(SIGTERM));
}

QTEST_GUILESS_MAIN(tst_ClockJump)
#include "tst_clockjump.moc"
