#include "commandline.h"

#include "protocol/names.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cmath>

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
    QCommandLineOption tlsEngine{QStringLiteral("tls-engine"),
                                 QStringLiteral("Server: qt (default: QSslServer and QSslSocket) or openssl "
                                                "(tktalk's own OpenSSL layer, for large Linux servers: a third "
                                                "of the memory per idle client, faster handshakes)."),
                                 QStringLiteral("ENGINE")};
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
    QCommandLineOption requireAccount{QStringLiteral("require-account"),
                                      QStringLiteral("Server: admit only users logged in to an account (SASL).")};
    QCommandLineOption noRegistration{QStringLiteral("no-registration"),
                                      QStringLiteral("Server: clients may not create accounts (REGISTER); "
                                                     "create them with `tktalk account add`.")};
    QCommandLineOption nickGrace{QStringLiteral("nick-grace"),
                                 QStringLiteral("Server: seconds someone not logged in may keep a registered "
                                                "nickname before becoming a guest (default 30; 0: refuse it)."),
                                 QStringLiteral("SECONDS")};
    QCommandLineOption registerLimit{QStringLiteral("register-limit"),
                                     QStringLiteral("Server: accounts one address may create before it has to "
                                                    "wait (default 5; 0: unlimited)."),
                                     QStringLiteral("N")};
    QCommandLineOption hashMemory{QStringLiteral("hash-memory"),
                                  QStringLiteral("Server and account: Argon2id memory per password hash in MiB "
                                                 "(default 64)."),
                                  QStringLiteral("MIB")};
    QCommandLineOption hashPasses{QStringLiteral("hash-passes"),
                                  QStringLiteral("Server and account: Argon2id passes per password hash "
                                                 "(default 2)."),
                                  QStringLiteral("N")};
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
        // QString::toDouble() reads "nan" and "inf" too; NaN passes every comparison below, and
        // turning it into an integer is undefined (found by fuzz_commandline).
        valid = valid && std::isfinite(value);
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

void parseHashFlags(const Flags &flags, server::ServerConfig &config, Validator &check)
{
    quint64 memoryMib = config.passwordHashMemoryBytes / (1024 * 1024);
    check.number(flags.hashMemory, memoryMib, 1, 4096);
    config.passwordHashMemoryBytes = memoryMib * 1024 * 1024;
    check.number(flags.hashPasses, config.passwordHashOps, 1, 100);
}

