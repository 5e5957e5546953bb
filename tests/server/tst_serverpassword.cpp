// The server password (--password-file): PASS is required before registration; a wrong or
// missing one gets 464 and the connection closes, and nobody else notices.

#include "testserver.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestServer;

class tst_ServerPassword : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void refused_data();
    void refused();
    void accepted();
    void passAfterRegistration();

private:
    server::ServerConfig m_config;
    QTemporaryDir m_dir;
};

void tst_ServerPassword::init()
{
    const QString path = m_dir.filePath(QStringLiteral("password"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("  s3cret pass  \nsecond line is ignored\n");
    file.close();
    m_config = test::testServerConfig();
    m_config.passwordFile = path;
}

void tst_ServerPassword::refused_data()
{
    QTest::addColumn<QByteArrayList>("lines");
    QTest::newRow("missing") << QByteArrayList{"NICK bob", "USER bob 0 * :Bob"};
    QTest::newRow("wrong") << QByteArrayList{"PASS wrong", "NICK bob", "USER bob 0 * :Bob"};
    QTest::newRow("prefix") << QByteArrayList{"PASS s3cret", "NICK bob", "USER bob 0 * :Bob"};
    QTest::newRow("longer") << QByteArrayList{"PASS :s3cret pass!", "NICK bob", "USER bob 0 * :Bob"};
    QTest::newRow("empty") << QByteArrayList{"PASS :", "NICK bob", "USER bob 0 * :Bob"};
    QTest::newRow("case") << QByteArrayList{"PASS :S3CRET PASS", "NICK bob", "USER bob 0 * :Bob"};
}

void tst_ServerPassword::refused()
{
    QFETCH(QByteArrayList, lines);
    TestServer server(m_config);
    QVERIFY(server.isListening());
    auto alice = server.connectClient();
    alice->sendLine("PASS :s3cret pass");
    QVERIFY(alice->registerAs("alice"));

    auto bob = server.connectClient();
    for (const QByteArray &line : lines)
        bob->sendLine(line);
    const auto mismatch = bob->waitForCommand("464");
    QVERIFY(mismatch);
    QCOMPARE(mismatch->param(1), QByteArray("Password incorrect"));
    QVERIFY(bob->waitForError());
    QVERIFY(bob->waitForDisconnected());
    QVERIFY(std::none_of(bob->received().begin(), bob->received().end(),
                         [](const Message &m) { return m.command == "001"; }));
    // Alice saw nothing (bob never registered) and is still served.
    const auto seen = alice->sync();
    QVERIFY(seen);
    QVERIFY(seen->isEmpty());
}

void tst_ServerPassword::accepted()
{
    TestServer server(m_config);
    auto client = server.connectClient();
    // Surrounding blanks in the file are not part of the password; only the first line counts.
    client->sendLine("PASS :s3cret pass");
    QVERIFY(client->registerAs("alice"));
    // PASS may also come after NICK, as long as it is before registration completes.
    auto late = server.connectClient();
    late->sendLine("NICK bob");
    late->sendLine("PASS :s3cret pass");
    late->sendLine("USER bob 0 * :Bob");
    QVERIFY(late->waitForCommand("001"));
}

void tst_ServerPassword::passAfterRegistration()
{
    TestServer server(m_config);
    auto client = server.connectClient();
    client->sendLine("PASS :s3cret pass");
    QVERIFY(client->registerAs("alice"));
    client->sendLine("PASS :s3cret pass");
    QVERIFY(client->waitForCommand("462"));
    client->sendLine("PASS");
    QVERIFY(client->waitForCommand("461"));
    QVERIFY(client->sync());
}

QTEST_MAIN(tst_ServerPassword)
#include "tst_serverpassword.moc"
