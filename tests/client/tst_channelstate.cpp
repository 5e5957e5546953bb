// A channel as the client knows it (ChannelState, ChannelTracker): topic, modes, bans, operator
// status and away members, and what an operator does from the window, against the real tktalk
// server in-process over TLS. What the server announces is observed on scripted clients.

#include "channelsettings.h"
#include "channelstate.h"
#include "chatsession.h"
#include "privateuserdirs.h"
#include "testserver.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace tktalk;
using client::ChannelSettings;
using client::ChannelState;
using client::ChatSession;
using client::MessageModel;
using client::UserModel;
using protocol::Message;
using protocol::ModeChange;
using test::TestIrcClient;
using test::TestServer;

namespace {

/// The message from @p nick with @p command whose parameters are @p params.
TestIrcClient::Predicate from(const QByteArray &nick, const QByteArray &command, const QByteArrayList &params)
{
    return [=](const Message &m) { return m.command == command && m.sourceNick() == nick && m.params == params; };
}

/// How many lines of the current conversation contain @p text (of @p kind, when given).
int shown(ChatSession &session, const QString &text, std::optional<MessageModel::Kind> kind = std::nullopt)
{
    const MessageModel &messages = *session.messages();
    int count = 0;
    for (int row = 0; row < messages.rowCount(); ++row) {
        if (messages.at(row).text.contains(text) && (!kind || messages.at(row).kind == *kind))
            ++count;
    }
    return count;
}

/// The parameters of the MODE lines in @p messages.
QList<QByteArrayList> modeLines(const QList<Message> &messages)
{
    QList<QByteArrayList> lines;
    for (const Message &message : messages) {
        if (message.command == "MODE")
            lines << message.params;
    }
    return lines;
}

QVariantMap map(std::initializer_list<std::pair<QString, QVariant>> entries)
{
    QVariantMap result;
    for (const auto &[key, value] : entries)
        result.insert(key, value);
    return result;
}

} // namespace

class tst_ChannelState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void settingsChanges_data();
    void settingsChanges();
    void topicAndModesKnownAfterJoin();
    void othersChangesFollowed();
    void operatorStatusFollowsTheList();
    void applySendsOnlyTheChanges_data();
    void applySendsOnlyTheChanges();
    void badSettingsSendNothing_data();
    void badSettingsSendNothing();
    void memberActionsReachTheServer();
    void banListFetchedAndFollowed();
    void refusedBanListStopsLoading();
    void nonOperatorIsRefused();
    void badMemberInputSendsNothing_data();
    void badMemberInputSendsNothing();
    void outOfTheChannelNothingIsSent();
    void awayFromWhoAndAwayNotify();
    void whoisShowsWhoTheyAre();

private:
    /// Logs @p session in as @p nick and waits until it is in #lobby with its modes known.
    static bool login(ChatSession &session, quint16 port, const QString &nick);
    static ChannelState *lobby(ChatSession &session);
    test::PrivateUserDirs m_userDirs;
};

void tst_ChannelState::initTestCase()
{
    QVERIFY(m_userDirs.isValid()); // pins and settings of this process only
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_channelstate"));
}

void tst_ChannelState::init()
{
    QSettings().clear();
}

