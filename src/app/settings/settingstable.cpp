// The table of every setting tktalk takes, on the command line or in the configuration file.
// Add a setting here and its flag, file key, --help text, manual page entry and example line
// follow (settingsdocs.cpp); tst_settingsdocs fails until docs/tktalk.1 and
// installer/linux/tktalk.conf are regenerated (scripts/regenerate-settings-docs).

#include "setting.h"

#include "commandline.h"
#include "protocol/names.h"

#include <QFileInfo>

#include <cmath>
#include <type_traits>

namespace tktalk::app::settings {

namespace {

using server::ServerConfig;

using Parse = bool (*)(const QString &, ServerConfig &, QString *);
using Show = QString (*)(const ServerConfig &);
using Copy = void (*)(const ServerConfig &, ServerConfig &);

/// How a setting reads, shows and copies its value.
struct Access
{
    Parse parse = nullptr;
    Show show = nullptr;
    Copy copy = nullptr;
};

template<auto member>
using MemberType = std::remove_reference_t<decltype(std::declval<ServerConfig &>().*member)>;

template<auto member>
void copyMember(const ServerConfig &from, ServerConfig &to)
{
    to.*member = from.*member;
}

/// Reads a finite number from @p min to @p max (whole when @p whole). QString::toDouble() reads
/// "nan" and "inf" too; NaN passes every comparison, and turning it into an integer is undefined
/// (found by fuzz_commandline).
bool readNumber(const QString &text, bool whole, double min, double max, double *value, QString *why)
{
    bool valid = false;
    *value = text.trimmed().toDouble(&valid);
    valid = valid && std::isfinite(*value) && *value >= min && *value <= max;
    if (valid && whole && *value != double(qint64(*value)))
        valid = false;
    if (!valid)
        *why = QStringLiteral("expected %1 from %2 to %3")
                   .arg(whole ? QStringLiteral("a whole number") : QStringLiteral("a number"))
                   .arg(QString::number(min, 'g', 15), QString::number(max, 'g', 15));
    return valid;
}

/// A number stored as it is written; whole unless the field is floating-point.
template<auto member, qint64 min, qint64 max>
Access number()
{
    using T = MemberType<member>;
    return {[](const QString &text, ServerConfig &config, QString *why) {
                double value = 0;
                if (!readNumber(text, std::is_integral_v<T>, double(min), double(max), &value, why))
                    return false;
                config.*member = T(value);
                return true;
            },
            [](const ServerConfig &config) { return QString::number(config.*member); }, copyMember<member>};
}

/// Seconds in the file and on the command line, milliseconds in ServerConfig.
template<auto member, qint64 minMs, qint64 maxMs>
Access seconds()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                double value = 0;
                if (!readNumber(text, false, minMs / 1000.0, maxMs / 1000.0, &value, why))
                    return false;
                config.*member = int(std::lround(value * 1000));
                return true;
            },
            [](const ServerConfig &config) { return QString::number(config.*member / 1000.0); }, copyMember<member>};
}

/// A file the server reads: it must exist and be readable now.
template<auto member>
Access readableFile()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                const QFileInfo info(text);
                if (text.isEmpty()) {
                    config.*member = QString();
                    return true;
                }
                if (!info.exists())
                    *why = QStringLiteral("%1 does not exist").arg(text);
                else if (!info.isFile() || !info.isReadable())
                    *why = QStringLiteral("%1 is not a readable file").arg(text);
                else
                    config.*member = text;
                return why->isEmpty();
            },
            [](const ServerConfig &config) { return config.*member; }, copyMember<member>};
}

/// yes/no in the file (also true/false, on/off, 1/0).
template<auto member>
Access yesNo()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                const QString word = text.trimmed().toLower();
                static const QStringList yes{QStringLiteral("yes"), QStringLiteral("true"), QStringLiteral("on"),
                                             QStringLiteral("1")};
                static const QStringList no{QStringLiteral("no"), QStringLiteral("false"), QStringLiteral("off"),
                                            QStringLiteral("0")};
                if (!yes.contains(word) && !no.contains(word)) {
                    *why = QStringLiteral("expected yes or no");
                    return false;
                }
                config.*member = yes.contains(word);
                return true;
            },
            [](const ServerConfig &config) { return config.*member ? QStringLiteral("yes") : QStringLiteral("no"); },
            copyMember<member>};
}

std::optional<QHostAddress> listenAddressFor(const QString &host)
{
    if (host.isEmpty() || host == QLatin1String("*") || host == QLatin1String("0.0.0.0"))
        return QHostAddress(QHostAddress::AnyIPv4);
    if (host == QLatin1String("::"))
        return QHostAddress(QHostAddress::Any);
    if (host == QLatin1String("localhost"))
        return QHostAddress(QHostAddress::LocalHost);
    QHostAddress address(host);
    if (address.isNull())
        return std::nullopt;
    return address;
}

