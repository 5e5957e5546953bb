#include "historywitness.h"

#include "testserver.h"

namespace tktalk::test {

std::unique_ptr<TestIrcClient> connectWitness(quint16 port, const QByteArray &nick, const QByteArray &password)
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(port, testIdentity().chain.first());
    if (!client->waitForEncrypted())
        return nullptr;
    client->sendLine("CAP REQ :echo-message server-time message-tags");
    client->sendLine("CAP END");
    if (!client->waitFor(commandWithParam("CAP", 1, "ACK")) || !client->registerAs(nick))
        return nullptr;
    if (!password.isEmpty()) {
        client->sendLine("REGISTER * * " + password);
        if (!client->waitFor(commandWithParam("REGISTER", 0, "SUCCESS")))
            return nullptr;
    }
    return client;
}

QList<SaidLine> say(TestIrcClient &speaker, const QByteArray &target, const QByteArrayList &texts)
{
    QList<SaidLine> said;
    for (const QByteArray &text : texts) {
        speaker.sendLine("PRIVMSG " + target + " :" + text);
        const auto echo = speaker.waitFor(commandWithParam("PRIVMSG", 1, text));
        if (!echo)
            return {};
        said << SaidLine{text, echo->tag("msgid").value_or(QByteArray()), echo->tag("time").value_or(QByteArray())};
    }
    return said;
}

} // namespace tktalk::test
