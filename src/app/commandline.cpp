#include "commandline.h"

#include "protocol/names.h"
#include "settings/settingsdocs.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <algorithm>

namespace tktalk::app {

namespace {

using settings::Scope;
using settings::Setting;

/// The options of QCommandLineParser, one per setting of the table, looked up by flag.
class Flags
{
public:
    explicit Flags(QCommandLineParser &parser) : m_parser(parser)
    {
        for (const Setting &setting : settings::allSettings()) {
            QCommandLineOption option(setting.flag(), settings::optionHelp(setting));
            if (!setting.isSwitch())
                option.setValueName(QLatin1String(setting.valueName));
            parser.addOption(option);
        }
    }

    bool isSet(const char *flag) const { return m_parser.isSet(QLatin1String(flag)); }
    QString value(const char *flag) const { return m_parser.value(QLatin1String(flag)); }

    /// The settings of @p scopes that were given, with their values in file syntax.
    QList<settings::Assignment> given(std::initializer_list<Scope> scopes) const
    {
        QList<settings::Assignment> result;
        for (const Setting &setting : settings::allSettings()) {
            if (std::find(scopes.begin(), scopes.end(), setting.scope) == scopes.end()
                || !m_parser.isSet(setting.flag()))
                continue;
            result << settings::Assignment{&setting, setting.isSwitch() ? setting.switchFlagValue()
                                                                         : m_parser.value(setting.flag())};
        }
        return result;
    }

