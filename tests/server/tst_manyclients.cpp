#include "testserver.h"

#include <QHash>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

/// 200 clients in one room, each posting a numbered series: everyone must see every other
/// client's series complete, without duplicates, in order.
class tst_ManyClients : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noLossDuplicateOrReorder();
};

void tst_ManyClients::noLossDuplicateOrReorder()
{
    constexpr int kClients = 200;
    constexpr int kMessagesEach = 10;
    server::ServerConfig config = test::testServerConfig();
    config.defaultChannel = "#crowd";
    TestServer server(config);
    std::vector<std::unique_ptr<TestIrcClient>> clients;
    for (int i = 0; i < kClients; ++i) {
        auto client = server.connectClient();
        client->sendLine("NICK user" + QByteArray::number(i));
        client->sendLine("USER u 0 * :U");
        clients.push_back(std::move(client));
    }
    for (auto &client : clients)
        QVERIFY(client->waitFor(test::commandWithParam("366", 1, "#crowd"), 60'000));
    for (auto &client : clients) {
        QVERIFY(client->sync(60'000)); // every join announcement has arrived
        client->skipReceived();
    }
    QCOMPARE(server.server().registry().userCount(), kClients);

    // Everyone talks at once, interleaved.
    for (int n = 0; n < kMessagesEach; ++n) {
        for (int i = 0; i < kClients; ++i)
            clients[size_t(i)]->sendLine("PRIVMSG #crowd :" + QByteArray::number(n));
    }
    const int expectedPerClient = (kClients - 1) * kMessagesEach;
    // Two barriers: once every sender's PONG is back, the server has handled (and queued the relays
    // of) every message; once every recipient's PONG is back, each has received what was queued.
    for (auto &client : clients)
        QVERIFY(client->sync(60'000));
    for (auto &client : clients)
        QVERIFY(client->sync(60'000));
    for (int i = 0; i < kClients; ++i) {
        TestIrcClient &client = *clients[size_t(i)];
        QHash<QByteArray, int> nextFromSender;
        int count = 0;
        for (const Message &m : client.received()) {
            if (m.command != "PRIVMSG")
                continue;
            const QByteArray sender = m.sourceNick();
            QVERIFY2(sender != "user" + QByteArray::number(i), "a sender got its own message back");
            int &next = nextFromSender[sender];
            QCOMPARE(m.param(1).toInt(), next); // no loss, duplicate or reorder per sender
            ++next;
            ++count;
        }
        QCOMPARE(count, expectedPerClient);
    }
}

QTEST_MAIN(tst_ManyClients)
#include "tst_manyclients.moc"
