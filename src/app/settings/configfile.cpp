#include "configfile.h"

#include "protocol/names.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace tktalk::app::settings {

namespace {

using server::ServerConfig;

/// Reads the file line by line, remembering where each setting was, and stops at the first fault.
class ConfigReader
{
public:
    explicit ConfigReader(const QString &path) : m_path(path), m_folder(QFileInfo(path).absoluteDir()) {}

    std::optional<ConfigFile> read(QString *error)
    {
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            *error = QStringLiteral("%1: cannot read: %2").arg(m_path, file.errorString());
            return std::nullopt;
        }
        ConfigFile result;
        result.path = m_path;
        int number = 0;
        while (!file.atEnd()) {
            ++number;
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
                continue;
            const QString fault = readLine(line, number, result);
            if (!fault.isEmpty()) {
                *error = QStringLiteral("%1:%2: %3").arg(m_path).arg(number).arg(fault);
                return std::nullopt;
            }
        }
        return result;
    }

private:
    enum class Section { Server, Opers };

    QString readLine(const QString &line, int number, ConfigFile &result)
    {
        if (line.startsWith(QLatin1Char('['))) {
            if (!line.endsWith(QLatin1Char(']')))
                return QStringLiteral("expected a section header like [opers]");
            const QString name = line.mid(1, line.size() - 2).trimmed();
            if (name == QLatin1String("server"))
                m_section = Section::Server;
            else if (name == QLatin1String("opers"))
                m_section = Section::Opers;
            else
                return QStringLiteral("unknown section [%1] (expected [server] or [opers])").arg(name);
            if (m_sectionLines.contains(name))
                return QStringLiteral("section [%1] appears twice (first on line %2)").arg(name).arg(m_sectionLines[name]);
            m_sectionLines.insert(name, number);
            return {};
        }
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        const QString key = (equals < 0 ? line : line.left(equals)).trimmed();
        QString value = equals < 0 ? QString() : line.mid(equals + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        if (m_section == Section::Opers)
            return readOper(key, equals < 0 ? QStringLiteral("all") : value, number, result.opers);
        if (equals < 0)
            return QStringLiteral("expected 'setting = value', '[section]' or a # comment");
        const Setting *setting = findSetting(key);
        if (!setting || !setting->inFile()) {
            if (setting)
                return QStringLiteral("%1 is not a server setting (it is a command-line option only)").arg(key);
            return QStringLiteral("unknown setting '%1'").arg(key);
        }
        if (m_keyLines.contains(key))
            return QStringLiteral("%1 is set twice (first on line %2)").arg(key).arg(m_keyLines[key]);
        m_keyLines.insert(key, number);
        if (setting->isPath() && !value.isEmpty())
            value = QDir::cleanPath(m_folder.absoluteFilePath(value));
        // Checked here, so that a bad value is reported with its line.
        ServerConfig scratch;
        QString why;
        if (!setting->parse(value, scratch, &why))
            return valueError(key, value, why);
        result.assignments << Assignment{setting, value, number};
        return {};
    }

    QString readOper(const QString &account, const QString &privilegesText, int number, server::OperList &opers)
    {
        const QByteArray name = account.toUtf8();
        if (!protocol::isValidNick(name))
            return QStringLiteral("invalid account name '%1' in [opers] (account names follow the nickname rules)")
                .arg(account);
        const QByteArray folded = protocol::foldCase(name);
        if (m_operLines.contains(folded))
            return QStringLiteral("operator %1 is listed twice (first on line %2)").arg(account).arg(m_operLines[folded]);
        m_operLines.insert(folded, number);
        QByteArray unknown;
        const std::optional<server::OperPrivileges> privileges =
            server::parseOperPrivileges(privilegesText.toUtf8(), &unknown);
        if (!privileges)
            return QStringLiteral("unknown privilege '%1' for %2 (expected all, or a comma-separated list of kill, "
                                  "ban, samode, rehash, wallops)")
                .arg(QString::fromUtf8(unknown), account);
        opers.insert(folded, server::OperEntry{name, *privileges});
        return {};
    }

    QString m_path;
    QDir m_folder;
    Section m_section = Section::Server;
    QHash<QString, int> m_sectionLines;
    QHash<QString, int> m_keyLines;
    QHash<QByteArray, int> m_operLines;
};

QString shown(const QString &value)
{
    return value.isEmpty() ? QStringLiteral("(none)") : value;
}

QString operText(const server::OperEntry &entry)
{
    return QString::fromUtf8(entry.account + " (" + server::operPrivilegesText(entry.privileges) + ')');
}

} // namespace

