#include "serverlink.h"

#include <QFile>

namespace tktalk::client {

using protocol::Message;

ServerLink::ServerLink(QSettings &settings, NetworkState &network, QObject *parent)
    : QObject(parent), m_network(network), m_pins(settings), m_connection(m_pins, this),
      m_registration(m_connection, network, this)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ServerLink::open);
    m_leaveTimer.setSingleShot(true);
    m_leaveTimer.setInterval(kLeaveTimeoutMs);
    connect(&m_leaveTimer, &QTimer::timeout, this, &ServerLink::finishLeaving);

    connect(&m_connection, &IrcConnection::established, this, &ServerLink::onEstablished);
    connect(&m_connection, &IrcConnection::failed, this, &ServerLink::onFailed);
    connect(&m_connection, &IrcConnection::closed, this, &ServerLink::onClosed);
    connect(&m_connection, &IrcConnection::certificateNeedsTrust, this, &ServerLink::onCertificateNeedsTrust);
    connect(&m_connection, &IrcConnection::certificateChanged, this, &ServerLink::onCertificateChanged);
    connect(&m_connection, &IrcConnection::messageReceived, this, &ServerLink::onMessage);

    connect(&m_registration, &Registration::registered, this, &ServerLink::onRegistered);
    connect(&m_registration, &Registration::failed, this, &ServerLink::failLogin);
    connect(&m_registration, &Registration::problem, this, &ServerLink::setError);
    connect(&m_registration, &Registration::report, this, &ServerLink::report);
    connect(&m_network, &NetworkState::nickChanged, this, &ServerLink::statusTextChanged);
    connect(&m_network, &NetworkState::accountChanged, this, &ServerLink::statusTextChanged);
}

ServerLink::~ServerLink()
{
    m_connection.abort();
}

QString ServerLink::setCaFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("cannot read %1: %2").arg(path, file.errorString());
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        return tr("%1 holds no PEM certificate").arg(path);
    m_connection.setExtraCaCertificates(certificates);
    return {};
}

QString ServerLink::statusText() const
{
    const QString server = QStringLiteral("%1:%2").arg(m_host).arg(m_port);
    const QString nick = m_network.nick();
    switch (m_state) {
    case State::Disconnected:
        return tr("Not connected");
    case State::Connecting:
        return tr("Connecting to %1…").arg(server);
    case State::AwaitingTrust:
        return tr("Waiting for your decision about the certificate of %1").arg(server);
    case State::Registering:
        return tr("Logging in to %1…").arg(server);
    case State::Connected:
        return m_network.account().isEmpty()
                   ? tr("Connected to %1 as %2 (guest)").arg(server, nick)
                   : tr("Connected to %1 as %2, logged in as %3").arg(server, nick, m_network.account());
    case State::Reconnecting:
        return m_reconnectTimer.isActive()
                   ? tr("Connection lost; reconnecting in %1 s (attempt %2)")
                         .arg((m_reconnectTimer.interval() + 999) / 1000)
                         .arg(m_reconnectAttempt)
                   : tr("Reconnecting to %1…").arg(server);
    case State::Leaving:
        return tr("Leaving…");
    }
    return {};
}

void ServerLink::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
    Q_EMIT statusTextChanged();
}

void ServerLink::setError(const QString &text)
{
    if (m_errorText == text)
        return;
    m_errorText = text;
    Q_EMIT errorTextChanged();
}

void ServerLink::setInChat(bool inChat)
{
    if (m_inChat == inChat)
        return;
    m_inChat = inChat;
    Q_EMIT inChatChanged();
}

void ServerLink::setPendingCertificate(QVariantMap certificate)
{
    m_pendingCertificate = std::move(certificate);
    Q_EMIT pendingCertificateChanged();
}

void ServerLink::connectTo(const QString &host, quint16 port, const LoginRequest &login)
{
    m_reconnectTimer.stop();
    m_host = host;
    m_port = port;
    m_registration.setLogin(login);
    m_network.setNick(login.nick);
    m_reconnectAttempt = 0;
    setError({});
    open();
}

void ServerLink::open()
{
    m_network.reset();
    Q_EMIT opening();
    setState(m_inChat ? State::Reconnecting : State::Connecting);
    Q_EMIT statusTextChanged();
    m_connection.open(m_host, m_port);
}

void ServerLink::onEstablished()
{
    setState(State::Registering);
    m_registration.begin();
}

void ServerLink::onMessage(const Message &message)
{
    if (message.command == "PING") {
        m_connection.send(Message("PONG", {message.param(0)}));
        return;
    }
    if (message.command == "005")
        m_network.readIsupport(message);
    if (!m_registration.handle(message))
        Q_EMIT messageReceived(message);
}

void ServerLink::onRegistered()
{
    const bool reconnected = m_inChat;
    setInChat(true);
    setState(State::Connected);
    m_reconnectAttempt = 0;
    setError({});
    Q_EMIT registered(reconnected);
}

