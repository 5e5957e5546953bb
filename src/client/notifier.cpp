#include "notifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCall>
#include <QVariantMap>

namespace tktalk::client {

Notifier::Notifier(QObject *parent)
    : QObject(parent)
{}

void Notifier::notify(const QString &title, const QString &body)
{
    ++m_sent;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    QDBusMessage call = QDBusMessage::createMethodCall(QLatin1String(kService), QLatin1String(kPath),
                                                       QLatin1String(kService), QStringLiteral("Notify"));
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
    const QVariantMap hints{{QStringLiteral("category"), QStringLiteral("im.received")},
                            {QStringLiteral("desktop-entry"), QStringLiteral("tktalk")}};
    call << QStringLiteral("tktalk") << 0u << QStringLiteral("tktalk") << title << body.toHtmlEscaped()
         << QStringList() << hints << -1;
    bus.asyncCall(call);
}

} // namespace tktalk::client
