#include "clientsetup.h"

#include "serverprocess.h"
#include "testserver.h"

namespace tktalk::test {

using protocol::Message;

std::unique_ptr<TestIrcClient> connectWithCaps(TestServer &server, const QByteArray &nick, const QByteArray &caps,
                                               const QByteArray &account, const QByteArray &password)
{
    auto client = server.connectClient();
    if (!caps.isEmpty()) {
        client->sendLine("CAP LS 302");
        client->sendLine("CAP REQ :" + caps);
        if (!client->waitFor(commandWithParam("CAP", 1, "ACK")))
            return nullptr;
        if (!account.isEmpty()) {
            client->sendLine("AUTHENTICATE PLAIN");
            client->sendLine("AUTHENTICATE " + saslPlain(account, password));
            if (!client->waitForCommand("903"))
                return nullptr;
        }
        client->sendLine("CAP END");
    }
    if (!client->registerAs(nick) || !client->sync())
        return nullptr;
    client->skipReceived();
    return client;
}

bool settled(std::initializer_list<TestIrcClient *> clients)
{
    for (TestIrcClient *client : clients) {
        if (!client || !client->sync())
            return false;
        client->skipReceived();
    }
    return true;
}

std::unique_ptr<TestIrcClient> connectRegistered(const ServerProcess &server, const QSslCertificate &certificate,
                                                 const QByteArray &nick)
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(server.port(), certificate);
    if (!client->waitForEncrypted() || !client->registerAs(nick) || !client->sync())
        return nullptr;
    client->skipReceived();
    return client;
}

QByteArray serviceSays(TestIrcClient &client, const QByteArray &service)
{
    const auto notice =
        client.waitFor([&service](const Message &m) { return m.command == "NOTICE" && m.sourceNick() == service; });
    return notice ? notice->param(1) : "<nothing from " + service + '>';
}

} // namespace tktalk::test