/// `account add NAME`, `account delete NAME`, `account passwd NAME`, `account cert NAME FINGERPRINT`,
/// `account oper NAME on|off`, `account list`.
void parseAccountCommand(const QStringList &words, AccountCommand &command, Validator &check)
{
    static const QHash<QString, std::pair<AccountCommand::Action, int>> kActions{
        {QStringLiteral("add"), {AccountCommand::Action::Add, 1}},
        {QStringLiteral("delete"), {AccountCommand::Action::Delete, 1}},
        {QStringLiteral("passwd"), {AccountCommand::Action::Password, 1}},
        {QStringLiteral("cert"), {AccountCommand::Action::Certificate, 2}},
        {QStringLiteral("oper"), {AccountCommand::Action::Operator, 2}},
        {QStringLiteral("list"), {AccountCommand::Action::List, 0}},
    };
    const QString usage = QStringLiteral("usage: tktalk account add|delete|passwd NAME, tktalk account cert NAME "
                                         "FINGERPRINT, tktalk account oper NAME on|off, or tktalk account list");
    const auto action = kActions.constFind(words.value(1));
    if (action == kActions.constEnd() || words.size() != 2 + action->second) {
        check.fail(words.size() < 2 ? usage : QStringLiteral("%1 (got: %2)").arg(usage, words.mid(1).join(u' ')));
        return;
    }
    command.action = action->first;
    if (action->second >= 1) {
        command.name = words.at(2).toUtf8();
        if (!protocol::isValidNick(command.name))
            check.fail(QStringLiteral("invalid account name '%1' (account names follow the nickname rules: "
                                      "letters, digits and []\\`_^{|}-, at most 30, not starting with a digit "
                                      "or '-')")
                           .arg(words.at(2)));
    }
    if (command.action == AccountCommand::Action::Operator) {
        if (words.at(3) != QLatin1String("on") && words.at(3) != QLatin1String("off"))
            check.fail(QStringLiteral("invalid value '%1' for account oper (expected on or off)").arg(words.at(3)));
        command.makeOperator = words.at(3) == QLatin1String("on");
    } else if (action->second == 2) {
        QByteArray fingerprint = words.at(3).toLatin1().toLower();
        fingerprint.replace(':', QByteArray());
        const bool hex = std::all_of(fingerprint.begin(), fingerprint.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
        if (fingerprint.size() != 64 || !hex)
            check.fail(QStringLiteral("invalid fingerprint '%1' (expected a SHA-256 digest: 64 hex digits, colons "
                                      "allowed)")
                           .arg(words.at(3)));
        command.fingerprint = fingerprint;
    }
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
    if (parser.isSet(flags.tlsEngine)) {
        const std::optional<server::TlsEngine> engine = server::tlsEngineFromName(parser.value(flags.tlsEngine));
        if (!engine)
            check.fail(QStringLiteral("invalid value '%1' for --tls-engine (expected qt or openssl)")
                           .arg(parser.value(flags.tlsEngine)));
        else
            config.tlsEngine = *engine;
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
    config.requireAccount = parser.isSet(flags.requireAccount);
    config.accountRegistration = !parser.isSet(flags.noRegistration);
    if (parser.isSet(flags.nickGrace)) {
        double seconds = 0;
        check.number(flags.nickGrace, seconds, 0, 3600);
        config.nickGraceMs = int(seconds * 1000);
    }
    check.number(flags.registerLimit, config.registrationsPerAddress, 0, 1e6);
    parseHashFlags(flags, config, check);
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
                       "`tktalk` or `tktalk --connect HOST:PORT` opens the chat client; "
                       "`tktalk account add|delete|passwd|cert|oper|list` manages the server's accounts "
                       "(passwords are read from standard input)."));
    parser.addPositionalArgument(QStringLiteral("account"),
                                 QStringLiteral("Manage accounts: add NAME, delete NAME, passwd NAME, "
                                                "cert NAME FINGERPRINT, oper NAME on|off, list (with --data-dir)."),
                                 QStringLiteral("[account ACTION [NAME] [FINGERPRINT]]"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addOptions({flags.server, flags.connect, flags.nick, flags.caFile, flags.listen, flags.tlsEngine, flags.cert, flags.key,
                       flags.dataDir, flags.motd, flags.serverName, flags.channel, flags.passwordFile,
                       flags.requireAccount, flags.noRegistration, flags.nickGrace, flags.registerLimit,
                       flags.hashMemory, flags.hashPasses, flags.floodRate, flags.floodBurst, flags.maxClients, flags.maxPerIp, flags.sendq,
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
    const QStringList words = parser.positionalArguments();
    Validator check(parser, error);
    if (!words.isEmpty() && words.first() == QLatin1String("account")) {
        result.role = CommandLine::Role::Account;
        parseAccountCommand(words, result.account, check);
        const QList<const QCommandLineOption *> accountFlags{&flags.server, &flags.dataDir, &flags.hashMemory,
                                                             &flags.hashPasses};
        for (const QString &name : parser.optionNames()) {
            const bool allowed = std::any_of(accountFlags.begin(), accountFlags.end(), [&name](const auto *option) {
                return option->names().contains(name);
            });
            if (!allowed)
                check.fail(QStringLiteral("--%1 is not an option of tktalk account (it takes --data-dir, "
                                          "--hash-memory and --hash-passes)")
                               .arg(name));
        }
        if (parser.isSet(flags.dataDir))
            result.server.dataDir = parser.value(flags.dataDir);
        parseHashFlags(flags, result.server, check);
        if (!check.ok())
            return std::nullopt;
        return result;
    }
    if (!words.isEmpty()) {
        *error = QStringLiteral("unexpected argument '%1'").arg(words.first());
        return std::nullopt;
    }

    result.role = parser.isSet(flags.server) ? CommandLine::Role::Server : CommandLine::Role::Client;
    const QList<const QCommandLineOption *> clientOnly{&flags.connect, &flags.nick, &flags.caFile};
    const QList<const QCommandLineOption *> serverOnly{
        &flags.listen, &flags.tlsEngine, &flags.cert, &flags.key, &flags.dataDir, &flags.motd, &flags.serverName, &flags.channel,
        &flags.passwordFile, &flags.requireAccount, &flags.noRegistration, &flags.nickGrace, &flags.registerLimit,
        &flags.hashMemory, &flags.hashPasses, &flags.floodRate, &flags.floodBurst, &flags.maxClients, &flags.maxPerIp, &flags.sendq,
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