QString valueError(const QString &label, const QString &value, const QString &why)
{
    if (why.startsWith(QLatin1String("expected")))
        return QStringLiteral("invalid value '%1' for %2 (%3)").arg(value, label, why);
    return QStringLiteral("%1: %2").arg(label, why);
}

std::optional<ConfigFile> readConfigFile(const QString &path, QString *error)
{
    return ConfigReader(path).read(error);
}

std::optional<ServerConfig> loadServerConfig(const QString &configFile, const QList<Assignment> &flags, QString *error)
{
    ServerConfig config;
    std::optional<ConfigFile> file;
    if (!configFile.isEmpty()) {
        file = readConfigFile(configFile, error);
        if (!file)
            return std::nullopt;
        config.configFile = configFile;
        config.opers = file->opers;
        for (const Assignment &assignment : std::as_const(file->assignments)) {
            QString why;
            // Checked once already while reading; a file can vanish in between.
            if (!assignment.setting->parse(assignment.value, config, &why)) {
                *error = QStringLiteral("%1:%2: %3")
                             .arg(configFile)
                             .arg(assignment.line)
                             .arg(valueError(QLatin1String(assignment.setting->name), assignment.value, why));
                return std::nullopt;
            }
        }
    }
    bool flagsNamePair = false;
    for (const Assignment &assignment : flags) {
        QString why;
        const QString label = QStringLiteral("--") + assignment.setting->flag();
        if (!assignment.setting->parse(assignment.value, config, &why)) {
            *error = valueError(label, assignment.value, why);
            return std::nullopt;
        }
        flagsNamePair = flagsNamePair || qstrcmp(assignment.setting->name, "cert") == 0
                        || qstrcmp(assignment.setting->name, "key") == 0;
    }
    QString conflict;
    const QStringList atFault = finishServerConfig(config, &conflict);
    if (atFault.isEmpty())
        return config;
    if (flagsNamePair || !file) {
        *error = QStringLiteral("--%1 and --%2 go together: give both or neither").arg(atFault.at(0), atFault.at(1));
        return std::nullopt;
    }
    int line = 0;
    for (const Assignment &assignment : std::as_const(file->assignments)) {
        if (atFault.contains(QLatin1String(assignment.setting->name)))
            line = assignment.line;
    }
    *error = QStringLiteral("%1:%2: %3").arg(configFile).arg(line).arg(conflict);
    return std::nullopt;
}

QStringList applyReloadable(const ServerConfig &fresh, ServerConfig &current)
{
    QStringList report;
    for (const Setting &setting : allSettings()) {
        if (!setting.inFile())
            continue;
        const QString before = setting.show(current);
        const QString after = setting.show(fresh);
        if (before == after)
            continue;
        if (setting.applies == Applies::OnReload) {
            setting.copy(fresh, current);
            report << QStringLiteral("%1 changed: %2 -> %3").arg(QLatin1String(setting.name), shown(before), shown(after));
        } else {
            report << QStringLiteral("%1 changed to %2 in the configuration: needs a restart (still %3)")
                          .arg(QLatin1String(setting.name), shown(after), shown(before));
        }
    }
    QStringList added;
    QStringList removed;
    QStringList changed;
    for (const server::OperEntry &entry : fresh.opers) {
        const auto old = current.opers.constFind(protocol::foldCase(entry.account));
        if (old == current.opers.constEnd())
            added << operText(entry);
        else if (*old != entry)
            changed << operText(entry);
    }
    for (auto it = current.opers.cbegin(); it != current.opers.cend(); ++it) {
        if (!fresh.opers.contains(it.key()))
            removed << QString::fromUtf8(it->account);
    }
    if (!added.isEmpty())
        report << QStringLiteral("opers added: %1").arg(added.join(QLatin1String(", ")));
    if (!changed.isEmpty())
        report << QStringLiteral("opers changed: %1").arg(changed.join(QLatin1String(", ")));
    if (!removed.isEmpty())
        report << QStringLiteral("opers removed: %1").arg(removed.join(QLatin1String(", ")));
    current.opers = fresh.opers;
    QString ignored;
    finishServerConfig(current, &ignored);
    return report;
}

} // namespace tktalk::app::settings
