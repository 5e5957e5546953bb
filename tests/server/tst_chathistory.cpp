// IRCv3 draft/chathistory and draft/event-playback over real TLS: every subcommand with msgid and
// timestamp references, the batch and the original tags, who may read what, TARGETS, bad input.

#include "testserver.h"

#include <QTest>

#include <algorithm>

using namespace tktalk;
using tktalk::protocol::Message;
using tktalk::test::TestIrcClient;
using tktalk::test::TestServer;

namespace {

const QByteArray kPassword = "correct-horse";
const QByteArray kReaderCaps = "batch server-time message-tags account-tag labeled-response draft/chathistory";
const QByteArray kLongAgo = "timestamp=2000-01-01T00:00:00.000Z";
const QByteArray kFarAhead = "timestamp=2100-01-01T00:00:00.000Z";

/// A registered client with @p caps, logged in to @p account (SASL) unless it is empty.
std::unique_ptr<TestIrcClient> connectAs(TestServer &server, const QByteArray &nick, const QByteArray &caps,
                                         const QByteArray &account = {})
{
    auto client = server.connectClient();
    client->sendLine("CAP LS 302");
    client->sendLine("CAP REQ :" + caps + (account.isEmpty() ? "" : " sasl"));
    client->sendLine("NICK " + nick);
    client->sendLine("USER " + nick + " 0 * :Test user " + nick);
    if (!account.isEmpty()) {
        client->sendLine("AUTHENTICATE PLAIN");
        client->sendLine("AUTHENTICATE " + test::saslPlain(account, kPassword));
    }
    client->sendLine("CAP END");
    if (!client->waitFor(test::commandWithParam("CAP", 1, "ACK")))
        return nullptr;
    if (!account.isEmpty() && !client->waitForCommand("903"))
        return nullptr;
    if (!client->waitForCommand("001") || !client->waitForCommand("366"))
        return nullptr;
    return client;
}

struct Batch
{
    Message start;
    QList<Message> lines;
};

/// The next batch @p client receives (its start, and the lines up to its end), or nullopt.
std::optional<Batch> readBatch(TestIrcClient &client, const QByteArray &type = "chathistory")
{
    const auto start = client.waitFor([&type](const Message &m) {
        return (m.command == "BATCH" && m.param(1) == type) || m.command == "FAIL";
    });
    if (!start || start->command != "BATCH")
        return std::nullopt;
    Batch batch{*start, {}};
    const QByteArray end = '-' + start->param(0).mid(1);
    while (const auto line = client.waitFor([](const Message &) { return true; })) {
        if (line->command == "BATCH" && line->param(0) == end)
            return batch;
        batch.lines << *line;
    }
    return std::nullopt;
}

QByteArrayList texts(const Batch &batch)
{
    QByteArrayList list;
    for (const Message &line : batch.lines)
        list << line.param(1);
    return list;
}

QByteArrayList commands(const Batch &batch)
{
    QByteArrayList list;
    for (const Message &line : batch.lines)
        list << line.command;
    return list;
}

/// What a live recipient saw of one message.
struct Seen
{
    QByteArray msgid;
    QByteArray time;
};

/// @p sender says m<first>..m<last> in @p channel; what @p witness saw of each.
QList<Seen> say(TestIrcClient &sender, TestIrcClient &witness, const QByteArray &channel, int first, int last)
{
    QList<Seen> seen;
    for (int n = first; n <= last; ++n) {
        const QByteArray text = "m" + QByteArray::number(n);
        sender.sendLine("PRIVMSG " + channel + " :" + text);
        const auto line = witness.waitFor(test::commandWithParam("PRIVMSG", 1, text));
        if (!line)
            return {};
        seen << Seen{line->tag("msgid").value_or(QByteArray()), line->tag("time").value_or(QByteArray())};
    }
    return seen;
}

QByteArrayList range(int first, int last)
{
    QByteArrayList list;
    for (int n = first; n <= last; ++n)
        list << "m" + QByteArray::number(n);
    return list;
}

/// Asks @p line and expects exactly one FAIL CHATHISTORY @p code (kept in @p fail), and nothing else.
bool failsWith(TestIrcClient &client, const QByteArray &line, const QByteArray &code, Message *failed = nullptr)
{
    client.skipReceived();
    client.sendLine(line);
    const auto seen = client.sync();
    if (!seen || seen->size() != 1) {
        qWarning() << line << "brought" << (seen ? seen->size() : -1) << "lines";
        return false;
    }
    const Message &fail = seen->first();
    if (fail.command != "FAIL" || fail.param(0) != "CHATHISTORY" || fail.param(1) != code || fail.params.last().isEmpty()) {
        qWarning() << line << "brought" << fail.command << fail.params;
        return false;
    }
    if (failed)
        *failed = fail;
    return true;
}

/// The setup most tests share: alice, a plain client, speaks in #lobby; bob reads with kReaderCaps.
struct SpeakerAndReader
{
    TestServer server;
    std::unique_ptr<TestIrcClient> alice = server.registeredClient("alice");
    std::unique_ptr<TestIrcClient> bob = connectAs(server, "bob", kReaderCaps);

