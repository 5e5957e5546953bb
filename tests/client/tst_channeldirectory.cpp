// The channel directory (LIST) of a chat session against the real tktalk server in-process, and
// against a scripted TLS server for what tktalk never does: answer LIST with an error, stop in the
// middle of its list, stay silent, list hundreds of channels in another server's format.

#include "chatsession.h"
#include "clientsetup.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>

using namespace tktalk;
using client::ChannelDirectory;
using client::ChatSession;
using protocol::Message;
using test::TestServer;

namespace {

/// @brief A TLS listener playing another IRC server: it logs the client in (without CAP, with its
/// own ISUPPORT) and answers each LIST with the lines the test scripted.
class ListServer : public QObject
{
    Q_OBJECT
public:
    ListServer()
    {
        m_listener.setSslConfiguration(test::testServerSslConfiguration());
        connect(&m_listener, &QSslServer::pendingConnectionAvailable, this, [this] {
            m_socket = qobject_cast<QSslSocket *>(m_listener.nextPendingConnection());
            connect(m_socket, &QSslSocket::readyRead, this, &ListServer::readLines);
        });
        m_listener.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_listener.serverPort(); }

    QList<QByteArray> received;
    /// What each LIST gets, whole lines ("%n" is the client's nick); nothing at all when empty.
    QList<QByteArray> listAnswer;
    /// Whether the connection closes after the answer.
    bool closeAfterList = false;

private:
    void send(const QByteArray &line) { m_socket->write(QByteArray(line).replace("%n", m_nick) + "\r\n"); }

    void readLines()
    {
        while (m_socket->canReadLine()) {
            const QByteArray line = m_socket->readLine().trimmed();
            received << line;
            answer(line);
        }
    }

    void answer(const QByteArray &line)
    {
        const std::optional<Message> message = Message::parse(line);
        if (!message)
            return;
        if (message->command == "CAP") {
            send(":irc.other 421 * CAP :Unknown command");
        } else if (message->command == "NICK") {
            m_nick = message->param(0);
        } else if (message->command == "USER") {
            send(":irc.other 001 %n :Welcome");
            send(":irc.other 005 %n CHANTYPES=#& CHANNELLEN=20 CASEMAPPING=ascii :are supported");
            send(":irc.other 422 %n :MOTD File is missing");
        } else if (message->command == "PING") {
            send(":irc.other PONG irc.other :" + message->param(0));
        } else if (message->command == "LIST") {
            for (const QByteArray &answerLine : std::as_const(listAnswer))
                send(answerLine);
            if (closeAfterList)
                m_socket->disconnectFromHost();
        }
    }

    QSslServer m_listener;
    QSslSocket *m_socket = nullptr;
    QByteArray m_nick;
};

/// The rows of @p directory, one "name members topic [joined]" string each.
QStringList rows(const ChannelDirectory &directory)
{
    QStringList result;
    for (int row = 0; row < directory.rowCount(); ++row) {
        const QModelIndex index = directory.index(row);
        QString line = QStringLiteral("%1 %2 %3")
                           .arg(directory.data(index, ChannelDirectory::NameRole).toString())
                           .arg(directory.data(index, ChannelDirectory::MembersRole).toInt())
                           .arg(directory.data(index, ChannelDirectory::TopicRole).toString());
        if (directory.data(index, ChannelDirectory::JoinedRole).toBool())
            line += QStringLiteral(" [joined]");
        result << line.simplified();
    }
    return result;
}

QStringList names(const ChannelDirectory &directory)
{
    QStringList result;
    for (int row = 0; row < directory.rowCount(); ++row)
        result << directory.nameAt(row);
    return result;
}

const QByteArray kRustTopic = "All about \x02Rust\x02, in \x03" "04,01colour\x03 and more";

} // namespace

// Logs in and stops the test function when that failed.
#define LOGIN(session, port)                                                                       \
    do {                                                                                           \
        login(session, port);                                                                      \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

/// @brief A server with five channels: alice (the session) in #lobby and #qt.
struct Populated
{
    TestServer server;
    std::unique_ptr<test::TestIrcClient> bob, carol, dave;
    ChatSession session;
    ChannelDirectory &directory = *session.channelDirectory();
};

class tst_ChannelDirectory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void refreshListsChannelsBusiestFirst();
    void filter_data();
    void filter();
    void unaskedListIsIgnored();
    void joinedFollowsTheConversations();
    void typedNameIsCreatedByJoining();
    void validation_data();
    void validation();
    void serverNameRules();
    void otherServerFormatsAndHundreds();
    void refusedList_data();
    void refusedList();
    void disconnectMidListKeepsTheLastList();
    void silentServerTimesOut();
    void refreshWhileOffline();

private:
    void login(ChatSession &session, quint16 port, const QString &nick = QStringLiteral("alice"));
    /// The five channels of Populated, the session logged in and in #qt; nothing listed yet.
    void populate(Populated &world);
    /// Refreshes and waits for the answer; fails the test when it did not end well.
    void refreshed(ChannelDirectory &directory);
    test::PrivateUserDirs m_userDirs;
};

