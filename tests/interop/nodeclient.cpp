#include "nodeclient.h"

#include "testcertificatefiles.h"

namespace tktalk::test {

NodeClient::~NodeClient()
{
    stop();
}

void NodeClient::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

bool NodeClient::start(quint16 port, const TestCertificateFiles &files, const QString &nick)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Node's way of trusting one more certificate; the script keeps rejectUnauthorized on.
    environment.insert(QStringLiteral("NODE_EXTRA_CA_CERTS"), files.certificatePath());
    m_process.setProcessEnvironment(environment);
    m_process.setWorkingDirectory(QStringLiteral(TKTALK_INTEROP_NODE_DIR));
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyRead, &m_process,
                     [this] { m_output += QString::fromUtf8(m_process.readAll()); });
    m_process.start(QStringLiteral("node"), QStringList{QStringLiteral("chat.js"), QString::number(port), nick} + m_options);
    return m_process.waitForStarted();
}

void NodeClient::type(const QString &command)
{
    m_process.write(command.toUtf8() + '\n');
}

QString NodeClient::shown(const QString &)
{
    return m_output;
}

QRegularExpression NodeClient::messageLine(const QString &from, const QString &text) const
{
    return QRegularExpression(QStringLiteral("^privmsg %1 \\S+ %2$")
                                  .arg(QRegularExpression::escape(from), QRegularExpression::escape(text)),
                              QRegularExpression::MultilineOption);
}

QRegularExpression NodeClient::userListLine(const QStringList &nicks) const
{
    return QRegularExpression(QStringLiteral("^userlist #lobby %1$").arg(nicks.join(' ')),
                              QRegularExpression::MultilineOption);
}

QRegularExpression NodeClient::modeLine(const QString &by, const QString &modes) const
{
    return QRegularExpression(QStringLiteral("^mode #lobby %1 %2$")
                                  .arg(QRegularExpression::escape(by), QRegularExpression::escape(modes)),
                              QRegularExpression::MultilineOption);
}

QRegularExpression NodeClient::ownNickChangeLine(const QString &newNick) const
{
    return QRegularExpression(QStringLiteral("^nick \\S+ %1$").arg(QRegularExpression::escape(newNick)),
                              QRegularExpression::MultilineOption);
}

} // namespace tktalk::test