    bool ok() const { return alice && bob; }

    /// bob's "CHATHISTORY <request>": the texts of the batch, which must be a chathistory batch
    /// named after the request's target; "<no batch>" or "<bad batch start>" otherwise.
    QByteArrayList ask(const QByteArray &request)
    {
        bob->sendLine("CHATHISTORY " + request);
        const auto batch = readBatch(*bob);
        if (!batch)
            return {"<no batch>"};
        if (batch->start.params.mid(1) != QByteArrayList{"chathistory", request.split(' ').value(1)})
            return {"<bad batch start>"};
        return texts(*batch);
    }
};

} // namespace

class tst_ChatHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void advertised();
    void quitRightAfterARequestKeepsItsReason();
    void selectionsByMsgid();
    void selectionsByTimestamp();
    void limitIsClamped();
    void originalTags();
    void labeledResponse();
    void laterCommandsWait();
    void eventPlayback();
    void channelPermissions();
    void registeredChannelAccess();
    void privateConversations();
    void privateConversationsInTurn();
    void targets();
    void badInput_data();
    void badInput();
    void historyOff();
};

void tst_ChatHistory::advertised()
{
    TestServer server;
    const auto caps = server.connectClient()->advertisedCapabilities();
    QVERIFY(caps);
    QVERIFY(caps->contains("draft/chathistory"));
    QVERIFY(caps->contains("draft/event-playback"));

    auto client = server.connectClient();
    client->sendLine("NICK ann");
    client->sendLine("USER ann 0 * :Ann");
    QByteArrayList tokens;
    while (const auto line = client->waitFor([](const Message &m) { return m.command == "005" || m.command == "376" || m.command == "422"; })) {
        if (line->command != "005")
            break;
        tokens << line->params.mid(1, line->params.size() - 2);
    }
    QVERIFY(tokens.contains("CHATHISTORY=100"));
    QVERIFY(tokens.contains("MSGREFTYPES=timestamp,msgid"));
}

void tst_ChatHistory::selectionsByMsgid()
{
    SpeakerAndReader f;
    QVERIFY(f.ok());
    auto &bob = f.bob;
    const QList<Seen> seen = say(*f.alice, *bob, "#lobby", 1, 6);
    QCOMPARE(seen.size(), 6);
    auto ask = [&f](const QByteArray &request) { return f.ask(request); };
    auto id = [&](int n) { return "msgid=" + seen.at(n - 1).msgid; };

    QCOMPARE(ask("LATEST #lobby * 3"), range(4, 6));
    QCOMPARE(ask("LATEST #lobby * 50"), range(1, 6));
    QCOMPARE(ask("LATEST #lobby " + id(4) + " 10"), range(5, 6));
    QCOMPARE(ask("LATEST #lobby " + id(2) + " 2"), range(5, 6));
    QCOMPARE(ask("BEFORE #lobby " + id(4) + " 2"), range(2, 3));
    QCOMPARE(ask("BEFORE #lobby " + id(4) + " 10"), range(1, 3));
    QCOMPARE(ask("AFTER #lobby " + id(2) + " 2"), range(3, 4));
    QCOMPARE(ask("AFTER #lobby " + id(6) + " 10"), QByteArrayList());
    QCOMPARE(ask("AROUND #lobby " + id(4) + " 3"), range(3, 5));
    QCOMPARE(ask("BETWEEN #lobby " + id(1) + ' ' + id(5) + " 10"), range(2, 4));
    QCOMPARE(ask("BETWEEN #lobby " + id(1) + ' ' + id(5) + " 2"), range(2, 3));
    // Backwards in time: the entries nearest to the first reference, still oldest first.
    QCOMPARE(ask("BETWEEN #lobby " + id(5) + ' ' + id(1) + " 2"), range(3, 4));
    // A msgid this conversation does not have: an empty batch.
    QCOMPARE(ask("BEFORE #lobby msgid=nosuchid 10"), QByteArrayList());
    // The subcommand is not case-sensitive; the target is answered as written.
    bob->sendLine("CHATHISTORY latest #LOBBY * 1");
    const auto batch = readBatch(*bob);
    QVERIFY(batch);
    QCOMPARE(batch->start.params.mid(1), (QByteArrayList{"chathistory", "#LOBBY"}));
    QCOMPARE(texts(*batch), range(6, 6));
}