void tst_ChannelDirectory::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_channeldirectory"));
    QVERIFY(m_userDirs.isValid()); // pins and settings of this process only
}

void tst_ChannelDirectory::init()
{
    QSettings().clear();
}

void tst_ChannelDirectory::login(ChatSession &session, quint16 port, const QString &nick)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick);
    QTRY_VERIFY2_WITH_TIMEOUT(session.state() == ChatSession::State::AwaitingTrust
                                  || session.state() == ChatSession::State::Connected,
                              qPrintable(session.errorText()), 10000);
    if (session.state() == ChatSession::State::AwaitingTrust)
        session.trustCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
}

void tst_ChannelDirectory::populate(Populated &world)
{
    QVERIFY(world.server.isListening());
    world.bob = world.server.registeredClient("bob");
    world.carol = world.server.registeredClient("carol");
    world.dave = world.server.registeredClient("dave");
    QVERIFY(world.bob && world.carol && world.dave);
    // bob founds #rust and #qt (so may set their topics) before the others come.
    world.bob->sendLine("JOIN #rust,#qt");
    world.bob->sendLine("TOPIC #rust :" + kRustTopic);
    world.bob->sendLine("TOPIC #qt :Qt and QML");
    QVERIFY(world.bob->sync());
    world.carol->sendLine("JOIN #rust,#qt");
    world.dave->sendLine("JOIN #rust,#zeta,#alpha");
    world.dave->sendLine("TOPIC #alpha :Before #zeta, after nothing");
    QVERIFY(test::settled({world.bob.get(), world.carol.get(), world.dave.get()}));
    LOGIN(world.session, world.server.port());
    QTRY_COMPARE_WITH_TIMEOUT(world.session.room(), QStringLiteral("#lobby"), 10000);
    world.session.send(QStringLiteral("/join #qt"));
    QTRY_COMPARE_WITH_TIMEOUT(world.session.room(), QStringLiteral("#qt"), 10000);
}

void tst_ChannelDirectory::refreshed(ChannelDirectory &directory)
{
    directory.refresh();
    QVERIFY(directory.loading());
    QTRY_VERIFY_WITH_TIMEOUT(!directory.loading(), 10000);
    QCOMPARE(directory.errorText(), QString());
}

void tst_ChannelDirectory::refreshListsChannelsBusiestFirst()
{
    Populated world;
    populate(world);
    if (QTest::currentTestFailed())
        return;
    ChannelDirectory &directory = world.directory;
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(directory.rowCount(), 0);
    QSignalSpy inserted(&directory, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&directory, &QAbstractItemModel::modelReset);
    QSignalSpy loading(&directory, &ChannelDirectory::loadingChanged);
    refreshed(directory);
    QCOMPARE(loading.count(), 2); // on, then off
    // Most members first, then by name; topics without formatting; the channels alice is in marked.
    QCOMPARE(rows(directory), (QStringList{
                                  "#lobby 4 [joined]",
                                  "#qt 3 Qt and QML [joined]",
                                  "#rust 3 All about Rust, in colour and more",
                                  "#alpha 1 Before #zeta, after nothing",
                                  "#zeta 1",
                              }));
    // All at once at the end of the list: one insertion, no reset, no row at a time.
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 4);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(directory.count(), 5);
    QCOMPARE(directory.total(), 5);
    QCOMPARE(directory.bestRow(), 0);

    // A second refresh replaces the list in one step with what changed meanwhile.
    world.dave->sendLine("PART #zeta");
    world.carol->sendLine("JOIN #alpha");
    QVERIFY(test::settled({world.dave.get(), world.carol.get()}));
    refreshed(directory);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(names(directory), (QStringList{"#lobby", "#qt", "#rust", "#alpha"}));
    QCOMPARE(directory.data(directory.index(3), ChannelDirectory::MembersRole).toInt(), 2);
}