bool tst_ChannelState::login(ChatSession &session, quint16 port, const QString &nick)
{
    session.connectToServer(QStringLiteral("127.0.0.1"), port, nick);
    if (!QTest::qWaitFor([&] { return session.state() == ChatSession::State::AwaitingTrust; }, 10'000))
        return false;
    session.trustCertificate();
    return QTest::qWaitFor(
        [&] {
            return session.room() == QStringLiteral("#lobby") && session.users()->contains(nick)
                   && lobby(session)->modesKnown();
        },
        10'000);
}

ChannelState *tst_ChannelState::lobby(ChatSession &session)
{
    client::Conversation *conversation = session.conversations()->find(QStringLiteral("#lobby"));
    return conversation ? conversation->channel() : nullptr;
}

void tst_ChannelState::settingsChanges_data()
{
    QTest::addColumn<QByteArray>("currentFlags");
    QTest::addColumn<QString>("currentKey");
    QTest::addColumn<int>("currentLimit");
    QTest::addColumn<QByteArray>("wantedFlags");
    QTest::addColumn<QString>("wantedKey");
    QTest::addColumn<int>("wantedLimit");
    QTest::addColumn<QList<QByteArrayList>>("lines"); // as formatModeLines writes them, 3 per line

    QTest::newRow("nothing") << QByteArray("nt") << "" << 0 << QByteArray("tn") << "" << 0 << QList<QByteArrayList>{};
    QTest::newRow("flags both ways") << QByteArray("nt") << "" << 0 << QByteArray("imn") << "" << 0
                                     << QList<QByteArrayList>{{"+im-t"}};
    QTest::newRow("other letters left alone") << QByteArray("ntpr") << "" << 0 << QByteArray("nt") << "" << 0
                                              << QList<QByteArrayList>{};
    QTest::newRow("key and limit set") << QByteArray() << "" << 0 << QByteArray() << "sesame" << 10
                                       << QList<QByteArrayList>{{"+kl", "sesame", "10"}};
    QTest::newRow("key changed") << QByteArray() << "old" << 0 << QByteArray() << "new" << 0
                                 << QList<QByteArrayList>{{"-k+k", "old", "new"}};
    QTest::newRow("key and limit removed") << QByteArray() << "old" << 5 << QByteArray() << "" << 0
                                           << QList<QByteArrayList>{{"-kl", "old"}};
    QTest::newRow("limit changed") << QByteArray() << "" << 5 << QByteArray() << "" << 50
                                   << QList<QByteArrayList>{{"+l", "50"}};
    QTest::newRow("more than a line") << QByteArray("nt") << "a" << 0 << QByteArray("ims") << "b" << 2
                                      << QList<QByteArrayList>{{"+im-n"}, {"+s-tk", "a"}, {"+kl", "b", "2"}};
}

void tst_ChannelState::settingsChanges()
{
    QFETCH(QByteArray, currentFlags);
    QFETCH(QString, currentKey);
    QFETCH(int, currentLimit);
    QFETCH(QByteArray, wantedFlags);
    QFETCH(QString, wantedKey);
    QFETCH(int, wantedLimit);
    QFETCH(QList<QByteArrayList>, lines);
    const ChannelSettings current{currentFlags, currentKey, currentLimit};
    const ChannelSettings wanted{wantedFlags, wantedKey, wantedLimit};
    QVERIFY(client::settingsProblem(wanted).isEmpty());
    QCOMPARE(protocol::formatModeLines(client::settingsChanges(current, wanted), 3, 400), lines);
}

void tst_ChannelState::topicAndModesKnownAfterJoin()
{
    TestServer server;
    auto bob = server.registeredClient("bob"); // founds #lobby: its operator
    QVERIFY(bob);
    bob->sendLine("TOPIC #lobby :Welcome to the lobby");
    bob->sendLine("MODE #lobby +ml 10"); // a key would keep alice out: othersChangesFollowed has one
    QVERIFY(bob->waitFor(from("bob", "MODE", {"#lobby", "+ml", "10"})));

    ChatSession session;
    session.connectToServer(QStringLiteral("127.0.0.1"), server.port(), QStringLiteral("alice"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), ChatSession::State::AwaitingTrust, 10000);
    session.trustCertificate();
    QTRY_VERIFY_WITH_TIMEOUT(lobby(session) && lobby(session)->modesKnown(), 10000);
    ChannelState &channel = *lobby(session);
    QCOMPARE(channel.topic(), QStringLiteral("Welcome to the lobby"));
    QCOMPARE(channel.topicSetBy(), QStringLiteral("bob"));
    QVERIFY(channel.topicSetAt().isValid());
    QVERIFY(qAbs(channel.topicSetAt().secsTo(QDateTime::currentDateTimeUtc())) < 3600);
    QCOMPARE(channel.modeText(), QStringLiteral("+lmnt 10"));
    QCOMPARE(channel.key(), QString());
    QCOMPARE(channel.limit(), 10);
    QVERIFY(channel.topicLocked() && channel.noExternalMessages() && channel.moderated());
    QVERIFY(!channel.inviteOnly() && !channel.secret());
    QTRY_VERIFY(session.users()->contains(QStringLiteral("alice")));
    QVERIFY(!channel.isOperator());
    QVERIFY(!channel.canSetTopic()); // +t, and not an operator
    // The modes were asked for by the client, not the user: not a line in the transcript.
    QCOMPARE(shown(session, QStringLiteral("Modes of #lobby")), 0);
    QCOMPARE(shown(session, QStringLiteral("Topic of #lobby: Welcome to the lobby")), 1);
    // The user's own /mode still answers in the transcript.
    QCOMPARE(session.send(QStringLiteral("/mode")), ChatSession::SendResult::Sent);
    QTRY_COMPARE(shown(session, QStringLiteral("Modes of #lobby: +lmnt 10")), 1);
}

void tst_ChannelState::othersChangesFollowed()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    QCOMPARE(channel.modeText(), QStringLiteral("+nt"));
    QVERIFY(!channel.canSetTopic());
    QSignalSpy modes(&channel, &ChannelState::modesChanged);
    QSignalSpy topic(&channel, &ChannelState::topicChanged);
    QSignalSpy canSetTopic(&channel, &ChannelState::canSetTopicChanged);

    bob->sendLine("MODE #lobby +im-t+k sesame");
    QTRY_COMPARE(channel.modeText(), QStringLiteral("+ikmn sesame"));
    QCOMPARE(modes.count(), 1);
    QVERIFY(channel.inviteOnly() && channel.moderated() && !channel.topicLocked());
    QCOMPARE(channel.key(), QStringLiteral("sesame"));
    // -t: anyone may set the topic now.
    QVERIFY(channel.canSetTopic());
    QCOMPARE(canSetTopic.count(), 1);

    bob->sendLine("TOPIC #lobby :Release on Friday");
    QTRY_COMPARE(channel.topic(), QStringLiteral("Release on Friday"));
    QCOMPARE(channel.topicSetBy(), QStringLiteral("bob"));
    QVERIFY(channel.topicSetAt().isValid());
    bob->sendLine("MODE #lobby -k+l sesame 3");
    QTRY_COMPARE(channel.modeText(), QStringLiteral("+ilmn 3"));
    QCOMPARE(channel.key(), QString());
    QCOMPARE(channel.limit(), 3);
    bob->sendLine("TOPIC #lobby :");
    QTRY_COMPARE(channel.topic(), QString());
    QCOMPARE(topic.count(), 2);
    // Anyone may set it under -t: alice does.
    QCOMPARE(channel.setTopic(QStringLiteral("mine\nnow")), QString());
    QVERIFY(bob->waitFor(from("alice", "TOPIC", {"#lobby", "mine now"})));
    QTRY_COMPARE(channel.topic(), QStringLiteral("mine now"));
    QCOMPARE(channel.topicSetBy(), QStringLiteral("alice"));
}

void tst_ChannelState::operatorStatusFollowsTheList()
{
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice"))); // founds #lobby
    ChannelState &channel = *lobby(session);
    QTRY_VERIFY(channel.isOperator());
    QVERIFY(channel.canSetTopic());
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QSignalSpy operatorSpy(&channel, &ChannelState::operatorChanged);
    QCOMPARE(channel.op(QStringLiteral("bob")), QString());
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+o", "bob"})));
    QTRY_COMPARE(session.users()->prefixesOf(QStringLiteral("bob")), QStringLiteral("@"));
    bob->sendLine("MODE #lobby -o alice");
    QTRY_VERIFY(!channel.isOperator());
    QVERIFY(!channel.canSetTopic()); // +t
    QCOMPARE(operatorSpy.count(), 1);
    // Leaving forgets what held while in the channel.
    bob->sendLine("MODE #lobby +o alice");
    QTRY_VERIFY(channel.isOperator());
    bob->sendLine("KICK #lobby alice :out");
    QTRY_VERIFY(!session.conversations()->find(QStringLiteral("#lobby"))->joined());
    QVERIFY(!channel.isOperator());
    QVERIFY(!channel.modesKnown());
    QCOMPARE(channel.modeText(), QString());
    QVERIFY(!channel.canSetTopic());
}

void tst_ChannelState::applySendsOnlyTheChanges_data()
{
    QTest::addColumn<QVariantMap>("before"); // applied first (alice founded #lobby: +nt)
    QTest::addColumn<QVariantMap>("wanted");
    QTest::addColumn<QList<QByteArrayList>>("announced"); // the MODE lines bob sees
    QTest::addColumn<QString>("modeText");                 // what alice knows afterwards

    QTest::newRow("nothing changed") << QVariantMap() << map({{"topicLocked", true}, {"noExternalMessages", true}})
                                     << QList<QByteArrayList>{} << "+nt";
    QTest::newRow("one flag") << QVariantMap() << map({{"inviteOnly", true}})
                              << QList<QByteArrayList>{{"#lobby", "+i"}} << "+int";
    QTest::newRow("flags both ways") << QVariantMap()
                                     << map({{"moderated", true}, {"topicLocked", false}, {"secret", true}})
                                     << QList<QByteArrayList>{{"#lobby", "+ms-t"}} << "+mns";
    QTest::newRow("key and limit") << QVariantMap() << map({{"key", "sesame"}, {"limit", 25}})
                                   << QList<QByteArrayList>{{"#lobby", "+kl", "sesame", "25"}} << "+klnt sesame 25";
    QTest::newRow("key and limit removed") << map({{"key", "sesame"}, {"limit", 25}})
                                           << map({{"key", ""}, {"limit", 0}})
                                           << QList<QByteArrayList>{{"#lobby", "-kl", "sesame"}} << "+nt";
    // Eight changes, and the server's MODES=6: two lines.
    QTest::newRow("more than MODES allows")
        << map({{"key", "old"}, {"limit", 5}})
        << map({{"inviteOnly", true}, {"moderated", true}, {"noExternalMessages", false}, {"secret", true},
                {"topicLocked", false}, {"key", "new"}, {"limit", 9}})
        << QList<QByteArrayList>{{"#lobby", "+im-n+s-tk", "old"}, {"#lobby", "+kl", "new", "9"}} << "+iklms new 9";
}

void tst_ChannelState::applySendsOnlyTheChanges()
{
    QFETCH(QVariantMap, before);
    QFETCH(QVariantMap, wanted);
    QFETCH(QList<QByteArrayList>, announced);
    QFETCH(QString, modeText);
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    QTRY_VERIFY(channel.isOperator());
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QTRY_VERIFY(session.users()->contains(QStringLiteral("bob")));
    if (!before.isEmpty()) {
        QCOMPARE(channel.setModes(before), QString());
        QVERIFY(bob->waitForCommand("MODE"));
        QTRY_VERIFY(channel.modeText().contains(QLatin1Char('k')));
    }
    QVERIFY(bob->sync());
    QCOMPARE(channel.applySettings(wanted), QString());
    QTRY_COMPARE(channel.modeText(), modeText);
    const auto seen = bob->sync();
    QVERIFY(seen);
    QCOMPARE(modeLines(*seen), announced);
    QCOMPARE(seen->size(), announced.size()); // nothing else: no TOPIC, the topic did not change
}

void tst_ChannelState::badSettingsSendNothing_data()
{
    QTest::addColumn<QVariantMap>("wanted");
    QTest::addColumn<QString>("error");
    QTest::newRow("key with a space") << map({{"inviteOnly", true}, {"key", "two words"}})
                                      << "The key cannot contain spaces or commas.";
    QTest::newRow("key with a comma") << map({{"key", "a,b"}}) << "The key cannot contain spaces or commas.";
    QTest::newRow("key with ':' first") << map({{"key", ":x"}}) << "The key cannot start with ':'.";
    QTest::newRow("negative limit") << map({{"limit", -1}}) << "The limit must be a positive number, or none.";
    QTest::newRow("limit not a number") << map({{"limit", "many"}})
                                        << "The limit must be a positive number, or none.";
    QTest::newRow("with a new topic") << map({{"topic", "not sent either"}, {"key", "a b"}})
                                      << "The key cannot contain spaces or commas.";
}

void tst_ChannelState::badSettingsSendNothing()
{
    QFETCH(QVariantMap, wanted);
    QFETCH(QString, error);
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QTRY_VERIFY(session.users()->contains(QStringLiteral("bob")));
    QVERIFY(bob->sync());
    QCOMPARE(channel.applySettings(wanted), error);
    // The sender is told (the dialog shows the answer), the others hear nothing, the server serves.
    QVERIFY(bob->receivedNothing());
    QCOMPARE(channel.modeText(), QStringLiteral("+nt"));
    QCOMPARE(channel.topic(), QString());
    QCOMPARE(session.send(QStringLiteral("still here")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "PRIVMSG", {"#lobby", "still here"})));
}

void tst_ChannelState::memberActionsReachTheServer()
{
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    QTRY_VERIFY(channel.isOperator());
    auto bob = server.registeredClient("bob");
    auto carol = server.registeredClient("carol");
    QVERIFY(bob && carol);
    QTRY_COMPARE(session.users()->namesWithPrefixes(), (QStringList{"@alice", "bob", "carol"}));

    QCOMPARE(channel.op(QStringLiteral("bob")), QString());
    QVERIFY(carol->waitFor(from("alice", "MODE", {"#lobby", "+o", "bob"})));
    QCOMPARE(channel.voice(QStringLiteral("carol")), QString());
    QVERIFY(carol->waitFor(from("alice", "MODE", {"#lobby", "+v", "carol"})));
    QTRY_COMPARE(session.users()->namesWithPrefixes(), (QStringList{"@alice", "@bob", "+carol"}));
    QCOMPARE(channel.deop(QStringLiteral("bob")), QString());
    QCOMPARE(channel.devoice(QStringLiteral("carol")), QString());
    QVERIFY(carol->waitFor(from("alice", "MODE", {"#lobby", "-o", "bob"})));
    QVERIFY(carol->waitFor(from("alice", "MODE", {"#lobby", "-v", "carol"})));
    QTRY_COMPARE(session.users()->namesWithPrefixes(), (QStringList{"@alice", "bob", "carol"}));

    // The kicked one sees KICK with the reason; the list and the transcript follow.
    QCOMPARE(channel.kick(QStringLiteral("carol"), QStringLiteral("be\nnice")), QString());
    QVERIFY(carol->waitFor(from("alice", "KICK", {"#lobby", "carol", "be nice"})));
    QTRY_COMPARE(session.users()->namesWithPrefixes(), (QStringList{"@alice", "bob"}));
    QVERIFY(shown(session, QStringLiteral("alice put carol out (be nice).")) == 1);

    // Ban and kick: the ban first, so that bob cannot come straight back.
    QCOMPARE(channel.kickBan(QStringLiteral("bob"), QStringLiteral("spam")), QString());
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+b", "bob!*@*"})));
    QVERIFY(bob->waitFor(from("alice", "KICK", {"#lobby", "bob", "spam"})));
    bob->sendLine("JOIN #lobby");
    QVERIFY(bob->waitFor(test::commandWithParam("474", 1, "#lobby")));
    QCOMPARE(channel.unban(QStringLiteral("bob!*@*")), QString());
    QTRY_COMPARE(shown(session, QStringLiteral("alice sets mode -b bob!*@*.")), 1);
    bob->sendLine("JOIN #lobby");
    QVERIFY(bob->waitFor(from("bob", "JOIN", {"#lobby"})));
    QTRY_VERIFY(session.users()->contains(QStringLiteral("bob")));
    QCOMPARE(shown(session, QStringLiteral("Banned from")), 0);
}

void tst_ChannelState::banListFetchedAndFollowed()
{
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    QTRY_VERIFY(channel.isOperator());
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QCOMPARE(channel.ban(QStringLiteral("troll")), QString()); // the server makes it troll!*@*
    QCOMPARE(channel.ban(QStringLiteral("*!*@10.0.0.*")), QString());
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+b", "*!*@10.0.0.*"})));
    QVERIFY(!channel.bansKnown());
    QCOMPARE(channel.bans()->count(), 0); // not known until asked for

    QSignalSpy bansSpy(&channel, &ChannelState::bansChanged);
    channel.requestBans();
    QVERIFY(channel.bansLoading());
    channel.requestBans(); // once is enough
    QTRY_VERIFY(channel.bansKnown());
    QVERIFY(!channel.bansLoading());
    QCOMPARE(channel.bans()->masks(), (QStringList{"troll!*@*", "*!*@10.0.0.*"}));
    const QModelIndex first = channel.bans()->index(0);
    QCOMPARE(channel.bans()->data(first, client::BanListModel::SetByRole).toString().section(QLatin1Char('!'), 0, 0),
             QStringLiteral("alice"));
    QVERIFY(channel.bans()->data(first, client::BanListModel::SetAtRole).toDateTime().isValid());
    // Asked by the client for the dialog: not lines in the transcript.
    QCOMPARE(shown(session, QStringLiteral("Banned from")), 0);

    // Others' +b and -b keep it up to date.
    channel.op(QStringLiteral("bob"));
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+o", "bob"})));
    bob->sendLine("MODE #lobby +b-b spammer troll!*@*");
    QTRY_COMPARE(channel.bans()->masks(), (QStringList{"*!*@10.0.0.*", "spammer!*@*"}));
    QCOMPARE(channel.bans()->data(channel.bans()->index(1), client::BanListModel::SetByRole).toString(),
             QStringLiteral("bob"));
    QCOMPARE(channel.unban(QStringLiteral("*!*@10.0.0.*")), QString());
    QTRY_COMPARE(channel.bans()->masks(), QStringList{"spammer!*@*"});
    // The user's own /mode b is shown as before.
    QCOMPARE(session.send(QStringLiteral("/mode b")), ChatSession::SendResult::Sent);
    QTRY_COMPARE(shown(session, QStringLiteral("Banned from #lobby: spammer!*@*")), 1);
    QCOMPARE(channel.bans()->masks(), QStringList{"spammer!*@*"});
}

void tst_ChannelState::refusedBanListStopsLoading()
{
    // A server that lists bans to operators only answers 482 instead (tktalk lists them to members).
    client::Conversation conversation(client::Conversation::Kind::Channel, QStringLiteral("#dev"));
    ChannelState &channel = *conversation.channel();
    QSignalSpy sent(&channel, &ChannelState::sendRequested);
    channel.requestBans();
    QCOMPARE(sent.count(), 0); // not in the channel: nothing to ask
    conversation.setJoined(true);
    channel.requestBans();
    QCOMPARE(sent.count(), 1);
    QCOMPARE(sent.at(0).at(0).value<Message>(), Message("MODE", {"#dev", "b"}));
    QVERIFY(channel.bansLoading());
    QVERIFY(channel.expectsReply("367"));
    channel.requestRefused();
    QVERIFY(!channel.bansLoading());
    QVERIFY(!channel.bansKnown());
    QVERIFY(!channel.expectsReply("367"));
    // It can be asked again.
    channel.requestBans();
    QCOMPARE(sent.count(), 2);
}

void tst_ChannelState::nonOperatorIsRefused()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    QTRY_COMPARE(session.users()->namesWithPrefixes(), (QStringList{"@bob", "alice"}));
    QVERIFY(!channel.isOperator());
    QVERIFY(bob->sync());
    // Sent as asked: the server decides, and its refusal is shown.
    QCOMPARE(channel.kick(QStringLiteral("bob"), QStringLiteral("bye")), QString());
    QTRY_COMPARE(shown(session, QStringLiteral("#lobby: You're not channel operator"), MessageModel::Kind::Error), 1);
    QCOMPARE(channel.applySettings(map({{"inviteOnly", true}, {"topic", "mine"}})), QString());
    QCOMPARE(channel.op(QStringLiteral("alice")), QString());
    QTRY_COMPARE(shown(session, QStringLiteral("#lobby: You're not channel operator"), MessageModel::Kind::Error), 4);
    // Nothing changed, and bob heard nothing.
    QVERIFY(bob->receivedNothing());
    QCOMPARE(channel.modeText(), QStringLiteral("+nt"));
    QCOMPARE(channel.topic(), QString());
    QCOMPARE(session.users()->namesWithPrefixes(), (QStringList{"@bob", "alice"}));
    QCOMPARE(session.state(), ChatSession::State::Connected);
}