    /// The first flag given whose setting is not of @p allowed, nor one of @p alsoAllowed.
    QString misplaced(std::initializer_list<Scope> allowed, const QStringList &alsoAllowed = {}) const
    {
        for (const Setting &setting : settings::allSettings()) {
            const bool fits = std::find(allowed.begin(), allowed.end(), setting.scope) != allowed.end()
                              || alsoAllowed.contains(setting.flag());
            if (!fits && m_parser.isSet(setting.flag()))
                return setting.flag();
        }
        return {};
    }

private:
    QCommandLineParser &m_parser;
};

/// `account add NAME`, `account delete NAME`, `account passwd NAME`, `account cert NAME FINGERPRINT`,
/// `account oper NAME on|off`, `account list`. Returns what is wrong, or an empty string.
QString parseAccountCommand(const QStringList &words, AccountCommand &command)
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
    if (action == kActions.constEnd() || words.size() != 2 + action->second)
        return words.size() < 2 ? usage : QStringLiteral("%1 (got: %2)").arg(usage, words.mid(1).join(u' '));
    command.action = action->first;
    if (action->second >= 1) {
        command.name = words.at(2).toUtf8();
        if (!protocol::isValidNick(command.name))
            return QStringLiteral("invalid account name '%1' (account names follow the nickname rules: "
                                  "letters, digits and []\\`_^{|}-, at most 30, not starting with a digit "
                                  "or '-')")
                .arg(words.at(2));
    }
    if (command.action == AccountCommand::Action::Operator) {
        if (words.at(3) != QLatin1String("on") && words.at(3) != QLatin1String("off"))
            return QStringLiteral("invalid value '%1' for account oper (expected on or off)").arg(words.at(3));
        command.makeOperator = words.at(3) == QLatin1String("on");
    } else if (action->second == 2) {
        QByteArray fingerprint = words.at(3).toLatin1().toLower();
        fingerprint.replace(':', QByteArray());
        const bool hex = std::all_of(fingerprint.begin(), fingerprint.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
        if (fingerprint.size() != 64 || !hex)
            return QStringLiteral("invalid fingerprint '%1' (expected a SHA-256 digest: 64 hex digits, colons "
                                  "allowed)")
                .arg(words.at(3));
        command.fingerprint = fingerprint;
    }
    return {};
}

QString parseClientFlags(const Flags &flags, ClientOptions &client)
{
    if (flags.isSet("connect")) {
        QString text = flags.value("connect");
        // A bare host means the default port.
        if (!text.contains(QLatin1Char(':')) && !text.isEmpty())
            text += QStringLiteral(":6697");
        const std::optional<HostPort> target = parseHostPort(text);
        if (!target || target->host.isEmpty() || target->port == 0)
            return QStringLiteral("invalid value '%1' for --connect (expected HOST:PORT, like "
                                  "chat.example.org:6697 or [::1]:6697)")
                .arg(flags.value("connect"));
        client.host = target->host;
        client.port = target->port;
    }
    if (flags.isSet("nick")) {
        client.nick = flags.value("nick");
        if (!protocol::isValidNick(client.nick.toUtf8()))
            return QStringLiteral("invalid value '%1' for --nick (letters, digits and []\\`_^{|}-, "
                                  "at most 30, not starting with a digit or '-')")
                .arg(client.nick);
    }
    if (flags.isSet("ca-file")) {
        const QString path = flags.value("ca-file");
        const QFileInfo info(path);
        if (!info.exists())
            return QStringLiteral("--ca-file: %1 does not exist").arg(path);
        if (!info.isFile() || !info.isReadable())
            return QStringLiteral("--ca-file: %1 is not a readable file").arg(path);
        client.caFile = path;
    }
    return {};
}

/// The configuration file and flags of `tktalk account`: its data directory, hashing and
/// password policy, from the file when one is named, overridden by the flags.
bool parseAccountRole(const Flags &flags, const QStringList &words, CommandLine &result, QString *error)
{
    result.role = CommandLine::Role::Account;
    *error = parseAccountCommand(words, result.account);
    if (!error->isEmpty())
        return false;
    const QString misplaced = flags.misplaced({Scope::Shared}, {QStringLiteral("server"), QStringLiteral("config")});
    if (!misplaced.isEmpty()) {
        *error = QStringLiteral("--%1 is not an option of tktalk account (it takes --config, --data-dir, "
                                "--hash-memory, --hash-passes and --min-password-length)")
                     .arg(misplaced);
        return false;
    }
    std::optional<server::ServerConfig> config =
        settings::loadServerConfig(flags.value("config"), flags.given({Scope::Shared}), error);
    if (!config)
        return false;
    result.server = *config;
    return true;
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
    const Flags flags(parser);

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
    if (!words.isEmpty() && words.first() == QLatin1String("account")) {
        if (!parseAccountRole(flags, words, result, error))
            return std::nullopt;
        return result;
    }
    if (!words.isEmpty()) {
        *error = QStringLiteral("unexpected argument '%1'").arg(words.first());
        return std::nullopt;
    }
    for (const char *alone : {"check-config", "print-config-example"}) {
        if (!flags.isSet(alone))
            continue;
        const QString other = flags.misplaced({}, {QLatin1String(alone)});
        if (!other.isEmpty()) {
            *error = QStringLiteral("--%1 goes alone (not with --%2)").arg(QLatin1String(alone), other);
            return std::nullopt;
        }
        result.role = flags.isSet("check-config") ? CommandLine::Role::CheckConfig
                                                  : CommandLine::Role::PrintConfigExample;
        result.server.configFile = flags.value("check-config");
        return result;
    }

    const bool server = flags.isSet("server");
    result.role = server ? CommandLine::Role::Server : CommandLine::Role::Client;
    const QString misplaced = server ? flags.misplaced({Scope::Command, Scope::Server, Scope::Shared})
                                     : flags.misplaced({Scope::Client});
    if (!misplaced.isEmpty()) {
        *error = server ? QStringLiteral("--%1 is a client option").arg(misplaced)
                        : QStringLiteral("--%1 is a server option (add --server)").arg(misplaced);
        return std::nullopt;
    }
    if (!server) {
        *error = parseClientFlags(flags, result.client);
        if (!error->isEmpty())
            return std::nullopt;
        return result;
    }
    result.serverFlags = flags.given({Scope::Server, Scope::Shared});
    std::optional<server::ServerConfig> config =
        settings::loadServerConfig(flags.value("config"), result.serverFlags, error);
    if (!config)
        return std::nullopt;
    result.server = *config;
    return result;
}

} // namespace tktalk::app