void tst_ChatHistory::selectionsByTimestamp()
{
    SpeakerAndReader f;
    QVERIFY(f.ok());
    const QList<Seen> seen = say(*f.alice, *f.bob, "#lobby", 1, 4);
    QCOMPARE(seen.size(), 4);
    auto ask = [&f](const QByteArray &request) { return f.ask(request); };
    QCOMPARE(ask("BEFORE #lobby " + kFarAhead + " 2"), range(3, 4));
    QCOMPARE(ask("AFTER #lobby " + kLongAgo + " 2"), range(1, 2));
    QCOMPARE(ask("LATEST #lobby " + kLongAgo + " 10"), range(1, 4));
    QCOMPARE(ask("LATEST #lobby " + kFarAhead + " 10"), QByteArrayList());
    QCOMPARE(ask("BETWEEN #lobby " + kLongAgo + ' ' + kFarAhead + " 100"), range(1, 4));
    QCOMPARE(ask("BETWEEN #lobby " + kFarAhead + ' ' + kLongAgo + " 1"), range(4, 4));
    QCOMPARE(ask("AROUND #lobby " + kFarAhead + " 4"), range(3, 4));
    // Exclusive bounds: what was said at m1's millisecond or earlier is not "after" it.
    const QByteArrayList afterFirst = ask("AFTER #lobby timestamp=" + seen.at(0).time + " 10");
    QVERIFY(!afterFirst.contains("m1"));
    QCOMPARE(afterFirst, range(5 - int(afterFirst.size()), 4));
    const QByteArrayList beforeLast = ask("BEFORE #lobby timestamp=" + seen.at(3).time + " 10");
    QVERIFY(!beforeLast.contains("m4"));
    QCOMPARE(beforeLast, range(1, int(beforeLast.size())));
}

void tst_ChatHistory::limitIsClamped()
{
    SpeakerAndReader f;
    QVERIFY(f.ok());
    auto &alice = f.alice;
    auto &bob = f.bob;
    QCOMPARE(say(*alice, *bob, "#lobby", 1, 103).size(), 103);
    bob->sendLine("CHATHISTORY LATEST #lobby * 100000");
    const auto batch = readBatch(*bob);
    QVERIFY(batch);
    QCOMPARE(texts(*batch), range(4, 103));
}

void tst_ChatHistory::originalTags()
{
    TestServer server;
    QVERIFY(server.addAccount("alice", kPassword));
    auto alice = connectAs(server, "alice", "message-tags", "alice");
    auto bob = connectAs(server, "bob", kReaderCaps);
    QVERIFY(alice && bob);
    alice->sendLine("@+draft/reply=abc PRIVMSG #lobby :hello");
    const auto live = bob->waitFor(test::commandWithParam("PRIVMSG", 1, "hello"));
    QVERIFY(live);
    bob->sendLine("CHATHISTORY LATEST #lobby * 10");
    const auto batch = readBatch(*bob);
    QVERIFY(batch);
    QCOMPARE(batch->lines.size(), 1);
    const Message &replayed = batch->lines.first();
    QCOMPARE(replayed.tag("batch"), std::optional<QByteArray>(batch->start.param(0).mid(1)));
    QCOMPARE(replayed.tag("msgid"), live->tag("msgid"));
    QCOMPARE(replayed.tag("time"), live->tag("time"));
    QCOMPARE(replayed.tag("account"), std::optional<QByteArray>("alice"));
    QCOMPARE(replayed.tag("+draft/reply"), std::optional<QByteArray>("abc"));
    QCOMPARE(replayed.source, live->source);
    QCOMPARE(replayed.params, live->params);

    // Without batch, server-time or message-tags: the bare lines.
    auto plain = connectAs(server, "plain", "draft/chathistory");
    QVERIFY(plain);
    plain->sendLine("CHATHISTORY LATEST #lobby * 10");
    const auto bare = plain->waitForCommand("PRIVMSG");
    QVERIFY(bare);
    QVERIFY(bare->tags.isEmpty());
    QCOMPARE(bare->params, live->params);
    QVERIFY(plain->receivedNothing());
}

