// The configuration file (--config): `tktalk --check-config` names the line at fault, the server
// uses what the file says, flags override it, and REHASH or SIGHUP re-read it, apply what may
// change at once, name what needs a restart and keep the old settings when the file is broken.

#include "serverprocess.h"
#include "testcertificatefiles.h"
#include "testfiles.h"
#include "testircclient.h"
#include "testserver.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tktalk;
using tktalk::test::runTktalk;
using tktalk::test::runTktalkSeparately;
using tktalk::test::ServerProcess;
using tktalk::test::TestIrcClient;
using tktalk::test::writeFile;

namespace {

/// The cheapest password hashing there is, in the file: these tests are not about hashing.
const QByteArray kCheapHash = "hash-memory = 1\nhash-passes = 1\n";

/// Creates @p account with @p password in @p dataDir.
bool addAccount(const QString &dataDir, const QString &account, const QByteArray &password)
{
    return runTktalk({QStringLiteral("account"), QStringLiteral("add"), account, QStringLiteral("--data-dir"), dataDir,
                      QStringLiteral("--hash-memory"), QStringLiteral("1"), QStringLiteral("--hash-passes"),
                      QStringLiteral("1")},
                     password + '\n')
           == 0;
}

/// A client connected and registered as @p nick to the server on @p port.
std::unique_ptr<TestIrcClient> connectAs(quint16 port, const QByteArray &nick)
{
    auto client = std::make_unique<TestIrcClient>();
    client->connectTo(port, test::testIdentity().chain.first());
    if (!client->waitForEncrypted() || !client->registerAs(nick))
        return nullptr;
    return client;
}

/// The MOTD lines (372) the server sends @p client for a MOTD command.
QByteArrayList motdOf(TestIrcClient &client)
{
    client.skipReceived();
    client.sendLine("MOTD");
    QByteArrayList lines;
    while (const auto message = client.waitFor([](const protocol::Message &m) {
               return m.command == "372" || m.command == "376" || m.command == "422";
           })) {
        if (message->command != "372")
            break;
        lines << message->params.last().mid(2); // "- " before each line
    }
    return lines;
}

/// The numeric or command that answers @p line: the first of @p answers to arrive.
QByteArray answerTo(TestIrcClient &client, const QByteArray &line, const QByteArrayList &answers)
{
    client.skipReceived();
    client.sendLine(line);
    const auto reply = client.waitFor([&answers](const protocol::Message &m) { return answers.contains(m.command); });
    return reply ? reply->command : QByteArray();
}

/// The NOTICEs "REHASH: ..." that answer a REHASH, up to the sync after it.
QStringList rehash(TestIrcClient &client)
{
    client.skipReceived();
    client.sendLine("REHASH");
    QStringList report;
    const auto seen = client.sync();
    if (!seen)
        return {QStringLiteral("(no answer)")};
    for (const protocol::Message &message : *seen) {
        if (message.command == "NOTICE" && message.params.last().startsWith("REHASH: "))
            report << QString::fromUtf8(message.params.last().mid(8));
        else if (message.command == "481")
            report << QString::fromUtf8("481 " + message.params.last());
    }
    return report;
}

} // namespace

class tst_ConfigFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkConfigAcceptsAGoodFile();
    void checkConfigNamesTheLineAtFault_data();
    void checkConfigNamesTheLineAtFault();
    void serverUsesTheFile();
    void flagsOverrideTheFile();
    void minPasswordLengthFlag();
    void rehashAppliesChanges();
    void brokenFileOnReloadKeepsTheOldOne();
};

void tst_ConfigFile::checkConfigAcceptsAGoodFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("motd.txt")), "hello\n"));
    QVERIFY(writeFile(path, "# a comment\n; another\n\nlisten = 127.0.0.1:7000\nmotd = motd.txt\nchannel = \"\"\n"
                            "require-account = no\nmin-password-length = 12\nping-interval = 90.5\n"
                            "[opers]\nalice = all\nbob = kill, ban\ncarol\n"));
    QByteArray out;
    QByteArray err;
    QCOMPARE(runTktalkSeparately({QStringLiteral("--check-config"), path}, &out, &err), 0);
    QCOMPARE(out.trimmed(), (path + QStringLiteral(": OK")).toUtf8());
    QVERIFY(err.isEmpty());

    // The example the package installs and --print-config-example prints are good files too.
    QCOMPARE(runTktalkSeparately({QStringLiteral("--print-config-example")}, &out, &err), 0);
    QVERIFY(writeFile(path, out));
    QCOMPARE(runTktalkSeparately({QStringLiteral("--check-config"), path}, &out, &err), 0);
}

