#include "commandline.h"

#include "protocol/names.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace tktalk::app {

namespace {

struct Flags
{
    QCommandLineOption server{QStringLiteral("server"), QStringLiteral("Run the headless TLS chat server.")};
    QCommandLineOption connect{QStringLiteral("connect"),
                               QStringLiteral("Open the client and connect to HOST:PORT (default port 6697)."),
                               QStringLiteral("HOST:PORT")};
    QCommandLineOption nick{QStringLiteral("nick"), QStringLiteral("Client: the nickname to log in with."),
                            QStringLiteral("NAME")};
    QCommandLineOption caFile{QStringLiteral("ca-file"),
                              QStringLiteral("Client: also trust the CA certificates in FILE (PEM)."),
                              QStringLiteral("FILE")};
    QCommandLineOption listen{QStringLiteral("listen"),
                              QStringLiteral("Server: address and port to listen on (default 0.0.0.0:6697; "
                                             "port 0 picks a free port)."),
                              QStringLiteral("HOST:PORT")};
    QCommandLineOption cert{QStringLiteral("cert"),
                            QStringLiteral("Server: PEM certificate chain (default: a self-signed one, "
                                           "generated in the data directory on first start)."),
                            QStringLiteral("FILE")};
    QCommandLineOption key{QStringLiteral("key"), QStringLiteral("Server: PEM private key for --cert."),
                           QStringLiteral("FILE")};
    QCommandLineOption dataDir{QStringLiteral("data-dir"),
                               QStringLiteral("Server: where state is kept (default: the platform's "
                                              "application data location)."),
                               QStringLiteral("DIR")};
    QCommandLineOption motd{QStringLiteral("motd"),
                            QStringLiteral("Server: message of the day shown on login (default: "
                                           "built-in instructions)."),
                            QStringLiteral("FILE")};
    QCommandLineOption serverName{QStringLiteral("server-name"),
                                  QStringLiteral("Server: the name used in replies (default: the host name)."),
                                  QStringLiteral("NAME")};
    QCommandLineOption channel{QStringLiteral("channel"),
                               QStringLiteral("Server: the room every user joins on login (default #lobby; "
                                              "empty: none)."),
                               QStringLiteral("NAME")};
    QCommandLineOption passwordFile{QStringLiteral("password-file"),
                                    QStringLiteral("Server: require the password on the first line of FILE."),
                                    QStringLiteral("FILE")};
    QCommandLineOption floodRate{QStringLiteral("flood-rate"),
                                 QStringLiteral("Server: lines per second a client may send after its burst "
                                                "(default 4; 0: no flood control)."),
                                 QStringLiteral("LINES_PER_SEC")};
    QCommandLineOption floodBurst{QStringLiteral("flood-burst"),
                                  QStringLiteral("Server: lines a client may send at once (default 20; 0: no "
                                                 "flood control)."),
                                  QStringLiteral("LINES")};
    QCommandLineOption maxClients{QStringLiteral("max-clients"),
                                  QStringLiteral("Server: connections at once (default 10000)."),
                                  QStringLiteral("N")};
    QCommandLineOption maxPerIp{QStringLiteral("max-per-ip"),
                                QStringLiteral("Server: connections at once from one address (default 20; "
                                               "0: unlimited)."),
                                QStringLiteral("N")};
    QCommandLineOption sendq{QStringLiteral("sendq"),
                             QStringLiteral("Server: bytes queued for a client that does not read before "
                                            "it is dropped (default 1048576)."),
                             QStringLiteral("BYTES")};
    QCommandLineOption pingInterval{QStringLiteral("ping-interval"),
                                    QStringLiteral("Server: seconds of silence before a PING (default 120)."),
                                    QStringLiteral("SECONDS")};
    QCommandLineOption pingTimeout{QStringLiteral("ping-timeout"),
                                   QStringLiteral("Server: seconds to answer a PING (default 60)."),
                                   QStringLiteral("SECONDS")};
    QCommandLineOption registrationTimeout{QStringLiteral("registration-timeout"),
                                           QStringLiteral("Server: seconds to log in after connecting "
                                                          "(default 60)."),
                                           QStringLiteral("SECONDS")};
    QCommandLineOption handshakeTimeout{QStringLiteral("handshake-timeout"),
                                        QStringLiteral("Server: seconds to finish the TLS handshake "
                                                       "(default 10)."),
                                        QStringLiteral("SECONDS")};
};

class Validator
{
public:
    Validator(const QCommandLineParser &parser, QString *error) : m_parser(parser), m_error(error) {}