void tst_ChatHistory::labeledResponse()
{
    SpeakerAndReader f;
    QVERIFY(f.ok());
    auto &alice = f.alice;
    auto &bob = f.bob;
    QCOMPARE(say(*alice, *bob, "#lobby", 1, 2).size(), 2);
    bob->skipReceived();
    bob->sendLine("@label=abc CHATHISTORY LATEST #lobby * 10");
    const auto first = bob->waitFor([](const Message &) { return true; });
    QVERIFY(first);
    QCOMPARE(first->command, QByteArray("BATCH"));
    QCOMPARE(first->tag("label"), std::optional<QByteArray>("abc"));
    const auto batch = readBatch(*bob);
    QVERIFY(batch);
    QCOMPARE(texts(*batch), range(1, 2));
    // A labelled refusal carries the label too.
    bob->sendLine("@label=def CHATHISTORY LATEST #nowhere * 10");
    const auto fail = bob->waitForCommand("FAIL");
    QVERIFY(fail);
    QCOMPARE(fail->tag("label"), std::optional<QByteArray>("def"));
}

void tst_ChatHistory::laterCommandsWait()
{
    SpeakerAndReader f;
    QVERIFY(f.ok());
    auto &alice = f.alice;
    auto &bob = f.bob;
    QCOMPARE(say(*alice, *bob, "#lobby", 1, 3).size(), 3);
    bob->skipReceived();
    bob->sendRaw("CHATHISTORY LATEST #lobby * 10\r\nPING :after\r\nCHATHISTORY BEFORE #lobby " + kFarAhead
                 + " 1\r\nPING :last\r\n");
    QVERIFY(bob->waitFor(test::commandWithParam("PONG", 1, "last")));
    QByteArrayList order;
    const QList<Message> &received = bob->received();
    for (qsizetype i = received.size() - 1; i >= 0; --i) {
        const Message &m = received.at(i);
        if (m.command == "PONG" && m.param(1) == "after")
            break;
        order.prepend(m.command == "PONG" ? m.param(1) : m.command);
    }
    QCOMPARE(order, (QByteArrayList{"BATCH", "PRIVMSG", "BATCH", "last"}));
    qsizetype pongAt = -1;
    qsizetype firstEnd = -1;
    for (qsizetype i = 0; i < received.size(); ++i) {
        if (received.at(i).command == "PONG" && received.at(i).param(1) == "after")
            pongAt = i;
        if (firstEnd < 0 && received.at(i).command == "BATCH" && received.at(i).param(0).startsWith('-'))
            firstEnd = i;
    }
    QVERIFY(firstEnd >= 0 && pongAt > firstEnd);
}

void tst_ChatHistory::eventPlayback()
{
    TestServer server;
    auto alice = connectAs(server, "alice", kReaderCaps + " draft/event-playback");
    auto carol = connectAs(server, "carol", kReaderCaps);
    auto dave = server.registeredClient("dave");
    auto eve = server.registeredClient("eve");
    QVERIFY(alice && carol && dave && eve);
    alice->sendLine("JOIN #ev");
    QVERIFY(alice->waitForCommand("366"));
    for (TestIrcClient *client : {carol.get(), dave.get(), eve.get()}) {
        client->sendLine("JOIN #ev");
        QVERIFY(client->waitForCommand("366"));
    }
    // Each step, then what alice (an operator of #ev) sees of it.
    const struct Step
    {
        TestIrcClient *who;
        QByteArray line;
        QByteArray seen;
    } script[] = {
        {alice.get(), "TOPIC #ev :the topic", "TOPIC"}, {alice.get(), "MODE #ev +m", "MODE"},
        {alice.get(), "MODE #ev +v carol", "MODE"},     {carol.get(), "PRIVMSG #ev :voiced", "PRIVMSG"},
        {dave.get(), "NICK dave2", "NICK"},             {alice.get(), "KICK #ev dave2 :bye", "KICK"},
        {eve.get(), "PART #ev :leaving", "PART"},       {carol.get(), "NOTICE #ev :note", "NOTICE"},
        {eve.get(), "JOIN #ev", "JOIN"},                {eve.get(), "QUIT :gone", "QUIT"},
    };
    for (const Step &step : script) {
        step.who->sendLine(step.line);
        QVERIFY2(alice->waitForCommand(step.seen), step.line.constData());
    }

    alice->sendLine("CHATHISTORY LATEST #ev * 100");
    const auto full = readBatch(*alice);
    QVERIFY(full);
    QCOMPARE(commands(*full), (QByteArrayList{"JOIN", "JOIN", "JOIN", "JOIN", "TOPIC", "MODE", "MODE", "PRIVMSG",
                                              "NICK", "KICK", "PART", "NOTICE", "JOIN", "QUIT"}));
    carol->sendLine("CHATHISTORY LATEST #ev * 100");
    const auto messagesOnly = readBatch(*carol);
    QVERIFY(messagesOnly);
    QCOMPARE(commands(*messagesOnly), (QByteArrayList{"PRIVMSG", "NOTICE"}));
}