void tst_ChannelState::badMemberInputSendsNothing_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("error");
    QTest::newRow("kick nobody") << "kick" << "" << "\"\" is not a valid nickname.";
    QTest::newRow("kick ':x'") << "kick" << ":x" << "\":x\" is not a valid nickname.";
    QTest::newRow("op two words") << "op" << "a b" << "\"a b\" is not a valid nickname.";
    QTest::newRow("voice a channel") << "voice" << "#lobby" << "\"#lobby\" is not a valid nickname.";
    QTest::newRow("whois a channel") << "whois" << "#lobby" << "\"#lobby\" is not a valid nickname.";
    QTest::newRow("ban two words") << "ban" << "a b" << "\"a b\" is not a mask";
    QTest::newRow("ban ':x'") << "ban" << ":x" << "\":x\" cannot be sent";
    QTest::newRow("unban nothing") << "unban" << " " << "\"\" is not a mask";
}

void tst_ChannelState::badMemberInputSendsNothing()
{
    QFETCH(QString, action);
    QFETCH(QString, argument);
    QFETCH(QString, error);
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QTRY_VERIFY(session.users()->contains(QStringLiteral("bob")));
    QVERIFY(bob->sync());
    QString result;
    QVERIFY(QMetaObject::invokeMethod(&channel, action.toLatin1().constData(), Q_RETURN_ARG(QString, result),
                                      Q_ARG(QString, argument)));
    QVERIFY2(result.startsWith(error), qPrintable(result));
    QCOMPARE(shown(session, result, MessageModel::Kind::Error), 1);
    QVERIFY(bob->receivedNothing());
    QCOMPARE(session.users()->namesWithPrefixes(), (QStringList{"@alice", "bob"}));
    QCOMPARE(session.send(QStringLiteral("still here")), ChatSession::SendResult::Sent);
    QVERIFY(bob->waitFor(from("alice", "PRIVMSG", {"#lobby", "still here"})));
}