void tst_ChannelDirectory::filter_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("bestRow");
    QTest::addColumn<QString>("newChannel");

    const QStringList all{"#lobby", "#qt", "#rust", "#alpha", "#zeta"};
    QTest::newRow("nothing typed") << QString() << all << 0 << QString();
    QTest::newRow("name in another case") << "RUST" << QStringList{"#rust"} << 0 << QString();
    QTest::newRow("a word of the topic") << "qml" << QStringList{"#qt"} << 0 << "#qml";
    QTest::newRow("formatting is not in the way") << "rust, in colour" << QStringList{"#rust"} << 0 << QString();
    QTest::newRow("with the hash") << "#l" << QStringList{"#lobby"} << 0 << "#l";
    QTest::newRow("spaces around") << "  lobby  " << QStringList{"#lobby"} << 0 << QString();
    // #alpha's topic names #zeta, and comes first; the channel named exactly is the one offered.
    QTest::newRow("exact name after another") << "zeta" << QStringList{"#alpha", "#zeta"} << 1 << QString();
    QTest::newRow("no match: a new channel") << "zzz" << QStringList{} << -1 << "#zzz";
    QTest::newRow("no match, not a name") << "two words" << QStringList{} << -1 << QString();
}

void tst_ChannelDirectory::filter()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    QFETCH(int, bestRow);
    QFETCH(QString, newChannel);
    Populated world;
    populate(world);
    if (QTest::currentTestFailed())
        return;
    ChannelDirectory &directory = world.directory;
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    refreshed(directory);
    QSignalSpy reset(&directory, &QAbstractItemModel::modelReset);
    QSignalSpy results(&directory, &ChannelDirectory::resultsChanged);

    directory.setFilter(filter);
    QCOMPARE(names(directory), expected);
    QCOMPARE(directory.count(), expected.size());
    QCOMPARE(directory.total(), 5);
    QCOMPARE(directory.bestRow(), bestRow);
    QCOMPARE(directory.newChannel(), newChannel);
    QCOMPARE(directory.joinTarget(bestRow), bestRow >= 0 ? expected.at(bestRow) : directory.channelName(filter));
    // Filtering moves rows in and out; it never resets the view.
    QCOMPARE(reset.count(), 0);
    QCOMPARE(results.count(), filter.isEmpty() ? 0 : 1);
    directory.setFilter(QString());
    QCOMPARE(names(directory), (QStringList{"#lobby", "#qt", "#rust", "#alpha", "#zeta"}));
    QCOMPARE(reset.count(), 0);
}

void tst_ChannelDirectory::unaskedListIsIgnored()
{
    Populated world;
    populate(world);
    if (QTest::currentTestFailed())
        return;
    ChannelDirectory &directory = world.directory;
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *connection = world.session.findChild<client::IrcConnection *>();
    QVERIFY(connection);
    QList<QByteArray> received;
    connect(connection, &client::IrcConnection::messageReceived, this,
            [&received](const Message &message) { received << message.command; });
    QSignalSpy inserted(&directory, &QAbstractItemModel::rowsInserted);
    QSignalSpy loading(&directory, &ChannelDirectory::loadingChanged);

    // Another part of the client lists the channels: its answer, followed by a round trip, passes
    // by the directory.
    connection->send(Message("LIST"));
    connection->send(Message("PING", {"after-list"}));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("PONG"), 10000);
    QVERIFY(received.contains("322"));
    QVERIFY(received.contains("323"));
    QCOMPARE(directory.rowCount(), 0);
    QCOMPARE(directory.total(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(loading.count(), 0);
    QCOMPARE(directory.errorText(), QString());

    // Its own refresh is heard.
    refreshed(directory);
    QCOMPARE(directory.total(), 5);
}

void tst_ChannelDirectory::joinedFollowsTheConversations()
{
    Populated world;
    populate(world);
    if (QTest::currentTestFailed())
        return;
    ChannelDirectory &directory = world.directory;
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    refreshed(directory);
    const QModelIndex rust = directory.index(2);
    QCOMPARE(rust.data(ChannelDirectory::NameRole).toString(), QStringLiteral("#rust"));
    QVERIFY(!rust.data(ChannelDirectory::JoinedRole).toBool());
    QSignalSpy changed(&directory, &QAbstractItemModel::dataChanged);

    world.session.send(QStringLiteral("/join ") + directory.joinTarget(2));
    QTRY_VERIFY_WITH_TIMEOUT(rust.data(ChannelDirectory::JoinedRole).toBool(), 10000);
    QCOMPARE(world.session.room(), QStringLiteral("#rust")); // shown once joined
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), rust);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{ChannelDirectory::JoinedRole});

    // Leaving it (closing its conversation) takes the mark away.
    world.session.closeConversation(world.session.conversations()->indexOf(QStringLiteral("#rust")));
    QTRY_VERIFY(!rust.data(ChannelDirectory::JoinedRole).toBool());
    QVERIFY(directory.index(1).data(ChannelDirectory::JoinedRole).toBool()); // #qt, still
}