void tst_ChatHistory::channelPermissions()
{
    TestServer server;
    auto alice = connectAs(server, "alice", kReaderCaps);
    auto bob = connectAs(server, "bob", kReaderCaps + " standard-replies");
    QVERIFY(alice && bob);
    for (const QByteArray &channel : {QByteArray("#open"), QByteArray("#hidden")}) {
        alice->sendLine("JOIN " + channel);
        QVERIFY(alice->waitForCommand("366"));
        alice->sendLine("PRIVMSG " + channel + " :secret words");
    }
    alice->sendLine("MODE #hidden +s");
    QVERIFY(alice->waitForCommand("MODE"));
    QVERIFY(alice->sync());

    // A non-member, a secret channel's non-member and a channel that does not exist: the same.
    QList<Message> answers;
    for (const QByteArray &channel : {QByteArray("#open"), QByteArray("#hidden"), QByteArray("#nosuch")}) {
        Message answer;
        QVERIFY(failsWith(*bob, "CHATHISTORY LATEST " + channel + " * 10", "INVALID_TARGET", &answer));
        answers << answer;
    }
    for (const Message &answer : answers)
        QCOMPARE(answer.params, (QByteArrayList{"CHATHISTORY", "INVALID_TARGET", "LATEST", answer.param(3),
                                                "Messages could not be retrieved"}));
    QCOMPARE(answers.at(1).param(3), QByteArray("#hidden"));

    // A member reads it.
    alice->sendLine("CHATHISTORY LATEST #hidden * 10");
    const auto batch = readBatch(*alice);
    QVERIFY(batch);
    QCOMPARE(texts(*batch), QByteArrayList{"secret words"});
    // Once it joins, bob may read what was said before.
    bob->sendLine("JOIN #open");
    QVERIFY(bob->waitForCommand("366"));
    bob->sendLine("CHATHISTORY LATEST #open * 10");
    const auto joined = readBatch(*bob);
    QVERIFY(joined);
    QCOMPARE(texts(*joined), QByteArrayList{"secret words"});
}

void tst_ChatHistory::registeredChannelAccess()
{
    TestServer server;
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    QVERIFY(server.addAccount("carol", kPassword));
    auto alice = connectAs(server, "alice", kReaderCaps, "alice");
    auto bob = connectAs(server, "bob", kReaderCaps, "bob");
    auto carol = connectAs(server, "carol", kReaderCaps, "carol");
    QVERIFY(alice && bob && carol);
    alice->sendLine("JOIN #reg");
    QVERIFY(alice->waitForCommand("366"));
    alice->sendLine("MODE #reg +s");
    QVERIFY(alice->waitForCommand("MODE"));
    alice->sendLine("PRIVMSG ChanServ :REGISTER #reg");
    QVERIFY(alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.param(1).contains("registered to"); }));
    alice->sendLine("PRIVMSG ChanServ :ACCESS #reg ADD bob voice");
    QVERIFY(alice->waitFor([](const Message &m) { return m.command == "NOTICE" && m.source.startsWith("ChanServ"); }));
    alice->sendLine("PRIVMSG #reg :for the team");
    alice->sendLine("PART #reg");
    QVERIFY(alice->waitForCommand("PART"));

    // The founder and an account on the access list read it from outside; another account does not.
    for (TestIrcClient *reader : {alice.get(), bob.get()}) {
        reader->sendLine("CHATHISTORY LATEST #reg * 10");
        const auto batch = readBatch(*reader);
        QVERIFY(batch);
        QCOMPARE(texts(*batch), QByteArrayList{"for the team"});
    }
    QVERIFY(failsWith(*carol, "CHATHISTORY LATEST #reg * 10", "INVALID_TARGET"));

    // TARGETS lists the channels one is in (as Ergo does): bob may read #reg but is not in it, so
    // it is not listed; the lobby, where alice also spoke, is.
    alice->sendLine("PRIVMSG #lobby :in the lobby");
    QVERIFY(bob->waitFor(test::commandWithParam("PRIVMSG", 1, "in the lobby")));
    bob->sendLine("CHATHISTORY TARGETS " + kLongAgo + ' ' + kFarAhead + " 10");
    const auto listed = readBatch(*bob, "draft/chathistory-targets");
    QVERIFY(listed);
    QCOMPARE(listed->lines.size(), 1);
    QCOMPARE(listed->lines.first().param(1), QByteArray("#lobby"));
}

