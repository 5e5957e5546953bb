// The manual page's OPTIONS and the configuration file the package installs are made from the
// table of settings; the checked-in copies must be what the table makes, so they cannot go stale.
// scripts/regenerate-settings-docs rewrites them (this test, with TKTALK_REGENERATE_DOCS=1).

#include "settings/configfile.h"
#include "settings/settingsdocs.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tktalk::app;

namespace {

QString sourceFile(const char *relative)
{
    return QStringLiteral(TKTALK_SOURCE_DIR "/") + QLatin1String(relative);
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

/// Compares the checked-in @p path with @p generated, or writes it when asked to regenerate.
bool matchesOrRegenerate(const QString &path, const QString &generated)
{
    if (qEnvironmentVariableIsSet("TKTALK_REGENERATE_DOCS")) {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(generated.toUtf8()) >= 0;
    }
    return readText(path) == generated;
}

} // namespace

class tst_SettingsDocs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void packagedConfigurationIsCurrent();
    void manPageOptionsAreCurrent();
    void everySettingIsDocumented();
    void exampleIsAValidFile();
};

void tst_SettingsDocs::packagedConfigurationIsCurrent()
{
    const QString path = sourceFile("installer/linux/tktalk.conf");
    QVERIFY2(matchesOrRegenerate(path, settings::configExample(settings::ExampleFor::Package)),
             "installer/linux/tktalk.conf differs from the table of settings: run scripts/regenerate-settings-docs");
}

void tst_SettingsDocs::manPageOptionsAreCurrent()
{
    const QString path = sourceFile("docs/tktalk.1");
    const QString generated = settings::manPageWithOptions(readText(path));
    QVERIFY2(!generated.isEmpty(), "docs/tktalk.1 has lost its GENERATED OPTIONS markers");
    QVERIFY2(matchesOrRegenerate(path, generated),
             "the OPTIONS of docs/tktalk.1 differ from the table of settings: run scripts/regenerate-settings-docs");
}

void tst_SettingsDocs::everySettingIsDocumented()
{
    const QString example = settings::configExample(settings::ExampleFor::Anyone);
    const QString manPage = settings::manPageWithOptions(readText(sourceFile("docs/tktalk.1")));
    for (const settings::Setting &setting : settings::allSettings()) {
        QVERIFY2(*setting.help, setting.name);
        QVERIFY2(manPage.contains(QStringLiteral("\\-\\-") + setting.flag().replace(QLatin1Char('-'), QLatin1String("\\-"))),
                 setting.name);
        if (!setting.inFile())
            continue;
        QVERIFY2(setting.parse && setting.show && setting.copy, setting.name);
        QVERIFY2(example.contains(QStringLiteral("\n#%1 = ").arg(QLatin1String(setting.name))), setting.name);
        // A default the example writes is one the setting accepts, and shows the same way.
        if (*setting.defaultValue && !setting.isSwitch()) {
            tktalk::server::ServerConfig config;
            QString why;
            QVERIFY2(setting.parse(QLatin1String(setting.defaultValue), config, &why), qPrintable(why));
            QCOMPARE(setting.show(config), QLatin1String(setting.defaultValue));
            QCOMPARE(setting.show(tktalk::server::ServerConfig()), QLatin1String(setting.defaultValue));
        }
    }
}

void tst_SettingsDocs::exampleIsAValidFile()
{
    // Every line of the example, uncommented at its default, is a file the server accepts.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    for (const auto target : {settings::ExampleFor::Anyone, settings::ExampleFor::Package}) {
        QString text = settings::configExample(target);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text.toUtf8());
        file.close();
        QString error;
        const std::optional<settings::ConfigFile> read = settings::readConfigFile(path, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->opers.size(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_SettingsDocs)
#include "tst_settingsdocs.moc"
