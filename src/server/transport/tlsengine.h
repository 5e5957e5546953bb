#pragma once

#include <QString>

#include <optional>

namespace tktalk::server {

/**
 * @brief Which TLS implementation serves the clients (`--tls-engine`).
 *
 * Qt: QSslServer and QSslSocket, the default, as Qt's own network stack runs everywhere Qt does.
 * OpenSsl: tktalk's own lean layer over OpenSSL for large Linux servers: about a third of the
 * memory per idle client and faster handshakes (docs/PERFORMANCE.md). Both apply the same TLS
 * policy and behave the same to clients.
 */
enum class TlsEngine { Qt, OpenSsl };

/// "qt" or "openssl", as `--tls-engine` spells them.
QString tlsEngineName(TlsEngine engine);
/// The engine @p name stands for, if any.
std::optional<TlsEngine> tlsEngineFromName(const QString &name);

} // namespace tktalk::server
