// Conformance: the same script of commands goes to tktalk, InspIRCd and ngircd, and tktalk's replies
// (numerics and parameters; server names, texts, hosts and times aside) must match at least one of
// them, unless the script documents why tktalk deliberately differs (docs/PROTOCOL-CONFORMANCE.md).

#include "conformancescript.h"
#include "peerserver.h"
#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "testserver.h"

#include <QTest>

using namespace tktalk::test;

class tst_Conformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesPeers();
};

namespace {

QString show(const StepReplies &replies)
{
    QStringList parts;
    for (auto it = replies.begin(); it != replies.end(); ++it) {
        if (!it.value().isEmpty())
            parts << QStringLiteral("%1 <- [%2]").arg(QString::fromUtf8(it.key()),
                                                       QString::fromUtf8(it.value().join(", ")));
    }
    return parts.isEmpty() ? QStringLiteral("(nothing)") : parts.join(QStringLiteral("; "));
}

} // namespace

void tst_Conformance::matchesPeers()
{
    QString error;
    const QList<ScriptStep> steps = loadScript(QStringLiteral(TKTALK_CONFORMANCE_SCRIPT), &error);
    QVERIFY2(!steps.isEmpty(), qPrintable(error));

    // tktalk without its default room, flood control or playback on join, as the peers are configured.
    TestCertificateFiles files;
    QVERIFY(files.isValid());
    ServerProcess tktalk;
    QVERIFY(tktalk.start(files.path(QStringLiteral("data")),
                         files.serverArguments()
                             + QStringList{"--channel", "", "--flood-rate", "0", "--history-playback-lines", "0"}));
    PeerServer inspircd(QStringLiteral("inspircd"));
    PeerServer ngircd(QStringLiteral("ngircd"));
    QVERIFY(inspircd.start(files.certificatePath(), files.keyPath()));
    QVERIFY(ngircd.start(files.certificatePath(), files.keyPath()));

    const QSslCertificate certificate = testIdentity().chain.first();
    const QList<StepReplies> ours = runScript(tktalk.port(), certificate, steps, &error);
    QVERIFY2(!ours.isEmpty(), qPrintable("tktalk: " + error));
    const QList<StepReplies> insp = runScript(inspircd.port(), certificate, steps, &error);
    QVERIFY2(!insp.isEmpty(), qPrintable("InspIRCd: " + error));
    const QList<StepReplies> ng = runScript(ngircd.port(), certificate, steps, &error);
    QVERIFY2(!ng.isEmpty(), qPrintable("ngircd: " + error));

    QStringList failures;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const ScriptStep &step = steps.at(i);
        const bool asInspircd = ours.at(i) == insp.at(i);
        const bool asNgircd = ours.at(i) == ng.at(i);
        const QString verdict = asInspircd && asNgircd ? QStringLiteral("as both")
                                : asInspircd           ? QStringLiteral("as InspIRCd")
                                : asNgircd             ? QStringLiteral("as ngircd")
                                : !step.tktalkDiffers.isEmpty() ? QStringLiteral("differs on purpose")
                                                                : QStringLiteral("DIFFERS");
        const QString title = QStringLiteral("%1: %2").arg(QString::fromUtf8(step.client), QString::fromUtf8(step.line));
        qInfo().noquote() << title << "=>" << verdict;
        if (!asInspircd || !asNgircd) {
            qInfo().noquote() << "    tktalk:  " << show(ours.at(i));
            qInfo().noquote() << "    InspIRCd:" << show(insp.at(i));
            qInfo().noquote() << "    ngircd:  " << show(ng.at(i));
        }
        if (verdict == QStringLiteral("DIFFERS"))
            failures << title;
        // A documented difference that has gone away must not stay documented.
        if ((asInspircd || asNgircd) && !step.tktalkDiffers.isEmpty())
            failures << title + QStringLiteral(" (marked as differing, but matches a peer)");
    }
    QVERIFY2(failures.isEmpty(), qPrintable("tktalk differs from both peers:\n" + failures.join('\n')));
}

QTEST_GUILESS_MAIN(tst_Conformance)
#include "tst_conformance.moc"
