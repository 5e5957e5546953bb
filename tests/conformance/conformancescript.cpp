#include "conformancescript.h"

#include "replynormalizer.h"
#include "testircclient.h"

#include <QFile>

#include <memory>

namespace tktalk::test {

using protocol::Message;

namespace {

const QByteArrayList kRegistered{"alice", "bob", "carol"};
const QByteArray kUnregistered = "dave";

QByteArrayList normalizeAll(const QList<Message> &messages, const QByteArrayList &only)
{
    QByteArrayList lines;
    for (const Message &message : messages) {
        if (!only.isEmpty() && !only.contains(message.command))
            continue;
        if (const std::optional<QByteArray> line = normalizeReply(message))
            lines << *line;
    }
    return lines;
}

} // namespace

QList<ScriptStep> loadScript(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = file.errorString();
        return {};
    }
    QList<ScriptStep> steps;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        if (text.isEmpty() || text.startsWith('#'))
            continue;
        const qsizetype note = text.indexOf(" ## ");
        const QByteArray command = (note < 0 ? text : text.left(note)).trimmed();
        ScriptStep step;
        step.client = command.left(command.indexOf(' '));
        step.line = command.mid(step.client.size() + 1);
        if (note >= 0) {
            const QByteArray annotation = text.mid(note + 4).trimmed();
            if (annotation.startsWith("only "))
                step.only = annotation.mid(5).split(' ');
            else if (annotation.startsWith("tktalk: "))
                step.tktalkDiffers = annotation.mid(8);
        }
        if (!kRegistered.contains(step.client) && step.client != kUnregistered) {
            *error = QStringLiteral("unknown client in: %1").arg(QString::fromUtf8(text));
            return {};
        }
        steps << step;
    }
    return steps;
}

QList<StepReplies> runScript(quint16 port, const QSslCertificate &certificate, const QList<ScriptStep> &steps,
                             QString *error)
{
    std::map<QByteArray, std::unique_ptr<TestIrcClient>> clients;
    for (const QByteArray &name : kRegistered + QByteArrayList{kUnregistered}) {
        auto client = std::make_unique<TestIrcClient>();
        client->connectTo(port, certificate);
        if (!client->waitForEncrypted()) {
            *error = QStringLiteral("%1: no TLS connection: %2").arg(name, client->socket().errorString());
            return {};
        }
        // The welcome burst differs by design from server to server; it is not compared.
        if (name != kUnregistered && (!client->registerAs(name, false) || !client->sync())) {
            *error = QStringLiteral("%1 could not register").arg(name);
            return {};
        }
        clients[name] = std::move(client);
    }

    QList<StepReplies> results;
    for (const ScriptStep &step : steps) {
        StepReplies replies;
        TestIrcClient &sender = *clients[step.client];
        const qsizetype start = sender.received().size();
        sender.sendLine(step.line);
        if (step.client == kUnregistered) {
            // A client that has not registered may not even PING; it gets exactly one error line.
            const auto reply = sender.waitFor([](const Message &) { return true; });
            replies[step.client] = reply ? normalizeAll({*reply}, step.only) : QByteArrayList{"<nothing>"};
        } else if (step.line.startsWith("QUIT")) {
            sender.waitForDisconnected();
            replies[step.client] = normalizeAll(sender.received().mid(start), step.only);
        } else {
            const auto before = sender.sync();
            if (!before) {
                *error = QStringLiteral("no answer to: %1").arg(QString::fromUtf8(step.line));
                return {};
            }
            replies[step.client] = normalizeAll(*before, step.only);
        }
        // What everyone else received meanwhile: the server handled the step before their PING.
        for (const QByteArray &name : kRegistered) {
            TestIrcClient &other = *clients[name];
            if (name == step.client || !other.isConnected())
                continue;
            const auto before = other.sync();
            replies[name] = before ? normalizeAll(*before, step.only) : QByteArrayList{"<no answer>"};
        }
        results << replies;
    }
    return results;
}

} // namespace tktalk::test
