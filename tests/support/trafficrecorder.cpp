#include "trafficrecorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace tktalk::test {

TrafficRecorder *TrafficRecorder::instance()
{
    static TrafficRecorder *recorder = [] {
        const QString directory = qEnvironmentVariable("TKTALK_RECORD_TRAFFIC");
        if (directory.isEmpty() || !QDir().mkpath(directory))
            return static_cast<TrafficRecorder *>(nullptr);
        return new TrafficRecorder(directory); // lives as long as the test program
    }();
    return recorder;
}

QString TrafficRecorder::baseName()
{
    QString name = QCoreApplication::applicationName() + QLatin1Char('-')
                   + QString::fromLatin1(QTest::currentTestFunction() ? QTest::currentTestFunction() : "main");
    if (const char *row = QTest::currentDataTag())
        name += QLatin1Char('-') + QString::fromUtf8(row);
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    if (name != m_function) {
        m_function = name;
        m_clients.clear();
    }
    return QDir(m_directory).filePath(name);
}

int TrafficRecorder::clientNumber(const void *client)
{
    const auto it = m_clients.constFind(client);
    if (it != m_clients.constEnd())
        return *it;
    const int number = int(m_clients.size());
    m_clients.insert(client, number);
    return number;
}

void TrafficRecorder::sent(const void *client, const QByteArray &bytes)
{
    const QString base = baseName();
    const char selector = char('0' + clientNumber(client) % 4);
    // Whole lines become "send this line" steps, a trailing piece without a line end a raw step.
    QByteArray script;
    const QByteArrayList pieces = bytes.split('\n');
    for (qsizetype i = 0; i + 1 < pieces.size(); ++i) {
        QByteArray line = pieces.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        script += selector + line + '\n';
    }
    const QByteArray &rest = pieces.constLast();
    if (!rest.isEmpty())
        script += char(selector + 4) + rest + '\n';
    append(base + QStringLiteral(".script"), script);
}

void TrafficRecorder::received(const void *client, const QByteArray &bytes)
{
    const QString base = baseName();
    append(base + QStringLiteral(".client%1").arg(clientNumber(client)), bytes);
}

void TrafficRecorder::append(const QString &fileName, const QByteArray &bytes)
{
    QFile file(fileName);
    if (file.open(QIODevice::Append))
        file.write(bytes);
}

} // namespace tktalk::test
