#include "listener.h"

#include "openssl/openssllistener.h"
#include "qt/qtlistener.h"

namespace tktalk::server {

QString tlsEngineName(TlsEngine engine)
{
    switch (engine) {
    case TlsEngine::Qt:
        return QStringLiteral("qt");
    case TlsEngine::OpenSsl:
        return QStringLiteral("openssl");
    }
    return {};
}

std::optional<TlsEngine> tlsEngineFromName(const QString &name)
{
    for (const TlsEngine engine : {TlsEngine::Qt, TlsEngine::OpenSsl}) {
        if (name == tlsEngineName(engine))
            return engine;
    }
    return std::nullopt;
}

} // namespace tktalk::server

namespace tktalk::server::transport {

Listener::Listener(const ListenerSettings &settings, QObject *parent)
    : QObject(parent)
    , m_bufferReleaser(settings.idleBufferReleaseIntervalMs)
{
}

std::unique_ptr<Listener> Listener::create(TlsEngine engine, const ListenerSettings &settings)
{
    switch (engine) {
    case TlsEngine::Qt:
        return std::make_unique<QtListener>(settings);
    case TlsEngine::OpenSsl:
        return std::make_unique<OpenSslListener>(settings);
    }
    return nullptr;
}

} // namespace tktalk::server::transport
