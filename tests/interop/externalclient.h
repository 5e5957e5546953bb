#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace tktalk::test {

class TestCertificateFiles;

/**
 * @brief An IRC client nobody here wrote, driven from a test: started against a tktalk server, fed
 * slash commands, and read back through what it displays.
 */
class ExternalClient
{
public:
    virtual ~ExternalClient() = default;

    /// Starts the client: TLS to 127.0.0.1:@p port, trusting the test certificate in @p files, as
    /// @p nick; false if it could not even be started.
    virtual bool start(quint16 port, const TestCertificateFiles &files, const QString &nick) = 0;
    /// Types a command the way a user would: "/msg #lobby hi", "/names #lobby", "/nick x", "/quit bye".
    virtual void type(const QString &command) = 0;
    /// Everything the client has shown so far about @p conversation (a channel or a nick).
    virtual QString shown(const QString &conversation) = 0;
    virtual bool hasExited() = 0;
    /// Ends the client at once if it still runs.
    virtual void stop() = 0;

    /// How this client shows a message from @p from, a list of users (each nick may carry its
    /// channel prefix, "@alice"), its own nick change, and a change of #lobby's modes by @p by
    /// (@p modes as the MODE line has them: "+o ext").
    virtual QRegularExpression messageLine(const QString &from, const QString &text) const = 0;
    virtual QRegularExpression userListLine(const QStringList &nicks) const = 0;
    virtual QRegularExpression ownNickChangeLine(const QString &newNick) const = 0;
    virtual QRegularExpression modeLine(const QString &by, const QString &modes) const = 0;
};

/// The client's log, for a failure message.
QString describeFailure(ExternalClient &client, const QString &conversation);

} // namespace tktalk::test