void tst_ChatHistory::privateConversations()
{
    TestServer server;
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    QVERIFY(server.addAccount("carol", kPassword));
    auto alice = connectAs(server, "alice", kReaderCaps, "alice");
    auto bob = connectAs(server, "bob", kReaderCaps, "bob");
    auto carol = connectAs(server, "carol", kReaderCaps, "carol");
    auto guest = connectAs(server, "guest", kReaderCaps);
    QVERIFY(alice && bob && carol && guest);
    alice->sendLine("PRIVMSG bob :hi bob");
    QVERIFY(bob->waitFor(test::commandWithParam("PRIVMSG", 1, "hi bob")));
    bob->sendLine("PRIVMSG alice :hi alice");
    QVERIFY(alice->waitFor(test::commandWithParam("PRIVMSG", 1, "hi alice")));
    alice->sendLine("PRIVMSG alice :note to self");

    // Both sides read the whole conversation, the target answered as written.
    for (const auto &[reader, other] : {std::pair(alice.get(), QByteArray("bob")), std::pair(bob.get(), QByteArray("ALICE"))}) {
        reader->sendLine("CHATHISTORY LATEST " + other + " * 10");
        const auto batch = readBatch(*reader);
        QVERIFY(batch);
        QCOMPARE(batch->start.param(2), other);
        QCOMPARE(texts(*batch), (QByteArrayList{"hi bob", "hi alice"}));
    }
    alice->sendLine("CHATHISTORY LATEST alice * 10");
    const auto notes = readBatch(*alice);
    QVERIFY(notes);
    QCOMPARE(texts(*notes), QByteArrayList{"note to self"});
    // Another account sees only its own conversation with alice (none), never alice and bob's.
    carol->sendLine("CHATHISTORY LATEST alice * 10");
    const auto other = readBatch(*carol);
    QVERIFY(other);
    QVERIFY(other->lines.isEmpty());
    // A guest has no private history; a name that is no account is no target.
    QVERIFY(failsWith(*guest, "CHATHISTORY LATEST alice * 10", "INVALID_TARGET"));
    QVERIFY(failsWith(*carol, "CHATHISTORY LATEST nobody * 10", "INVALID_TARGET"));
    QVERIFY(failsWith(*alice, "CHATHISTORY LATEST guest * 10", "INVALID_TARGET"));
    // bob gone: his account still names the conversation.
    bob->sendLine("QUIT");
    QVERIFY(bob->waitForError());
    alice->sendLine("CHATHISTORY BEFORE bob " + kFarAhead + " 1");
    const auto offline = readBatch(*alice);
    QVERIFY(offline);
    QCOMPARE(texts(*offline), QByteArrayList{"hi alice"});
}

void tst_ChatHistory::privateConversationsInTurn()
{
    // One account writing to two others in turn, under names in any case: every message lands in
    // its own conversation, whichever was written to last.
    TestServer server;
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("Bob", kPassword));
    QVERIFY(server.addAccount("carol", kPassword));
    auto alice = connectAs(server, "alice", kReaderCaps, "alice");
    auto bob = connectAs(server, "bob", kReaderCaps, "Bob");
    auto carol = connectAs(server, "carol", kReaderCaps, "carol");
    QVERIFY(alice && bob && carol);
    for (const char *line : {"PRIVMSG bob :b1", "PRIVMSG BOB :b2", "PRIVMSG carol :c1", "PRIVMSG bob :b3"})
        alice->sendLine(line);
    QVERIFY(bob->waitFor(test::commandWithParam("PRIVMSG", 1, "b3")));
    carol->sendLine("PRIVMSG ALICE :c2");
    QVERIFY(alice->waitFor(test::commandWithParam("PRIVMSG", 1, "c2")));

    const auto read = [](TestIrcClient &reader, const QByteArray &other) {
        reader.sendLine("CHATHISTORY LATEST " + other + " * 10");
        const auto batch = readBatch(reader);
        return batch ? texts(*batch) : QByteArrayList{"<no batch>"};
    };
    QCOMPARE(read(*alice, "bob"), (QByteArrayList{"b1", "b2", "b3"}));
    QCOMPARE(read(*alice, "Carol"), (QByteArrayList{"c1", "c2"}));
    QCOMPARE(read(*bob, "alice"), (QByteArrayList{"b1", "b2", "b3"}));
    QCOMPARE(read(*carol, "alice"), (QByteArrayList{"c1", "c2"}));
    QCOMPARE(read(*carol, "bob"), QByteArrayList{});
}