    bool ok() const { return m_error->isEmpty(); }

    template<typename T>
    void number(const QCommandLineOption &option, T &target, double min, double max)
    {
        if (!ok() || !m_parser.isSet(option))
            return;
        const QString text = m_parser.value(option);
        bool valid = false;
        const double value = text.toDouble(&valid);
        if (std::is_integral_v<T> && valid && value != double(qint64(value)))
            valid = false;
        if (!valid || value < min || value > max) {
            fail(QStringLiteral("invalid value '%1' for --%2 (expected %3 from %4 to %5)")
                     .arg(text, option.names().first(),
                          std::is_integral_v<T> ? QStringLiteral("a whole number") : QStringLiteral("a number"))
                     .arg(min)
                     .arg(max));
            return;
        }
        target = T(value);
    }

    void milliseconds(const QCommandLineOption &option, int &targetMs)
    {
        double seconds = targetMs / 1000.0;
        number(option, seconds, 0.05, 86400);
        targetMs = int(seconds * 1000);
    }

    void readableFile(const QCommandLineOption &option, QString &target)
    {
        if (!ok() || !m_parser.isSet(option))
            return;
        const QString path = m_parser.value(option);
        const QFileInfo info(path);
        if (!info.exists())
            fail(QStringLiteral("--%1: %2 does not exist").arg(option.names().first(), path));
        else if (!info.isFile() || !info.isReadable())
            fail(QStringLiteral("--%1: %2 is not a readable file").arg(option.names().first(), path));
        else
            target = path;
    }

    void fail(const QString &message)
    {
        if (ok())
            *m_error = message;
    }

private:
    const QCommandLineParser &m_parser;
    QString *m_error;
};

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

void parseServerFlags(const QCommandLineParser &parser, const Flags &flags, server::ServerConfig &config,
                      Validator &check)
{
    if (parser.isSet(flags.listen)) {
        const std::optional<HostPort> listen = parseHostPort(parser.value(flags.listen));
        const std::optional<QHostAddress> address = listen ? listenAddressFor(listen->host) : std::nullopt;
        if (!listen || !address) {
            check.fail(QStringLiteral("invalid value '%1' for --listen (expected an IP address and port, "
                                      "like 0.0.0.0:6697 or [::1]:6697)")
                           .arg(parser.value(flags.listen)));
        } else {
            config.listenAddress = *address;
            config.port = listen->port;
        }
    }
    check.readableFile(flags.cert, config.certFile);
    check.readableFile(flags.key, config.keyFile);
    if (check.ok() && config.certFile.isEmpty() != config.keyFile.isEmpty())
        check.fail(QStringLiteral("--cert and --key go together: give both or neither"));
    check.readableFile(flags.motd, config.motdFile);
    check.readableFile(flags.passwordFile, config.passwordFile);
    if (parser.isSet(flags.dataDir))
        config.dataDir = parser.value(flags.dataDir);
    if (parser.isSet(flags.serverName)) {
        const QByteArray name = parser.value(flags.serverName).toUtf8();
        if (name.isEmpty() || name.contains(' ') || name.contains(':') || name.size() > 63)
            check.fail(QStringLiteral("invalid value '%1' for --server-name (one word, no ':', at most 63 bytes)")
                           .arg(parser.value(flags.serverName)));
        config.serverName = name;
    }
    if (parser.isSet(flags.channel)) {
        const QByteArray channel = parser.value(flags.channel).toUtf8();
        if (!channel.isEmpty() && !protocol::isValidChannelName(channel))
            check.fail(QStringLiteral("invalid value '%1' for --channel (expected a name like #lobby, or "
                                      "empty for none)")
                           .arg(parser.value(flags.channel)));
        config.defaultChannel = channel;
    }
    check.number(flags.floodRate, config.floodLinesPerSecond, 0, 1e9);
    check.number(flags.floodBurst, config.floodBurstLines, 0, 1e9);
    if (config.floodBurstLines == 0)
        config.floodLinesPerSecond = 0;
    check.number(flags.maxClients, config.maxClients, 1, 10'000'000);
    check.number(flags.maxPerIp, config.maxClientsPerAddress, 0, 10'000'000);
    check.number(flags.sendq, config.sendQueueBytes, 4096, 1e12);
    check.milliseconds(flags.pingInterval, config.pingIntervalMs);
    check.milliseconds(flags.pingTimeout, config.pingTimeoutMs);
    check.milliseconds(flags.registrationTimeout, config.registrationTimeoutMs);
    check.milliseconds(flags.handshakeTimeout, config.handshakeTimeoutMs);
    config.housekeepingIntervalMs = std::clamp(
        std::min({config.pingIntervalMs, config.pingTimeoutMs, config.registrationTimeoutMs}) / 4, 20, 1000);
}

void parseClientFlags(const QCommandLineParser &parser, const Flags &flags, ClientOptions &client,
                      Validator &check)
{
    if (parser.isSet(flags.connect)) {
        QString text = parser.value(flags.connect);
        // A bare host means the default port.
        if (!text.contains(QLatin1Char(':')) && !text.isEmpty())
            text += QStringLiteral(":6697");
        const std::optional<HostPort> target = parseHostPort(text);
        if (!target || target->host.isEmpty() || target->port == 0) {
            check.fail(QStringLiteral("invalid value '%1' for --connect (expected HOST:PORT, like "
                                      "chat.example.org:6697 or [::1]:6697)")
                           .arg(parser.value(flags.connect)));
        } else {
            client.host = target->host;
            client.port = target->port;
        }
    }
    if (parser.isSet(flags.nick)) {
        client.nick = parser.value(flags.nick);
        if (!protocol::isValidNick(client.nick.toUtf8()))
            check.fail(QStringLiteral("invalid value '%1' for --nick (letters, digits and []\\`_^{|}-, "
                                      "at most 30, not starting with a digit or '-')")
                           .arg(client.nick));
    }
    check.readableFile(flags.caFile, client.caFile);
}

} // namespace