Access listen()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                const std::optional<HostPort> listen = parseHostPort(text);
                const std::optional<QHostAddress> address = listen ? listenAddressFor(listen->host) : std::nullopt;
                if (!listen || !address) {
                    *why = QStringLiteral("expected an IP address and port, like 0.0.0.0:6697 or [::1]:6697");
                    return false;
                }
                config.listenAddress = *address;
                config.port = listen->port;
                return true;
            },
            [](const ServerConfig &config) {
                const QString host = config.listenAddress.toString();
                return (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host)
                       + QLatin1Char(':') + QString::number(config.port);
            },
            [](const ServerConfig &from, ServerConfig &to) {
                to.listenAddress = from.listenAddress;
                to.port = from.port;
            }};
}

Access tlsEngine()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                const std::optional<server::TlsEngine> engine = server::tlsEngineFromName(text);
                if (!engine)
                    *why = QStringLiteral("expected qt or openssl");
                else
                    config.tlsEngine = *engine;
                return engine.has_value();
            },
            [](const ServerConfig &config) { return server::tlsEngineName(config.tlsEngine); },
            copyMember<&ServerConfig::tlsEngine>};
}

Access dataDir()
{
    return {[](const QString &text, ServerConfig &config, QString *) {
                config.dataDir = text;
                return true;
            },
            [](const ServerConfig &config) { return config.dataDir; }, copyMember<&ServerConfig::dataDir>};
}

Access serverName()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                const QByteArray name = text.toUtf8();
                if (name.isEmpty() || name.contains(' ') || name.contains(':') || name.size() > 63) {
                    *why = QStringLiteral("expected one word, no ':', at most 63 bytes");
                    return false;
                }
                config.serverName = name;
                return true;
            },
            [](const ServerConfig &config) { return QString::fromUtf8(config.serverName); },
            copyMember<&ServerConfig::serverName>};
}

Access channel()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                const QByteArray channel = text.toUtf8();
                if (!channel.isEmpty() && !protocol::isValidChannelName(channel)) {
                    *why = QStringLiteral("expected a name like #lobby, or empty for none");
                    return false;
                }
                config.defaultChannel = channel;
                return true;
            },
            [](const ServerConfig &config) { return QString::fromUtf8(config.defaultChannel); },
            copyMember<&ServerConfig::defaultChannel>};
}

Access hashMemory()
{
    return {[](const QString &text, ServerConfig &config, QString *why) {
                double mib = 0;
                if (!readNumber(text, true, 1, 4096, &mib, why))
                    return false;
                config.passwordHashMemoryBytes = quint64(mib) * 1024 * 1024;
                return true;
            },
            [](const ServerConfig &config) { return QString::number(config.passwordHashMemoryBytes / (1024 * 1024)); },
            copyMember<&ServerConfig::passwordHashMemoryBytes>};
}

Setting make(const char *name, const char *valueName, const char *defaultValue, const char *help, Scope scope,
             Applies applies, Access access = {})
{
    Setting setting{name, valueName, defaultValue, help, scope, applies};
    setting.parse = access.parse;
    setting.show = access.show;
    setting.copy = access.copy;
    return setting;
}

Setting withDefaultText(Setting setting, const char *text)
{
    setting.defaultText = text;
    return setting;
}

Setting withFlag(Setting setting, const char *flagName)
{
    setting.flagName = flagName;
    return setting;
}