void tst_ChatHistory::targets()
{
    TestServer server;
    QVERIFY(server.addAccount("alice", kPassword));
    QVERIFY(server.addAccount("bob", kPassword));
    auto alice = connectAs(server, "alice", kReaderCaps, "alice");
    auto bob = connectAs(server, "bob", kReaderCaps, "bob");
    QVERIFY(alice && bob);
    alice->sendLine("JOIN #Mixed");
    QVERIFY(alice->waitForCommand("366"));
    alice->sendLine("PRIVMSG #Mixed :in mixed");
    alice->sendLine("PRIVMSG #lobby :in lobby");
    QVERIFY(bob->waitFor(test::commandWithParam("PRIVMSG", 1, "in lobby")));
    bob->sendLine("PRIVMSG alice :private");
    QVERIFY(alice->waitFor(test::commandWithParam("PRIVMSG", 1, "private")));

    alice->sendLine("CHATHISTORY TARGETS " + kLongAgo + ' ' + kFarAhead + " 10");
    const auto batch = readBatch(*alice, "draft/chathistory-targets");
    QVERIFY(batch);
    QByteArrayList found;
    for (const Message &line : batch->lines) {
        QCOMPARE(line.command, QByteArray("CHATHISTORY"));
        QCOMPARE(line.param(0), QByteArray("TARGETS"));
        QVERIFY(line.param(2).endsWith('Z'));
        found << line.param(1);
    }
    // Messages sent within one millisecond tie: compare as a set.
    std::sort(found.begin(), found.end());
    QCOMPARE(found, (QByteArrayList{"#Mixed", "#lobby", "bob"}));
    // bob is not in #Mixed: only the lobby and alice; the window may be given backwards.
    bob->sendLine("CHATHISTORY TARGETS " + kFarAhead + ' ' + kLongAgo + " 10");
    const auto bobs = readBatch(*bob, "draft/chathistory-targets");
    QVERIFY(bobs);
    QByteArrayList bobsFound;
    for (const Message &line : bobs->lines)
        bobsFound << line.param(1);
    std::sort(bobsFound.begin(), bobsFound.end());
    QCOMPARE(bobsFound, (QByteArrayList{"#lobby", "alice"}));
    // The limit counts targets; an empty window is an empty batch.
    alice->sendLine("CHATHISTORY TARGETS " + kLongAgo + ' ' + kLongAgo + " 10");
    const auto none = readBatch(*alice, "draft/chathistory-targets");
    QVERIFY(none);
    QVERIFY(none->lines.isEmpty());
}