void tst_ChannelState::outOfTheChannelNothingIsSent()
{
    TestServer server;
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    QCOMPARE(channel.op(QStringLiteral("bob")), QString());
    QVERIFY(bob->waitFor(from("alice", "MODE", {"#lobby", "+o", "bob"})));
    bob->sendLine("KICK #lobby alice :out");
    QTRY_VERIFY(!session.conversations()->find(QStringLiteral("#lobby"))->joined());
    QVERIFY(bob->sync());
    QCOMPARE(channel.op(QStringLiteral("bob")), QStringLiteral("You are not in #lobby."));
    QCOMPARE(channel.setTopic(QStringLiteral("x")), QStringLiteral("You are not in #lobby."));
    QCOMPARE(channel.applySettings(map({{"inviteOnly", true}})), QStringLiteral("You are not in #lobby."));
    channel.requestBans();
    QVERIFY(!channel.bansLoading());
    QVERIFY(bob->receivedNothing());
}

void tst_ChannelState::awayFromWhoAndAwayNotify()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    auto carol = server.registeredClient("carol");
    QVERIFY(bob && carol);
    bob->sendLine("AWAY :lunch");
    QVERIFY(bob->waitForCommand("306"));
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    UserModel &users = *session.users();
    const auto awayMessage = [&users](const QString &nick) {
        for (int row = 0; row < users.rowCount(); ++row) {
            const QModelIndex index = users.index(row);
            if (users.data(index, UserModel::NickRole).toString() == nick)
                return users.data(index, UserModel::AwayMessageRole).toString();
        }
        return QStringLiteral("(not listed)");
    };
    // WHO on joining: bob is G(one), carol H(ere); WHO does not say why.
    QTRY_VERIFY(users.isAway(QStringLiteral("bob")));
    QVERIFY(!users.isAway(QStringLiteral("carol")));
    QCOMPARE(awayMessage(QStringLiteral("bob")), QString());
    // away-notify: going away, with the reason; coming back.
    carol->sendLine("AWAY :brb");
    QTRY_VERIFY(users.isAway(QStringLiteral("carol")));
    QCOMPARE(awayMessage(QStringLiteral("carol")), QStringLiteral("brb"));
    bob->sendLine("AWAY");
    QTRY_VERIFY(!users.isAway(QStringLiteral("bob")));
    // NAMES again (/u) keeps what is known; a new nick keeps it too.
    QCOMPARE(session.send(QStringLiteral("/u")), ChatSession::SendResult::Sent);
    QTRY_COMPARE(shown(session, QStringLiteral("Online in #lobby")), 1);
    QVERIFY(users.isAway(QStringLiteral("carol")));
    carol->sendLine("NICK carol2");
    QTRY_VERIFY(users.contains(QStringLiteral("carol2")));
    QVERIFY(users.isAway(QStringLiteral("carol2")));
    QCOMPARE(awayMessage(QStringLiteral("carol2")), QStringLiteral("brb"));
    // Someone who joins while away is announced as away to those with away-notify.
    auto dave = server.connectClient();
    QVERIFY(dave->isConnected());
    dave->sendLine("NICK dave");
    dave->sendLine("USER dave 0 * :Dave");
    QVERIFY(dave->waitForCommand("366"));
    dave->sendLine("PART #lobby");
    dave->sendLine("AWAY :on holiday");
    dave->sendLine("JOIN #lobby");
    QVERIFY(dave->waitForCommand("366"));
    QTRY_VERIFY(users.contains(QStringLiteral("dave")) && users.isAway(QStringLiteral("dave")));
    QTRY_COMPARE(awayMessage(QStringLiteral("dave")), QStringLiteral("on holiday"));
}