void tst_ChannelDirectory::typedNameIsCreatedByJoining()
{
    Populated world;
    populate(world);
    if (QTest::currentTestFailed())
        return;
    ChannelDirectory &directory = world.directory;
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    refreshed(directory);
    directory.setFilter(QStringLiteral("brand-new"));
    QCOMPARE(directory.count(), 0);
    QCOMPARE(directory.bestRow(), -1);
    QCOMPARE(directory.newChannel(), QStringLiteral("#brand-new"));
    const QString target = directory.joinTarget(-1);
    QCOMPARE(target, QStringLiteral("#brand-new"));
    QCOMPARE(directory.validateName(target), QString());

    // Joining a name nobody uses creates the channel on IRC, and shows it.
    world.session.send(QStringLiteral("/join ") + target);
    QTRY_COMPARE_WITH_TIMEOUT(world.session.room(), QStringLiteral("#brand-new"), 10000);
    refreshed(directory);
    QCOMPARE(rows(directory), QStringList{"#brand-new 1 [joined]"});
    QCOMPARE(directory.newChannel(), QString()); // it exists now
    QCOMPARE(directory.bestRow(), 0);
    QCOMPARE(directory.total(), 6);
}

void tst_ChannelDirectory::validation_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error"); // a part of the sentence; empty: valid

    QTest::newRow("a word") << "rust" << "#rust" << QString();
    QTest::newRow("with the hash") << "#rust" << "#rust" << QString();
    QTest::newRow("spaces around") << "  #rust\t " << "#rust" << QString();
    QTest::newRow("two hashes") << "##c" << "##c" << QString();
    QTest::newRow("letters outside ASCII") << "café" << "#café" << QString();
    QTest::newRow("longest") << QString(49, QLatin1Char('x')) << "#" + QString(49, QLatin1Char('x')) << QString();

    QTest::newRow("empty") << "" << "" << "Type the name of a channel.";
    QTest::newRow("only spaces") << "   " << "" << "Type the name of a channel.";
    QTest::newRow("only the hash") << "#" << "#" << "Type a name after the #.";
    QTest::newRow("a space") << "my room" << "#my room" << "cannot contain spaces";
    QTest::newRow("a comma") << "#a,#b" << "#a,#b" << "cannot contain a comma";
    QTest::newRow("a colon") << "#a:b" << "#a:b" << "cannot contain a colon";
    QTest::newRow("a tab inside") << "#a\tb" << "#a\tb" << "cannot contain control characters";
    QTest::newRow("a bell") << "#ding\a" << "#ding\a" << "cannot contain control characters";
    QTest::newRow("a formatting code") << "#\x02" "bold" << "#\x02" "bold" << "cannot contain control characters";
    QTest::newRow("too long") << QString(50, QLatin1Char('x')) << "#" + QString(50, QLatin1Char('x'))
                              << "too long: this server allows 50 bytes, and it has 51";
    // 25 characters, 51 bytes.
    QTest::newRow("too long in bytes") << QString(25, QChar(0xe9)) << "#" + QString(25, QChar(0xe9))
                                       << "too long: this server allows 50 bytes, and it has 51";
}

void tst_ChannelDirectory::validation()
{
    QFETCH(QString, typed);
    QFETCH(QString, name);
    QFETCH(QString, error);
    // Not connected: the rules of RFC 2812 ('#', 50 bytes).
    ChatSession session;
    const ChannelDirectory &directory = *session.channelDirectory();
    QCOMPARE(directory.channelName(typed), name);
    const QString said = directory.validateName(typed);
    if (error.isEmpty()) {
        QCOMPARE(said, QString());
    } else {
        QVERIFY2(said.contains(error), qPrintable(said));
        QVERIFY(said.endsWith(QLatin1Char('.'))); // a sentence
    }
}