void tst_ChatHistory::badInput_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("code");
    QTest::newRow("no subcommand") << QByteArray("CHATHISTORY") << QByteArray("NEED_MORE_PARAMS");
    QTest::newRow("unknown subcommand") << QByteArray("CHATHISTORY SINCE #lobby * 10") << QByteArray("UNKNOWN_COMMAND");
    QTest::newRow("missing limit") << QByteArray("CHATHISTORY LATEST #lobby *") << QByteArray("NEED_MORE_PARAMS");
    QTest::newRow("between one reference") << QByteArray("CHATHISTORY BETWEEN #lobby msgid=a 10") << QByteArray("NEED_MORE_PARAMS");
    QTest::newRow("targets missing") << QByteArray("CHATHISTORY TARGETS " + kLongAgo) << QByteArray("NEED_MORE_PARAMS");
    QTest::newRow("empty msgid") << QByteArray("CHATHISTORY BEFORE #lobby msgid= 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("garbage timestamp") << QByteArray("CHATHISTORY BEFORE #lobby timestamp=garbage 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("timestamp without Z") << QByteArray("CHATHISTORY BEFORE #lobby timestamp=2026-01-01T00:00:00.000 10") << QByteArray("INVALID_PARAMS");
    // One strict form, server-time's (the shared protocol::parseServerTime).
    QTest::newRow("timestamp without milliseconds") << QByteArray("CHATHISTORY BEFORE #lobby timestamp=2026-01-01T00:00:00Z 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("timestamp 24:00") << QByteArray("CHATHISTORY AFTER #lobby timestamp=2026-01-01T24:00:00.000Z 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("timestamp 30 February") << QByteArray("CHATHISTORY AROUND #lobby timestamp=2026-02-30T00:00:00.000Z 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("timestamp with offset") << QByteArray("CHATHISTORY BETWEEN #lobby " + kLongAgo + " timestamp=2026-01-01T00:00:00.000+01:00 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("targets timestamp without milliseconds") << QByteArray("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00Z " + kFarAhead + " 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("targets second timestamp 24:00") << QByteArray("CHATHISTORY TARGETS " + kLongAgo + " timestamp=2100-01-01T24:00:00.000Z 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("unknown reference type") << QByteArray("CHATHISTORY BEFORE #lobby foo=bar 10") << QByteArray("INVALID_MSGREFTYPE");
    QTest::newRow("no reference") << QByteArray("CHATHISTORY AFTER #lobby something 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("star outside LATEST") << QByteArray("CHATHISTORY BEFORE #lobby * 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("bad second reference") << QByteArray("CHATHISTORY BETWEEN #lobby msgid=a timestamp=x 10") << QByteArray("INVALID_PARAMS");
    QTest::newRow("limit zero") << QByteArray("CHATHISTORY LATEST #lobby * 0") << QByteArray("INVALID_PARAMS");
    QTest::newRow("limit negative") << QByteArray("CHATHISTORY LATEST #lobby * -5") << QByteArray("INVALID_PARAMS");
    QTest::newRow("limit huge") << QByteArray("CHATHISTORY LATEST #lobby * 99999999999999999999999") << QByteArray("INVALID_PARAMS");
    QTest::newRow("limit not a number") << QByteArray("CHATHISTORY LATEST #lobby * ten") << QByteArray("INVALID_PARAMS");
    QTest::newRow("targets with msgid") << QByteArray("CHATHISTORY TARGETS msgid=a " + kFarAhead + " 10") << QByteArray("INVALID_MSGREFTYPE");
    QTest::newRow("targets bad limit") << QByteArray("CHATHISTORY TARGETS " + kLongAgo + ' ' + kFarAhead + " x") << QByteArray("INVALID_PARAMS");
    QTest::newRow("star target") << QByteArray("CHATHISTORY LATEST * * 10") << QByteArray("INVALID_TARGET");
    QTest::newRow("trailing target") << QByteArray("CHATHISTORY LATEST #lobby * :10") << QByteArray("");
}

void tst_ChatHistory::badInput()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, code);
    TestServer server;
    auto alice = connectAs(server, "alice", kReaderCaps);
    auto bob = connectAs(server, "bob", kReaderCaps);
    QVERIFY(alice && bob);
    QVERIFY(alice->sync());
    if (code.isEmpty()) {
        // A trailing last parameter is still a parameter: the request is answered.
        alice->sendLine(line);
        QVERIFY(readBatch(*alice));
    } else {
        QVERIFY(failsWith(*alice, line, code));
    }
    QVERIFY(bob->receivedNothing());
    // The connection goes on.
    alice->sendLine("CHATHISTORY LATEST #lobby * 1");
    QVERIFY(readBatch(*alice));
}

void tst_ChatHistory::historyOff()
{
    server::ServerConfig config = test::testServerConfig();
    config.history = false;
    TestServer server(config);
    const auto caps = server.connectClient()->advertisedCapabilities();
    QVERIFY(caps);
    QVERIFY(!caps->contains("draft/chathistory"));
    QVERIFY(!caps->contains("draft/event-playback"));
    auto alice = server.registeredClient("alice");
    QVERIFY(alice);
    QVERIFY(alice->sync());
    Message answer;
    QVERIFY(failsWith(*alice, "CHATHISTORY LATEST #lobby * 10", "MESSAGE_ERROR", &answer));
    QCOMPARE(answer.params, (QByteArrayList{"CHATHISTORY", "MESSAGE_ERROR", "LATEST", "#lobby", "History is off on this server"}));
    QVERIFY(failsWith(*alice, "CHATHISTORY TARGETS " + kLongAgo + ' ' + kFarAhead + " 10", "MESSAGE_ERROR"));
}

void tst_ChatHistory::quitRightAfterARequestKeepsItsReason()
{
    // A client asks for history, says QUIT and closes at once: its QUIT waits behind the answer,
    // which is read off the event loop, and the close may come first. The others still hear the
    // reason it gave, not that the connection closed.
    TestServer server;
    auto bob = connectAs(server, "bob", "batch");
    QVERIFY(bob);
    for (int i = 0; i < 5; ++i) {
        auto carol = connectAs(server, "carol" + QByteArray::number(i), "batch draft/chathistory");
        QVERIFY(carol);
        carol->sendRaw("CHATHISTORY LATEST #lobby * 10\r\nQUIT :bye for now\r\n");
        carol->socket().disconnectFromHost();
        const auto quit = bob->waitFor([&](const Message &m) {
            return m.command == "QUIT" && m.sourceNick() == "carol" + QByteArray::number(i);
        });
        QVERIFY(quit);
        QCOMPARE(quit->param(0), QByteArray("Quit: bye for now"));
    }
}

QTEST_MAIN(tst_ChatHistory)
#include "tst_chathistory.moc"