std::optional<HostPort> parseHostPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return std::nullopt;
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(QLatin1Char(':')))
        return std::nullopt; // an IPv6 address needs brackets
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535 || portText.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return HostPort{host, quint16(port)};
}

std::optional<CommandLine> parseCommandLine(const QStringList &arguments, QString *error)
{
    Flags flags;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("tktalk: secure chat. `tktalk --server` runs an IRC-over-TLS chat server; "
                       "`tktalk` or `tktalk --connect HOST:PORT` opens the chat client."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addOptions({flags.server, flags.connect, flags.nick, flags.caFile, flags.listen, flags.cert, flags.key,
                       flags.dataDir, flags.motd, flags.serverName, flags.channel, flags.passwordFile,
                       flags.floodRate, flags.floodBurst, flags.maxClients, flags.maxPerIp, flags.sendq,
                       flags.pingInterval, flags.pingTimeout, flags.registrationTimeout, flags.handshakeTimeout});

    error->clear();
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    CommandLine result;
    if (parser.isSet(help)) {
        result.role = CommandLine::Role::Help;
        result.helpText = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.role = CommandLine::Role::Version;
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
        return std::nullopt;
    }

    Validator check(parser, error);
    result.role = parser.isSet(flags.server) ? CommandLine::Role::Server : CommandLine::Role::Client;
    const QList<const QCommandLineOption *> clientOnly{&flags.connect, &flags.nick, &flags.caFile};
    const QList<const QCommandLineOption *> serverOnly{
        &flags.listen, &flags.cert, &flags.key, &flags.dataDir, &flags.motd, &flags.serverName, &flags.channel,
        &flags.passwordFile, &flags.floodRate, &flags.floodBurst, &flags.maxClients, &flags.maxPerIp, &flags.sendq,
        &flags.pingInterval, &flags.pingTimeout, &flags.registrationTimeout, &flags.handshakeTimeout};
    const auto &misplaced = result.role == CommandLine::Role::Server ? clientOnly : serverOnly;
    for (const QCommandLineOption *option : misplaced) {
        if (parser.isSet(*option)) {
            check.fail(result.role == CommandLine::Role::Server
                           ? QStringLiteral("--%1 is a client option").arg(option->names().first())
                           : QStringLiteral("--%1 is a server option (add --server)").arg(option->names().first()));
        }
    }
    if (result.role == CommandLine::Role::Server)
        parseServerFlags(parser, flags, result.server, check);
    else
        parseClientFlags(parser, flags, result.client, check);
    if (!check.ok())
        return std::nullopt;
    return result;
}

} // namespace tktalk::app