void tst_ChannelDirectory::serverNameRules()
{
    // CHANTYPES=#& CHANNELLEN=20
    ListServer server;
    QVERIFY(server.port() != 0);
    ChatSession session;
    LOGIN(session, server.port());
    const ChannelDirectory &directory = *session.channelDirectory();
    // The server's 005 may come a little after its 001.
    QTRY_COMPARE_WITH_TIMEOUT(directory.channelName(QStringLiteral("&local")), QStringLiteral("&local"), 10000);
    QCOMPARE(directory.validateName(QStringLiteral("&local")), QString());
    QCOMPARE(directory.channelName(QStringLiteral("local")), QStringLiteral("#local"));
    QCOMPARE(directory.validateName(QString(19, QLatin1Char('x'))), QString());
    const QString tooLong = directory.validateName(QString(20, QLatin1Char('x')));
    QVERIFY2(tooLong.contains(QStringLiteral("allows 20 bytes, and it has 21")), qPrintable(tooLong));
}

void tst_ChannelDirectory::otherServerFormatsAndHundreds()
{
    ListServer server;
    // No 321; topics with the channel's modes in front and colours; a secret channel listed as
    // "*"; a count that is not a number; a channel listed twice; 500 ordinary channels.
    server.listAnswer << ":irc.other 322 %n * 9 :secret"
                      << ":irc.other 322 %n #odd many :what a count"
                      << ":irc.other 322 %n &local 7 :[+ntl 20] \x03" "12Local\x03 things";
    for (int i = 0; i < 500; ++i)
        server.listAnswer << ":irc.other 322 %n #c" + QByteArray::number(i).rightJustified(3, '0') + ' '
                                 + QByteArray::number(i % 5) + " :[+nt] Topic " + QByteArray::number(i);
    server.listAnswer << ":irc.other 322 %n #C001 40 :listed twice" << ":irc.other 323 %n :End of /LIST";
    ChatSession session;
    LOGIN(session, server.port());
    ChannelDirectory &directory = *session.channelDirectory();
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&directory, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&directory, &QAbstractItemModel::modelReset);

    // A second refresh while the first is under way sends nothing.
    directory.refresh();
    directory.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!directory.loading(), 10000);
    QCOMPARE(directory.errorText(), QString());
    session.findChild<client::IrcConnection *>()->send(Message("PING", {"after"}));
    QTRY_VERIFY_WITH_TIMEOUT(server.received.contains("PING after") || server.received.contains("PING :after"), 10000);
    QCOMPARE(server.received.count("LIST"), 1);

    QCOMPARE(directory.total(), 502);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 501);
    QCOMPARE(reset.count(), 0);
    const QStringList shown = rows(directory);
    QCOMPARE(shown.first(), QStringLiteral("&local 7 Local things"));
    QCOMPARE(shown.at(1), QStringLiteral("#c004 4 Topic 4"));
    QCOMPARE(shown.at(2), QStringLiteral("#c009 4 Topic 9"));
    QCOMPARE(shown.last(), QStringLiteral("#odd 0 what a count"));
    QVERIFY(!names(directory).contains(QStringLiteral("*")));
    QCOMPARE(names(directory).count(QStringLiteral("#c001")), 1);
    QVERIFY(!names(directory).contains(QStringLiteral("#C001")));
    directory.setFilter(QStringLiteral("topic 49"));
    QCOMPARE(names(directory), (QStringList{"#c049", "#c494", "#c499", "#c493", "#c498", "#c492",
                                            "#c497", "#c491", "#c496", "#c490", "#c495"}));
}

void tst_ChannelDirectory::refusedList_data()
{
    QTest::addColumn<QList<QByteArray>>("answer");
    QTest::addColumn<QString>("said");

    QTest::newRow("no LIST on this server")
        << QList<QByteArray>{":irc.other 421 %n LIST :Unknown command"} << "Unknown command";
    QTest::newRow("busy: try again")
        << QList<QByteArray>{":irc.other 263 %n LIST :Server load is temporarily too heavy"}
        << "Server load is temporarily too heavy";
    QTest::newRow("too long, after a few lines")
        << QList<QByteArray>{":irc.other 321 %n Channel :Users Name", ":irc.other 322 %n #partial 3 :cut",
                             ":irc.other 416 %n LIST :Output too large, truncated"}
        << "Output too large, truncated";
}

