#pragma once

#include <QObject>
#include <QString>

namespace tktalk::client {

/**
 * @brief Desktop notifications: a freedesktop.org notification over D-Bus (the session bus's
 * org.freedesktop.Notifications, which every Linux desktop provides).
 *
 * The call is asynchronous: a desktop without the service, or a slow one, never holds up the
 * window. Where there is no session bus at all, nothing is shown and nothing fails.
 */
class Notifier : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kService = "org.freedesktop.Notifications";
    static constexpr const char *kPath = "/org/freedesktop/Notifications";

    explicit Notifier(QObject *parent = nullptr);

    /// Shows @p title and @p body (plain text: it is escaped, since servers may show markup).
    void notify(const QString &title, const QString &body);
    /// Notifications asked for so far (also when no service answered).
    int sent() const { return m_sent; }

private:
    int m_sent = 0;
};

} // namespace tktalk::client
