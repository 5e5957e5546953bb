#pragma once

#include <QByteArrayList>
#include <QList>
#include <QMap>
#include <QSslCertificate>
#include <QString>

namespace tktalk::test {

/// One line of the conformance script: who sends what, and how to compare the replies.
struct ScriptStep
{
    QByteArray client; ///< alice, bob, carol (registered) or dave (never registered)
    QByteArray line;
    QByteArrayList only; ///< compare only replies with these commands; empty: all
    QByteArray tktalkDiffers; ///< why tktalk answers differently from both peers, if it does
};

/// What each client received because of one step, normalized.
using StepReplies = QMap<QByteArray, QByteArrayList>;

QList<ScriptStep> loadScript(const QString &path, QString *error);

/**
 * Registers alice, bob and carol (and connects dave) on 127.0.0.1:@p port, trusting @p certificate,
 * then runs @p steps and returns the replies to each step. Empty on failure, with @p error set.
 */
QList<StepReplies> runScript(quint16 port, const QSslCertificate &certificate, const QList<ScriptStep> &steps,
                             QString *error);

} // namespace tktalk::test