void tst_ChannelDirectory::refusedList()
{
    QFETCH(QList<QByteArray>, answer);
    QFETCH(QString, said);
    ListServer server;
    server.listAnswer = {":irc.other 321 %n Channel :Users Name", ":irc.other 322 %n #one 1 :first",
                         ":irc.other 322 %n #two 2 :second", ":irc.other 323 %n :End of /LIST"};
    ChatSession session;
    LOGIN(session, server.port());
    ChannelDirectory &directory = *session.channelDirectory();
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    refreshed(directory);
    QCOMPARE(names(directory), (QStringList{"#two", "#one"}));

    server.listAnswer = answer;
    directory.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!directory.loading(), 10000);
    QVERIFY2(directory.errorText().startsWith(QStringLiteral("The server did not give its list of channels: ")),
             qPrintable(directory.errorText()));
    QVERIFY2(directory.errorText().endsWith(said), qPrintable(directory.errorText()));
    // The last complete list stays; a part of a refused one is not shown.
    QCOMPARE(names(directory), (QStringList{"#two", "#one"}));
    QCOMPARE(session.state(), ChatSession::State::Connected);

    // The next refresh starts afresh.
    server.listAnswer = {":irc.other 322 %n #three 3 :third", ":irc.other 323 %n :End of /LIST"};
    refreshed(directory);
    QCOMPARE(names(directory), QStringList{"#three"});
}

void tst_ChannelDirectory::disconnectMidListKeepsTheLastList()
{
    ListServer server;
    server.listAnswer = {":irc.other 322 %n #one 1 :first", ":irc.other 322 %n #two 2 :second",
                         ":irc.other 323 %n :End of /LIST"};
    ChatSession session;
    session.setReconnectDelay(200);
    LOGIN(session, server.port());
    ChannelDirectory &directory = *session.channelDirectory();
    QAbstractItemModelTester tester(&directory, QAbstractItemModelTester::FailureReportingMode::QtTest);
    refreshed(directory);

    // The connection closes after the start of the next list: what the directory holds when its
    // refresh ends (before any reconnection) is the last complete list, and why it ended.
    server.listAnswer = {":irc.other 321 %n Channel :Users Name", ":irc.other 322 %n #new 9 :never complete"};
    server.closeAfterList = true;
    QStringList whenEnded;
    QString whyEnded;
    connect(&directory, &ChannelDirectory::loadingChanged, this, [&] {
        if (!directory.loading()) {
            whenEnded = names(directory);
            whyEnded = directory.errorText();
        }
    });
    directory.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!whyEnded.isEmpty(), 10000);
    QCOMPARE(whenEnded, (QStringList{"#two", "#one"}));
    QCOMPARE(whyEnded, QStringLiteral("The connection closed before the server finished its list of channels."));

    // Logged in again, perhaps to another server: nothing listed until asked.
    server.closeAfterList = false;
    server.listAnswer = {":irc.other 322 %n #back 1 :again", ":irc.other 323 %n :End of /LIST"};
    QVERIFY(session.state() != ChatSession::State::Connected);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::Connected, 10000);
    QCOMPARE(directory.rowCount(), 0);
    QCOMPARE(directory.errorText(), QString());
    refreshed(directory);
    QCOMPARE(names(directory), QStringList{"#back"});
}

void tst_ChannelDirectory::silentServerTimesOut()
{
    ListServer server; // answers LIST with nothing at all
    ChatSession session;
    LOGIN(session, server.port());
    ChannelDirectory &directory = *session.channelDirectory();
    directory.setListTimeout(300);
    directory.refresh();
    QVERIFY(directory.loading());
    QTRY_VERIFY_WITH_TIMEOUT(!directory.loading(), 10000);
    QCOMPARE(directory.errorText(), QStringLiteral("The server did not finish its list of channels within 0.3 s."));
    QCOMPARE(server.received.count("LIST"), 1);
    // Asking again is possible.
    directory.refresh();
    QVERIFY(directory.loading());
    QCOMPARE(directory.errorText(), QString());
}

void tst_ChannelDirectory::refreshWhileOffline()
{
    ChatSession session;
    ChannelDirectory &directory = *session.channelDirectory();
    QSignalSpy loading(&directory, &ChannelDirectory::loadingChanged);
    directory.refresh();
    QVERIFY(!directory.loading());
    QCOMPARE(loading.count(), 0);
    QVERIFY2(directory.errorText().startsWith(QStringLiteral("Not connected")), qPrintable(directory.errorText()));
    QCOMPARE(directory.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ChannelDirectory)
#include "tst_channeldirectory.moc"