void ServerLink::onFailed(IrcConnection::Failure, const QString &reason)
{
    if (m_state == State::Reconnecting) {
        scheduleReconnect(reason);
        return;
    }
    setState(State::Disconnected);
    setError(reason);
}

void ServerLink::onClosed(bool byUs, const QString &reason)
{
    if (m_state == State::Leaving || byUs) {
        finishLeaving();
        return;
    }
    if (!m_registration.isRegistered() && !m_inChat) {
        Q_EMIT disconnected(false);
        setState(State::Disconnected);
        if (m_errorText.isEmpty())
            setError(tr("The server closed the connection during login: %1").arg(reason));
        return;
    }
    Q_EMIT disconnected(true);
    scheduleReconnect(reason);
}

void ServerLink::scheduleReconnect(const QString &why)
{
    if (++m_reconnectAttempt == 1)
        m_connectionLostAt = QDateTime::currentDateTimeUtc();
    const int delay = std::min(kReconnectMaxDelayMs, m_firstReconnectDelayMs << std::min(m_reconnectAttempt - 1, 8));
    m_reconnectTimer.setInterval(delay);
    m_reconnectTimer.start();
    setState(State::Reconnecting);
    Q_EMIT statusTextChanged();
    const QString when = QString::number((delay + 999) / 1000);
    Q_EMIT report(m_reconnectAttempt == 1 ? tr("Connection lost (%1). Reconnecting in %2 s…").arg(why, when)
                                          : tr("Could not reconnect (%1). Trying again in %2 s…").arg(why, when),
                  MessageModel::Kind::Error);
}

void ServerLink::onCertificateNeedsTrust(const QSslCertificate &certificate, const QString &reason)
{
    m_reconnectTimer.stop();
    m_pendingCertificateObject = certificate;
    setState(State::AwaitingTrust);
    setPendingCertificate({
        {QStringLiteral("host"), QStringLiteral("%1:%2").arg(m_host).arg(m_port)},
        {QStringLiteral("fingerprint"), CertificatePins::formatDigest(CertificatePins::digestOf(certificate))},
        {QStringLiteral("subject"), certificate.subjectDisplayName()},
        {QStringLiteral("issuer"), certificate.issuerDisplayName()},
        {QStringLiteral("expires"), certificate.expiryDate().toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("changed"), false},
    });
}

void ServerLink::onCertificateChanged(const QSslCertificate &certificate, const QByteArray &pinnedDigest)
{
    onCertificateNeedsTrust(certificate, tr("The certificate is not the one you trusted before."));
    QVariantMap details = m_pendingCertificate;
    details.insert(QStringLiteral("changed"), true);
    details.insert(QStringLiteral("pinnedFingerprint"), CertificatePins::formatDigest(pinnedDigest));
    setPendingCertificate(details);
    const QString warning = tr("Refused %1: its certificate changed since you trusted it.")
                                .arg(details.value(QStringLiteral("host")).toString());
    if (m_inChat)
        Q_EMIT report(warning, MessageModel::Kind::Error);
    setError(warning);
}

void ServerLink::trustCertificate()
{
    if (m_pendingCertificateObject.isNull())
        return;
    m_pins.pin(m_host, m_port, m_pendingCertificateObject);
    m_pendingCertificateObject.clear();
    setPendingCertificate({});
    setError({});
    open();
}

void ServerLink::rejectCertificate()
{
    if (m_pendingCertificateObject.isNull())
        return;
    const bool changed = m_pendingCertificate.value(QStringLiteral("changed")).toBool();
    m_pendingCertificateObject.clear();
    setPendingCertificate({});
    setInChat(false);
    setState(State::Disconnected);
    setError(changed ? tr("Not connected: the server's certificate changed and you did not accept the new one.")
                     : tr("Not connected: you did not trust the server's certificate."));
}

void ServerLink::failLogin(const QString &why)
{
    m_connection.abort();
    m_reconnectTimer.stop();
    if (m_inChat)
        Q_EMIT report(why, MessageModel::Kind::Error);
    Q_EMIT disconnected(false);
    m_network.setAccount({});
    setInChat(false);
    setState(State::Disconnected);
    setError(why);
}

void ServerLink::leave(const QString &reason, bool thenExit)
{
    m_exitAfterLeave = m_exitAfterLeave || thenExit;
    m_reconnectTimer.stop();
    if (!m_connection.isEstablished()) {
        m_connection.abort();
        finishLeaving();
        return;
    }
    setState(State::Leaving);
    m_connection.send(Message("QUIT", {reason.isEmpty() ? QByteArrayLiteral("Leaving") : reason.toUtf8()}));
    m_connection.closeGracefully();
    m_leaveTimer.start();
}

void ServerLink::finishLeaving()
{
    m_leaveTimer.stop();
    m_connection.abort();
    Q_EMIT disconnected(false);
    setInChat(false);
    setState(State::Disconnected);
    Q_EMIT left();
    if (m_exitAfterLeave) {
        m_exitAfterLeave = false;
        Q_EMIT exitRequested();
    }
}

} // namespace tktalk::client