void tst_ChannelState::whoisShowsWhoTheyAre()
{
    TestServer server;
    auto bob = server.registeredClient("bob");
    QVERIFY(bob);
    bob->sendLine("AWAY :lunch");
    QVERIFY(bob->waitForCommand("306"));
    ChatSession session;
    QVERIFY(login(session, server.port(), QStringLiteral("alice")));
    ChannelState &channel = *lobby(session);
    QCOMPARE(channel.whois(QStringLiteral("bob")), QString());
    QTRY_COMPARE(shown(session, QStringLiteral("bob ("), MessageModel::Kind::System), 1);
    const MessageModel &messages = *session.messages();
    const QString line = messages.at(messages.rowCount() - 1).text;
    QVERIFY2(line.contains(QStringLiteral("in @#lobby")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("on irc.test")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("away: lunch")), qPrintable(line));
    // WHOIS told why bob is away: the list knows it now.
    QTRY_COMPARE(session.users()->data(session.users()->index(0), UserModel::AwayMessageRole).toString(),
                 QStringLiteral("lunch"));
    // Someone who is not there: the server's error, nothing else.
    QCOMPARE(channel.whois(QStringLiteral("nobody")), QString());
    QTRY_COMPARE(shown(session, QStringLiteral("nobody: No such nick"), MessageModel::Kind::Error), 1);
    QCOMPARE(shown(session, QStringLiteral("nobody ("), MessageModel::Kind::System), 0);
}

QTEST_GUILESS_MAIN(tst_ChannelState)
#include "tst_channelstate.moc"
