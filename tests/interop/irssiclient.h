#pragma once

#include "externalclient.h"

namespace tktalk::test {

/// @brief Irssi in a tmux session: typed into with send-keys, read back with capture-pane.
class IrssiClient : public ExternalClient
{
public:
    ~IrssiClient() override;
    bool start(quint16 port, const TestCertificateFiles &files, const QString &nick) override;
    void type(const QString &command) override;
    QString shown(const QString &conversation) override;
    bool hasExited() override;
    void stop() override;

    QRegularExpression messageLine(const QString &from, const QString &text) const override;
    QRegularExpression userListLine(const QStringList &nicks) const override;
    QRegularExpression ownNickChangeLine(const QString &newNick) const override;
    QRegularExpression modeLine(const QString &by, const QString &modes) const override;

private:
    /// Runs tmux on this client's own server socket; returns its exit code (-1: did not run).
    int tmux(const QStringList &arguments, QByteArray *output = nullptr) const;

    QString m_home;
    QString m_socket;
};

} // namespace tktalk::test