void tst_ConfigFile::checkConfigNamesTheLineAtFault_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << QByteArray("# settings\nmax-clients = 5\nmax-klients = 5\n") << 3
                                 << QStringLiteral("unknown setting 'max-klients'");
    QTest::newRow("client option") << QByteArray("nick = alice\n") << 1
                                   << QStringLiteral("nick is not a server setting");
    QTest::newRow("bad number") << QByteArray("\nflood-rate = fast\n") << 2
                                << QStringLiteral("invalid value 'fast' for flood-rate (expected a number from 0 to 1000000000)");
    QTest::newRow("out of range") << QByteArray("max-clients = 0\n") << 1
                                  << QStringLiteral("invalid value '0' for max-clients (expected a whole number from 1 to 10000000)");
    QTest::newRow("bad switch") << QByteArray("require-account = maybe\n") << 1
                                << QStringLiteral("invalid value 'maybe' for require-account (expected yes or no)");
    QTest::newRow("missing file") << QByteArray("motd = /nonexistent/motd.txt\n") << 1
                                  << QStringLiteral("motd: /nonexistent/motd.txt does not exist");
    QTest::newRow("bad section") << QByteArray("listen = 127.0.0.1:0\n[operators]\n") << 2
                                 << QStringLiteral("unknown section [operators] (expected [server] or [opers])");
    QTest::newRow("unclosed section") << QByteArray("[opers\n") << 1 << QStringLiteral("expected a section header");
    QTest::newRow("duplicate key") << QByteArray("sendq = 8192\nchannel = #a\nsendq = 9000\n") << 3
                                   << QStringLiteral("sendq is set twice (first on line 1)");
    QTest::newRow("duplicate section") << QByteArray("[opers]\na = all\n[server]\n[opers]\n") << 4
                                       << QStringLiteral("section [opers] appears twice (first on line 1)");
    QTest::newRow("no equals sign") << QByteArray("max-clients 5\n") << 1
                                    << QStringLiteral("expected 'setting = value', '[section]' or a # comment");
    QTest::newRow("duplicate oper") << QByteArray("[opers]\nalice = all\nALICE = kill\n") << 3
                                    << QStringLiteral("operator ALICE is listed twice (first on line 2)");
    QTest::newRow("bad oper name") << QByteArray("[opers]\n1alice = all\n") << 2
                                   << QStringLiteral("invalid account name '1alice' in [opers]");
    QTest::newRow("unknown privilege") << QByteArray("[opers]\nalice = kill, fly\n") << 2
                                       << QStringLiteral("unknown privilege 'fly' for alice");
    QTest::newRow("cert without key") << QByteArray("channel = #a\ncert = cert.pem\n") << 2
                                      << QStringLiteral("cert and key go together");
}

void tst_ConfigFile::checkConfigNamesTheLineAtFault()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, line);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("cert.pem")), "not used\n"));
    QVERIFY(writeFile(path, contents));
    QByteArray out;
    QByteArray err;
    QCOMPARE(runTktalkSeparately({QStringLiteral("--check-config"), path}, &out, &err), 2);
    const QString expected = QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(message);
    QVERIFY2(QString::fromUtf8(err).startsWith(expected), err.constData());
    QVERIFY(out.isEmpty());

    // The server refuses to start on it, with the same words.
    QByteArray output;
    QCOMPARE(runTktalk({QStringLiteral("--server"), QStringLiteral("--config"), path, QStringLiteral("--data-dir"),
                        dir.path()},
                       {}, &output),
             2);
    QVERIFY2(output.contains(expected.toUtf8()), output.constData());
}

void tst_ConfigFile::serverUsesTheFile()
{
    const test::TestCertificateFiles certificate;
    QVERIFY(certificate.isValid());
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    QVERIFY(addAccount(data, QStringLiteral("alice"), "alice-password"));
    QVERIFY(addAccount(data, QStringLiteral("bob"), "bob-password"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("motd.txt")), "from the file\n"));
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    QVERIFY(writeFile(path, kCheapHash + "motd = motd.txt\nmin-password-length = 12\ndata-dir = data\ncert = "
                                + certificate.certificatePath().toUtf8() + "\nkey = " + certificate.keyPath().toUtf8()
                                + "\n[opers]\nALICE\n"));
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--config"), path}), qPrintable(server.log()));

    auto alice = connectAs(server.port(), "alice");
    QVERIFY(alice);
    QCOMPARE(motdOf(*alice), QByteArrayList{"from the file"});
    // Listed in [opers] (in another case): OPER makes alice an operator. bob is not listed.
    QCOMPARE(answerTo(*alice, "OPER alice alice-password", {"381", "491", "464"}), QByteArray("381"));
    auto bob = connectAs(server.port(), "bob");
    QVERIFY(bob);
    QCOMPARE(answerTo(*bob, "OPER bob bob-password", {"381", "491", "464"}), QByteArray("491"));

    // The file's password policy: 11 bytes are too few.
    auto carol = connectAs(server.port(), "carol");
    QVERIFY(carol);
    carol->sendLine("REGISTER carol * elevenbytes");
    const auto refused = carol->waitForCommand("FAIL");
    QVERIFY(refused);
    QCOMPARE(refused->params, (QByteArrayList{"REGISTER", "WEAK_PASSWORD", "carol", "Passwords need at least 12 characters"}));
    carol->sendLine("REGISTER carol * twelve-bytes");
    const auto registered = carol->waitFor([](const protocol::Message &m) { return m.command == "REGISTER" || m.command == "FAIL"; });
    QVERIFY(registered);
    QCOMPARE(registered->command, QByteArray("REGISTER"));
    // Bystanders saw nothing of it, and the server still serves.
    QVERIFY(bob->sync());
    QCOMPARE(answerTo(*bob, "PING :still", {"PONG"}), QByteArray("PONG"));
}

