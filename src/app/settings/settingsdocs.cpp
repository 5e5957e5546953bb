// --help, the manual page's OPTIONS and the example configuration file, all from settingstable.cpp.

#include "settingsdocs.h"

#include <QRegularExpression>

namespace tktalk::app::settings {

namespace {

constexpr int kExampleWidth = 100;
const QLatin1String kBeginMarker(".\\\" BEGIN GENERATED OPTIONS");
const QLatin1String kEndMarker(".\\\" END GENERATED OPTIONS");

QString scopePrefix(Scope scope)
{
    switch (scope) {
    case Scope::Client:
        return QStringLiteral("Client: ");
    case Scope::Server:
        return QStringLiteral("Server: ");
    case Scope::Shared:
        return QStringLiteral("Server and account: ");
    case Scope::Command:
        break;
    }
    return {};
}

/// "Default: 20.", or empty when there is none to tell.
QString defaultSentence(const Setting &setting)
{
    if (setting.defaultText)
        return QStringLiteral("Default: %1.").arg(QLatin1String(setting.defaultText));
    if (*setting.defaultValue && !setting.isSwitch())
        return QStringLiteral("Default: %1.").arg(QLatin1String(setting.defaultValue));
    return {};
}

QString fileSentence(const Setting &setting)
{
    const QString key = QLatin1String(setting.name);
    QString text = setting.isSwitch()
                       ? QStringLiteral("In the configuration file: %1 = yes|no (default %2; the flag means %3).")
                             .arg(key, QLatin1String(setting.defaultValue), setting.switchFlagValue())
                       : QStringLiteral("In the configuration file: %1.").arg(key);
    text += setting.applies == Applies::OnReload ? QStringLiteral(" A reload (REHASH, SIGHUP) applies a change.")
                                                 : QStringLiteral(" A change needs a restart.");
    return text;
}

QString joined(const QStringList &sentences)
{
    QStringList present;
    for (const QString &sentence : sentences) {
        if (!sentence.isEmpty())
            present << sentence;
    }
    return present.join(QLatin1Char(' '));
}

/// Escapes plain text for roff, one sentence per line as man pages are written.
QString roff(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\e")).replace(QLatin1Char('-'), QLatin1String("\\-"));
    QStringList lines = escaped.split(QRegularExpression(QStringLiteral("(?<=[.;:]) (?=[A-Z])")));
    for (QString &line : lines) {
        if (line.startsWith(QLatin1Char('.')) || line.startsWith(QLatin1Char('\'')))
            line.prepend(QLatin1String("\\&"));
    }
    return lines.join(QLatin1Char('\n'));
}

QString manEntry(const Setting &setting)
{
    const QString flag = QStringLiteral("\\-\\-") + roff(setting.flag());
    QString entry = QStringLiteral(".TP\n");
    entry += setting.isSwitch() ? QStringLiteral(".B %1\n").arg(flag)
                                : QStringLiteral(".BI %1 \" %2\"\n").arg(flag, roff(QLatin1String(setting.valueName)));
    QStringList sentences{QLatin1String(setting.help), defaultSentence(setting)};
    if (setting.inFile())
        sentences << fileSentence(setting);
    return entry + roff(joined(sentences)) + QLatin1Char('\n');
}

/// @p text as comment lines of at most kExampleWidth columns.
QString commentLines(const QString &text)
{
    QString result;
    QString line = QStringLiteral("#");
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (line.size() + 1 + word.size() > kExampleWidth && line.size() > 1) {
            result += line + QLatin1Char('\n');
            line = QStringLiteral("#");
        }
        line += QLatin1Char(' ') + word;
    }
    return result + line + QLatin1Char('\n');
}

QString exampleEntry(const Setting &setting, ExampleFor target)
{
    QString entry = commentLines(joined({QLatin1String(setting.help), defaultSentence(setting),
                                         setting.applies == Applies::OnReload
                                             ? QStringLiteral("A reload (REHASH, SIGHUP) applies a change.")
                                             : QStringLiteral("A change needs a restart.")}));
    const QString key = QLatin1String(setting.name);
    if (target == ExampleFor::Package && key == QLatin1String("data-dir"))
        return entry + QStringLiteral("data-dir = /var/lib/tktalk\n");
    if (setting.isSwitch())
        return entry + QStringLiteral("#%1 = %2\n").arg(key, QLatin1String(setting.defaultValue));
    if (*setting.defaultValue)
        return entry + QStringLiteral("#%1 = %2\n").arg(key, QLatin1String(setting.defaultValue));
    return entry + QStringLiteral("#%1 = %2\n").arg(key, QLatin1String(setting.valueName));
}

} // namespace

