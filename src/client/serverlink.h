#pragma once

#include "certificatepins.h"
#include "ircconnection.h"
#include "messagemodel.h"
#include "networkstate.h"
#include "registration.h"

#include <QDateTime>
#include <QObject>
#include <QSettings>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace tktalk::client {

/**
 * @brief The client's link to one server: connects and logs in (Registration), asks the user about
 * a certificate it cannot verify, reconnects after a drop with a growing delay, and leaves with a
 * QUIT. It answers PING, and hands every other line after login-related ones to messageReceived().
 */
class ServerLink : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The chat session's link to the server")
public:
    enum class State { Disconnected, Connecting, AwaitingTrust, Registering, Connected, Reconnecting, Leaving };
    Q_ENUM(State)

    static constexpr int kReconnectFirstDelayMs = 1'000;
    static constexpr int kReconnectMaxDelayMs = 30'000;
    static constexpr int kLeaveTimeoutMs = 2'000;

    ServerLink(QSettings &settings, NetworkState &network, QObject *parent = nullptr);
    ~ServerLink() override;

    IrcConnection &connection() { return m_connection; }
    /// Extra CA certificates (PEM file) to trust besides the system's; returns an error or empty.
    QString setCaFile(const QString &path);
    /// For tests: the first reconnect delay (doubles on each failed attempt).
    void setReconnectDelay(int milliseconds) { m_firstReconnectDelayMs = milliseconds; }
    void setConnectTimeout(int milliseconds) { m_connection.setConnectTimeout(milliseconds); }

    State state() const { return m_state; }
    bool online() const { return m_state == State::Connected; }
    /// From the first successful login until the user leaves (reconnects included).
    bool inChat() const { return m_inChat; }
    bool isRegistered() const { return m_registration.isRegistered(); }
    QString errorText() const { return m_errorText; }
    QString statusText() const;
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    QString wantedNick() const { return m_registration.wantedNick(); }
    /// When the connection last dropped (UTC); invalid before it ever did.
    QDateTime connectionLostAt() const { return m_connectionLostAt; }
    QVariantMap pendingCertificate() const { return m_pendingCertificate; }

    /// Connects to @p host:@p port as @p login says (checked by the caller); see Registration::setLogin.
    void connectTo(const QString &host, quint16 port, const LoginRequest &login);
    /// Logging in, for what changes the login on the way (a new password for the reconnects).
    Registration &registration() { return m_registration; }
    /// Trusts the pending certificate for this host:port (pins it) and connects again.
    void trustCertificate();
    void rejectCertificate();
    /// QUIT with @p reason, then close; left() follows, then exitRequested() when @p thenExit.
    void leave(const QString &reason, bool thenExit = false);
    void setError(const QString &text);

Q_SIGNALS:
    void stateChanged();
    void inChatChanged();
    void errorTextChanged();
    void statusTextChanged();
    void pendingCertificateChanged();
    /// A connection is being opened: what the last one learnt no longer holds.
    void opening();
    /// Logged in; @p reconnected when the chat was going on before.
    void registered(bool reconnected);
    /// The connection ended; @p willReconnect when it is to be made again.
    void disconnected(bool willReconnect);
    /// A line for the user in the conversation they are looking at.
    void report(const QString &text, tktalk::client::MessageModel::Kind kind);
    /// A line from the server once logged in, other than PING and what the login takes.
    void messageReceived(const tktalk::protocol::Message &message);
    /// The session ended because the user left; the window may now close.
    void left();
    /// `.exit`: the user wants the window closed once the session has ended.
    void exitRequested();

private:
    void setState(State state);
    void setInChat(bool inChat);
    void setPendingCertificate(QVariantMap certificate);
    void open();
    void onEstablished();
    void onMessage(const protocol::Message &message);
    void onRegistered();
    void onFailed(IrcConnection::Failure failure, const QString &reason);
    void onClosed(bool byUs, const QString &reason);
    void onCertificateNeedsTrust(const QSslCertificate &certificate, const QString &reason);
    void onCertificateChanged(const QSslCertificate &certificate, const QByteArray &pinnedDigest);
    void scheduleReconnect(const QString &why);
    /// Ends an attempt whose login failed: no silent fallback to a guest.
    void failLogin(const QString &why);
    void finishLeaving();

    NetworkState &m_network;
    CertificatePins m_pins;
    IrcConnection m_connection;
    Registration m_registration;
    QTimer m_reconnectTimer;
    QTimer m_leaveTimer;
    State m_state = State::Disconnected;
    bool m_inChat = false;
    bool m_exitAfterLeave = false;
    QString m_errorText;
    QString m_host;
    quint16 m_port = 0;
    int m_reconnectAttempt = 0;
    int m_firstReconnectDelayMs = kReconnectFirstDelayMs;
    QDateTime m_connectionLostAt;
    QVariantMap m_pendingCertificate;
    QSslCertificate m_pendingCertificateObject;
};

} // namespace tktalk::client