void tst_ConfigFile::flagsOverrideTheFile()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("file.txt")), "from the file\n"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("flag.txt")), "from the flag\n"));
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    QVERIFY(writeFile(path, kCheapHash + "motd = file.txt\nchannel = #fromfile\n"));
    const test::TestCertificateFiles certificate;
    ServerProcess server;
    QVERIFY2(server.start(dir.filePath(QStringLiteral("data")),
                          certificate.serverArguments()
                              + QStringList{QStringLiteral("--config"), path, QStringLiteral("--motd"),
                                            dir.filePath(QStringLiteral("flag.txt"))}),
             qPrintable(server.log()));
    TestIrcClient client;
    client.connectTo(server.port(), test::testIdentity().chain.first());
    QVERIFY(client.waitForEncrypted());
    QVERIFY(client.registerAs("alice", false));
    // The flag's MOTD, and the file's channel where no flag says otherwise.
    QCOMPARE(motdOf(client), QByteArrayList{"from the flag"});
    client.sendLine("NAMES #fromfile");
    const auto names = client.waitForCommand("353");
    QVERIFY(names);
    QVERIFY(names->params.last().contains("alice"));
}

void tst_ConfigFile::minPasswordLengthFlag()
{
    const test::TestCertificateFiles certificate;
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(server.start(dir.path(), certificate.serverArguments()
                                         + QStringList{QStringLiteral("--min-password-length"), QStringLiteral("10"),
                                                       QStringLiteral("--hash-memory"), QStringLiteral("1")}));
    auto dave = connectAs(server.port(), "dave");
    auto erin = connectAs(server.port(), "erin");
    QVERIFY(dave && erin);
    dave->sendLine("REGISTER dave * ninebytes");
    const auto refused = dave->waitForCommand("FAIL");
    QVERIFY(refused);
    QCOMPARE(refused->params, (QByteArrayList{"REGISTER", "WEAK_PASSWORD", "dave", "Passwords need at least 10 characters"}));
    QVERIFY(erin->receivedNothing());
    dave->sendLine("REGISTER dave * tenbytes!!");
    QVERIFY(dave->waitForCommand("REGISTER"));
    QVERIFY(dave->sync()); // the rest of the login (900), so that what follows starts from nothing

    // So does NickServ, for clients that register without the IRCv3 command.
    erin->sendLine("PRIVMSG NickServ :REGISTER ninebytes");
    const auto told = erin->waitForCommand("NOTICE");
    QVERIFY(told);
    QCOMPARE(told->params.value(1), QByteArray("Passwords need at least 10 characters"));
    QVERIFY(dave->receivedNothing());

    // tktalk account applies the same flag.
    QByteArray output;
    const QStringList add{QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("frank"),
                          QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("other")),
                          QStringLiteral("--min-password-length"), QStringLiteral("10"), QStringLiteral("--hash-memory"),
                          QStringLiteral("1")};
    QCOMPARE(runTktalk(add, "ninebytes\n", &output), 2);
    QVERIFY2(output.contains("at least 10 characters"), output.constData());
    QCOMPARE(runTktalk(add, "tenbytes!!\n", &output), 0);
}