QString optionHelp(const Setting &setting)
{
    QString help = QLatin1String(setting.help);
    if (!scopePrefix(setting.scope).isEmpty())
        help = scopePrefix(setting.scope) + help.left(1).toLower() + help.mid(1);
    QStringList sentences{help, defaultSentence(setting)};
    if (setting.isSwitch() && setting.inFile())
        sentences << QStringLiteral("(In the file: %1 = %2.)").arg(QLatin1String(setting.name), setting.switchFlagValue());
    return joined(sentences);
}

QString configExample(ExampleFor target)
{
    QString text = commentLines(QStringLiteral(
        "The tktalk server's configuration (tktalk --server --config FILE). Every setting has its "
        "command-line flag of the same name (tktalk --help, man tktalk); a flag given on the command line "
        "overrides the file. Lines are 'setting = value'; a line starting with # or ; is a comment; a "
        "value may be quoted (\"\" is empty); a relative path is relative to this file's folder. "
        "'tktalk --check-config FILE' checks a file; REHASH (an operator's command) or SIGHUP "
        "(systemctl reload tktalk-server) re-reads it and says what changed."));
    if (target == ExampleFor::Package)
        text += commentLines(QStringLiteral(
            "The system service (tktalk-server.service) runs 'tktalk --server --config /etc/tktalk/tktalk.conf' "
            "as the user tktalk; a file this names must be readable by that user."));
    text += QStringLiteral("\n[server]\n");
    for (const Setting &setting : allSettings()) {
        if (setting.inFile())
            text += QLatin1Char('\n') + exampleEntry(setting, target);
    }
    text += QLatin1Char('\n');
    text += commentLines(QStringLiteral(
        "Server operators: ACCOUNT = PRIVILEGES, one account a line. An operator logs in to the account (SASL, "
        "or OPER ACCOUNT PASSWORD) and gets user mode +o. PRIVILEGES is all, or a comma-separated list of kill "
        "(KILL), ban (KLINE, UNKLINE, STATS k), samode (SAMODE), rehash (REHASH) and wallops (WALLOPS); a bare "
        "ACCOUNT means all. Accounts made operators with 'tktalk account oper NAME on' have every privilege "
        "as well. A reload applies a change at once."));
    text += QStringLiteral("[opers]\n#alice = all\n#bob = kill, ban\n");
    return text;
}

QString manPageWithOptions(const QString &manPage)
{
    const qsizetype begin = manPage.indexOf(kBeginMarker);
    const qsizetype end = manPage.indexOf(kEndMarker);
    if (begin < 0 || end < begin)
        return {};
    QString options = QString(kBeginMarker) + QLatin1Char('\n');
    options += QStringLiteral(".\\\" Made from src/app/settings/settingstable.cpp by scripts/regenerate-settings-docs.\n"
                              ".SS General\n"
                              ".TP\n.BR \\-h \", \" \\-\\-help\nPrint the options and exit.\n"
                              ".TP\n.B \\-\\-help\\-all\nPrint the options, including Qt's own (such as\n"
                              ".BR \\-platform ),\nand exit.\n"
                              ".TP\n.BR \\-v \", \" \\-\\-version\nPrint the version and the licence (MIT), and exit.\n");
    const std::pair<Scope, const char *> groups[] = {
        {Scope::Command, nullptr}, {Scope::Client, "Client options"}, {Scope::Server, "Server options"}};
    for (const auto &[scope, title] : groups) {
        if (title)
            options += QStringLiteral(".SS %1\n").arg(QLatin1String(title));
        for (const Setting &setting : allSettings()) {
            const bool inGroup = setting.scope == scope || (scope == Scope::Server && setting.scope == Scope::Shared);
            if (inGroup)
                options += manEntry(setting);
        }
    }
    return manPage.left(begin) + options + manPage.mid(end);
}

} // namespace tktalk::app::settings