QList<Setting> buildTable()
{
    constexpr auto kServer = Scope::Server;
    constexpr auto kShared = Scope::Shared;
    constexpr auto kReload = Applies::OnReload;
    constexpr auto kRestart = Applies::OnRestart;
    using C = ServerConfig;
    return {
        make("server", "", "", "Run the headless TLS chat server instead of the client.", Scope::Command, kRestart),
        make("config", "FILE", "",
             "Read the server's settings from FILE (see CONFIGURATION FILE); flags given as well override it. "
             "tktalk account reads its data directory, hashing and password settings from it too.",
             Scope::Command, kRestart),
        make("check-config", "FILE", "",
             "Check the configuration FILE and exit: status 0 if it is fine, 2 with FILE:LINE and what is wrong "
             "otherwise.",
             Scope::Command, kRestart),
        make("print-config-example", "", "", "Print a commented configuration file with every setting and exit.",
             Scope::Command, kRestart),
        make("connect", "HOST:PORT", "",
             "Open the client and connect to HOST; the port defaults to 6697. Write an IPv6 address in "
             "brackets, as in [::1]:6697.",
             Scope::Client, kRestart),
        make("nick", "NAME", "",
             "The nickname to log in with: letters, digits and []\\`_^{|}-, at most 30 characters, not starting "
             "with a digit or -.",
             Scope::Client, kRestart),
        make("ca-file", "FILE", "",
             "Also trust the certificate authorities in FILE (PEM), for servers whose certificate a private "
             "authority signed.",
             Scope::Client, kRestart),
        make("listen", "HOST:PORT", "0.0.0.0:6697",
             "The address and port to listen on. Use [::]:6697 for IPv6 and IPv4, 127.0.0.1:6697 for this "
             "machine only; port 0 picks a free port, which the log names.",
             kServer, kRestart, listen()),
        make("tls-engine", "ENGINE", "qt",
             "Which TLS implementation serves the clients: qt runs Qt's QSslServer and QSslSocket; openssl runs "
             "tktalk's own layer over OpenSSL, for large Linux servers: about a third of the memory per idle "
             "client and faster handshakes. Both apply the same TLS policy.",
             kServer, kRestart, tlsEngine()),
        withDefaultText(make("cert", "FILE", "",
                             "The PEM certificate chain to present: the server's certificate first, then any "
                             "intermediates. cert and key go together.",
                             kServer, kReload, readableFile<&C::certFile>()),
                        "a self-signed certificate generated in the data directory on first start"),
        make("key", "FILE", "", "The PEM private key (EC or RSA) for cert.", kServer, kReload,
             readableFile<&C::keyFile>()),
        withDefaultText(make("data-dir", "DIR", "",
                             "Where the server keeps its state: the generated certificate and key, and the "
                             "account database (accounts.sqlite).",
                             kShared, kRestart, dataDir()),
                        "the platform's application data location, ~/.local/share/tktalk on Linux; "
                        "/var/lib/tktalk for the packaged system service"),
        withDefaultText(make("motd", "FILE", "", "The message of the day shown at login.", kServer, kReload,
                             readableFile<&C::motdFile>()),
                        "built-in instructions"),
        withDefaultText(make("server-name", "NAME", "",
                             "The name the server uses in its replies: one word without :, at most 63 bytes.",
                             kServer, kRestart, serverName()),
                        "the host name"),
        make("channel", "NAME", "#lobby", "The room every user joins on login; an empty value joins none.", kServer,
             kRestart, channel()),
        make("password-file", "FILE", "",
             "Require the password on the first line of FILE (the IRC PASS command) before login.", kServer,
             kReload, readableFile<&C::passwordFile>()),
        make("require-account", "", "no", "Admit only users logged in to an account (SASL).", kServer, kReload,
             yesNo<&C::requireAccount>()),
        withFlag(make("registration", "", "yes",
                      "Whether clients may create accounts with REGISTER; without it the administrator creates "
                      "them with tktalk account add.",
                      kServer, kReload, yesNo<&C::accountRegistration>()),
                 "no-registration"),
        make("history", "yes|no", "yes",
             "Whether the server keeps channel conversations and private ones between accounts (history.sqlite "
             "in the data directory), for CHATHISTORY and playback on joining; no keeps nothing.",
             kServer, kRestart, yesNo<&C::history>()),
        make("history-playback-lines", "N", "20",
             "Messages of a channel replayed on joining it to clients that did not ask for draft/chathistory; "
             "0 replays none.",
             kServer, kReload, number<&C::historyPlaybackLines, 0, 1000>()),
        make("history-playback-age", "SECONDS", "86400",
             "The oldest message replayed on joining a channel, in seconds.", kServer, kReload,
             number<&C::historyPlaybackAgeSecs, 1, 315'360'000>()),
        make("history-days", "N", "30", "Days the history keeps messages and events; 0 keeps them forever.",
             kServer, kReload, number<&C::historyDays, 0, 36'500>()),
        make("history-max-per-target", "N", "10000",
             "Entries the history keeps per channel or private conversation, the oldest removed first; 0: no "
             "limit. Private messages not yet delivered are kept.",
             kServer, kReload, number<&C::historyMaxPerTarget, 0, 100'000'000>()),
        make("min-password-length", "N", "8",
             "The fewest bytes a new password may have, for REGISTER, NickServ REGISTER and SET PASSWORD, and tktalk account add and passwd.", kShared,
             kReload, number<&C::minPasswordLength, 1, 256>()),
        make("nick-grace", "SECONDS", "30",
             "Seconds someone who is not logged in may keep a registered nickname before becoming a guest; 0 "
             "refuses the nickname at once.",
             kServer, kReload, seconds<&C::nickGraceMs, 0, 3'600'000>()),
        make("max-sessions-per-account", "N", "5",
             "Connections that may be logged in to one account at once as one user, sharing its nick and "
             "channels (several devices); 1: every connection is a user of its own. A reload applies it to "
             "new connections.",
             kServer, kReload, number<&C::maxSessionsPerAccount, 1, 1000>()),
        make("register-limit", "N", "5", "Accounts one address may create before it has to wait; 0: unlimited.",
             kServer, kRestart, number<&C::registrationsPerAddress, 0, 1'000'000>()),
        make("hash-memory", "MIB", "64", "Argon2id memory per password hash, in MiB.", kShared, kRestart,
             hashMemory()),
        make("hash-passes", "N", "2", "Argon2id passes per password hash.", kShared, kRestart,
             number<&C::passwordHashOps, 1, 100>()),
        make("flood-rate", "LINES_PER_SEC", "4",
             "Lines per second a client may send once its burst is spent; lines beyond it are delayed, not "
             "dropped; 0 turns flood control off. Applies to new connections.",
             kServer, kReload, number<&C::floodLinesPerSecond, 0, 1'000'000'000>()),
        make("flood-burst", "LINES", "20",
             "Lines a client may send at once; 0 turns flood control off. Applies to new connections.", kServer,
             kReload, number<&C::floodBurstLines, 0, 1'000'000'000>()),
        make("max-clients", "N", "10000",
             "Connections at once. Each is an open file: the server raises its soft open-file limit to the hard "
             "limit and warns when that is still too low.",
             kServer, kReload, number<&C::maxClients, 1, 10'000'000>()),
        make("max-per-ip", "N", "20",
             "Connections at once from one address; 0: unlimited. A reload applies it to connections, the cap on "
             "handshakes under way at the next restart.",
             kServer, kReload, number<&C::maxClientsPerAddress, 0, 10'000'000>()),
        make("sendq", "BYTES", "1048576",
             "Output that may queue up for a client that does not read before it is disconnected.", kServer,
             kReload, number<&C::sendQueueBytes, 4096, 1'000'000'000'000>()),
        make("ping-interval", "SECONDS", "120", "Seconds of silence from a client before the server sends it a PING.",
             kServer, kReload, seconds<&C::pingIntervalMs, 50, 86'400'000>()),
        make("ping-timeout", "SECONDS", "60", "Seconds a client has to answer a PING.", kServer, kReload,
             seconds<&C::pingTimeoutMs, 50, 86'400'000>()),
        make("registration-timeout", "SECONDS", "60", "Seconds a new connection has to log in.", kServer, kReload,
             seconds<&C::registrationTimeoutMs, 50, 86'400'000>()),
        make("handshake-timeout", "SECONDS", "10", "Seconds a new connection has to finish the TLS handshake.",
             kServer, kRestart, seconds<&C::handshakeTimeoutMs, 50, 86'400'000>()),
        make("handshake-burst", "N", "20",
             "TLS handshakes one address may begin at once; past it, --handshake-rate a second. A connection "
             "beyond them is closed before any TLS. Not applied while --max-per-ip is 0.",
             kServer, kRestart, number<&C::handshakeBurstPerAddress, 1, 10'000'000>()),
        make("handshake-rate", "PER_SEC", "2",
             "TLS handshakes one address may begin per second once its burst is spent; 0: no limit. Not applied "
             "while --max-per-ip is 0.",
             kServer, kRestart, number<&C::handshakesPerSecondPerAddress, 0, 1'000'000>()),
    };
}

} // namespace

bool Setting::isPath() const
{
    return qstrcmp(valueName, "FILE") == 0 || qstrcmp(valueName, "DIR") == 0;
}

QString Setting::switchFlagValue() const
{
    return qstrcmp(defaultValue, "yes") == 0 ? QStringLiteral("no") : QStringLiteral("yes");
}

const QList<Setting> &allSettings()
{
    static const QList<Setting> table = buildTable();
    return table;
}

const Setting *findSetting(const QString &name)
{
    for (const Setting &setting : allSettings()) {
        if (name == QLatin1String(setting.name))
            return &setting;
    }
    return nullptr;
}

QStringList finishServerConfig(ServerConfig &config, QString *error)
{
    if (config.certFile.isEmpty() != config.keyFile.isEmpty()) {
        *error = QStringLiteral("cert and key go together: give both or neither");
        return {QStringLiteral("cert"), QStringLiteral("key")};
    }
    if (config.floodBurstLines == 0)
        config.floodLinesPerSecond = 0;
    config.housekeepingIntervalMs = std::clamp(
        std::min({config.pingIntervalMs, config.pingTimeoutMs, config.registrationTimeoutMs}) / 4, 20, 1000);
    return {};
}

} // namespace tktalk::app::settings
