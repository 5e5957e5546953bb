#pragma once

#include "externalclient.h"

#include <QProcess>

namespace tktalk::test {

/// @brief irc-framework (npm) in a small Node script, fed commands on stdin; shows events on stdout.
class NodeClient : public ExternalClient
{
public:
    ~NodeClient() override;
    /// Before start(): one of chat.js's options, "cap=NAME" or "account=NAME:PASSWORD".
    void addOption(const QString &option) { m_options << option; }
    bool start(quint16 port, const TestCertificateFiles &files, const QString &nick) override;
    void type(const QString &command) override;
    QString shown(const QString &conversation) override;
    bool hasExited() override { return m_process.state() == QProcess::NotRunning; }
    void stop() override;

    QRegularExpression messageLine(const QString &from, const QString &text) const override;
    QRegularExpression userListLine(const QStringList &nicks) const override;
    QRegularExpression ownNickChangeLine(const QString &newNick) const override;
    QRegularExpression modeLine(const QString &by, const QString &modes) const override;

private:
    QProcess m_process;
    QStringList m_options;
    QString m_output;
};

} // namespace tktalk::test