void tst_ConfigFile::rehashAppliesChanges()
{
    const test::TestCertificateFiles certificate;
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    QVERIFY(addAccount(data, QStringLiteral("alice"), "alice-password"));
    QVERIFY(addAccount(data, QStringLiteral("bob"), "bob-password"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("one.txt")), "first motd\n"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("two.txt")), "second motd\n"));
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    const QByteArray common = kCheapHash + "cert = " + certificate.certificatePath().toUtf8() + "\nkey = "
                              + certificate.keyPath().toUtf8() + "\n";
    QVERIFY(writeFile(path, common + "motd = one.txt\n[opers]\nalice = all\n"));
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--config"), path, QStringLiteral("--data-dir"), data}), qPrintable(server.log()));
    auto alice = connectAs(server.port(), "alice");
    auto bob = connectAs(server.port(), "bob");
    QVERIFY(alice && bob);
    QCOMPARE(answerTo(*alice, "OPER alice alice-password", {"381", "491", "464"}), QByteArray("381"));
    QCOMPARE(answerTo(*bob, "OPER bob bob-password", {"381", "491", "464"}), QByteArray("491"));

    // Nothing changed yet.
    QStringList report = rehash(*alice);
    QVERIFY2(report.contains(QStringLiteral("configuration %1 unchanged").arg(path)), qPrintable(report.join(u'|')));

    // A new MOTD, bob made an operator who may only kill, and a new channel, which needs a restart.
    QVERIFY(writeFile(path, common + "channel = #elsewhere\nmotd = two.txt\n"
                                + "[opers]\nalice = all\nbob = kill\n"));
    report = rehash(*alice);
    const QString joined = report.join(u'|');
    QVERIFY2(report.contains(QStringLiteral("configuration %1 reloaded").arg(path)), qPrintable(joined));
    QVERIFY2(report.contains(QStringLiteral("motd changed: %1 -> %2")
                                 .arg(dir.filePath(QStringLiteral("one.txt")), dir.filePath(QStringLiteral("two.txt")))),
             qPrintable(joined));
    QVERIFY2(report.contains(QStringLiteral("opers added: bob (kill)")), qPrintable(joined));
    QVERIFY2(report.contains(QStringLiteral("channel changed to #elsewhere in the configuration: needs a restart "
                                            "(still #lobby)")),
             qPrintable(joined));
    QVERIFY2(report.contains(QStringLiteral("MOTD reloaded")), qPrintable(joined));
    QVERIFY(server.waitForLog(QStringLiteral("REHASH by alice: opers added: bob (kill)")));
    QCOMPARE(motdOf(*bob), QByteArrayList{"second motd"});
    QCOMPARE(answerTo(*bob, "OPER bob bob-password", {"381", "491", "464"}), QByteArray("381"));
    // bob's privileges stop at kill.
    QCOMPARE(rehash(*bob), QStringList{QStringLiteral("481 Permission Denied- Your operator account lacks the rehash privilege")});

    // bob removed again, by SIGHUP this time: his operator commands stop working at once.
    QVERIFY(writeFile(path, common + "channel = #elsewhere\nmotd = two.txt\n[opers]\nalice = all\n"));
    server.signal(SIGHUP);
    QVERIFY(server.waitForLog(QStringLiteral("SIGHUP: opers removed: bob")));
    QCOMPARE(answerTo(*bob, "KILL alice :bye", {"481", "KILL", "ERROR"}), QByteArray("481"));
    QCOMPARE(answerTo(*alice, "PING :here", {"PONG"}), QByteArray("PONG"));
}

void tst_ConfigFile::brokenFileOnReloadKeepsTheOldOne()
{
    const test::TestCertificateFiles certificate;
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    QVERIFY(addAccount(data, QStringLiteral("alice"), "alice-password"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("one.txt")), "first motd\n"));
    const QString path = dir.filePath(QStringLiteral("tktalk.conf"));
    const QByteArray good = kCheapHash + "cert = " + certificate.certificatePath().toUtf8() + "\nkey = "
                            + certificate.keyPath().toUtf8() + "\nmotd = one.txt\n[opers]\nalice = all\n";
    QVERIFY(writeFile(path, good));
    ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--config"), path, QStringLiteral("--data-dir"), data}), qPrintable(server.log()));
    auto alice = connectAs(server.port(), "alice");
    QVERIFY(alice);
    QCOMPARE(answerTo(*alice, "OPER alice alice-password", {"381", "491", "464"}), QByteArray("381"));

    // Line 4 is wrong: nothing of the file applies, not even the motd on line 3 or the empty [opers].
    QVERIFY(writeFile(dir.filePath(QStringLiteral("two.txt")), "second motd\n"));
    QVERIFY(writeFile(path, "motd = two.txt\n\n# oops\nmax-clients = lots\n[opers]\n"));
    const QStringList report = rehash(*alice);
    const QString expected = QStringLiteral("keeping the current configuration: %1:4: invalid value 'lots' for "
                                            "max-clients (expected a whole number from 1 to 10000000)")
                                 .arg(path);
    QVERIFY2(report.contains(expected), qPrintable(report.join(u'|')));
    QVERIFY(server.waitForLog(QStringLiteral("REHASH by alice: ") + expected));
    QCOMPARE(motdOf(*alice), QByteArrayList{"first motd"});
    // alice is still an operator: REHASH still works, and a fixed file applies.
    QVERIFY(writeFile(path, good));
    QVERIFY(rehash(*alice).contains(QStringLiteral("configuration %1 unchanged").arg(path)));
}

QTEST_GUILESS_MAIN(tst_ConfigFile)
#include "tst_configfile.moc"
