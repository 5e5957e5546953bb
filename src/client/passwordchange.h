#pragma once

#include "ircconnection.h"
#include "networkstate.h"
#include "registration.h"

#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief Changes the password of the account the user is logged in to: sends
 * `PRIVMSG NickServ :SET PASSWORD <new>` and reads NickServ's answer (a NOTICE). When the server
 * stored it, the new password replaces the old one in memory, so that reconnects log in with it.
 *
 * The new password is never shown, logged or saved; it goes straight to the connection, past the
 * input line and its history.
 */
class PasswordChange : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The chat session's password change")
    /// @brief A change was sent and the server has not answered yet.
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    /// @brief The last change's outcome in a sentence (the server's words when it refused); empty before.
    Q_PROPERTY(QString resultText READ resultText NOTIFY stateChanged)
    /// @brief Whether the last change was stored by the server.
    Q_PROPERTY(bool succeeded READ succeeded NOTIFY stateChanged)
public:
    /// How long to wait for NickServ's answer before saying there was none.
    static constexpr int kAnswerTimeoutMs = 30'000;

    PasswordChange(IrcConnection &connection, NetworkState &network, Registration &registration,
                   QObject *parent = nullptr);

    bool busy() const { return !m_pending.isEmpty(); }
    QString resultText() const { return m_resultText; }
    bool succeeded() const { return m_succeeded; }

    /// Asks the server to change the account's password to @p newPassword, which @p repeated must
    /// match. Returns what is wrong (not logged in, a space in it, ...) in a sentence, or empty when
    /// it was sent. The server checks its length and answers; finished() follows.
    Q_INVOKABLE QString change(const QString &newPassword, const QString &repeated);
    /// Forgets the last outcome (a dialog opened anew).
    Q_INVOKABLE void clearResult();
    /// For tests: how long to wait for the answer.
    void setAnswerTimeout(int milliseconds) { m_timeout.setInterval(milliseconds); }

Q_SIGNALS:
    void stateChanged();
    /// The server answered (or did not in time): @p succeeded when the new password is stored.
    void finished(bool succeeded);

private:
    void onMessage(const protocol::Message &message);
    void finish(bool succeeded, const QString &text);

    IrcConnection &m_connection;
    NetworkState &m_network;
    Registration &m_registration;
    QTimer m_timeout;
    QString m_pending; ///< the new password while the server has not answered; memory only
    QString m_resultText;
    bool m_succeeded = false;
};

} // namespace tktalk::client
