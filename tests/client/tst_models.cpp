#include "banlistmodel.h"
#include "certificatepins.h"
#include "conversationlist.h"
#include "historyloader.h"
#include "ircconnection.h"
#include "messagemodel.h"
#include "seenmessages.h"
#include "usermodel.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>

using namespace tktalk::client;

class tst_Models : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messagesAppend();
    void messagesBounded();
    void messagesEscapeMarkup_data();
    void messagesEscapeMarkup();
    void usersSortedByRankAndName();
    void usersLiveUpdates();
    void usersCaseMapping();
    void usersCompletion();
    void usersMembershipChanges();
    void usersAway();
    void banList();
    void seenMessagesRememberTheLatest();
    void conversationsGroupedAndFound();
    void conversationsCountWhatIsNotLookedAt();
    void conversationsMoveAndClose();
    void conversationsQuickSwitcherMatches();
    void historyAnswersAreTheBatchesAskedFor();
};

namespace {

MessageModel::Entry chat(const QString &sender, const QString &text)
{
    MessageModel::Entry entry;
    entry.kind = MessageModel::Kind::Chat;
    entry.sender = sender;
    entry.text = text;
    return entry;
}

QStringList conversationRows(const ConversationList &list)
{
    QStringList rows;
    for (int row = 0; row < list.rowCount(); ++row) {
        const QModelIndex index = list.index(row);
        rows << list.data(index, ConversationList::NameRole).toString()
                    + (list.data(index, ConversationList::CurrentRole).toBool() ? QStringLiteral("*") : QString());
    }
    return rows;
}

QStringList userRows(const UserModel &model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        rows << model.data(index, UserModel::PrefixRole).toString() + model.data(index, UserModel::NickRole).toString();
    }
    return rows;
}

} // namespace

void tst_Models::messagesAppend()
{
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(chat(QStringLiteral("bob"), QStringLiteral("hi")));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex index = model.index(0);
    QCOMPARE(model.data(index, MessageModel::SenderRole).toString(), QStringLiteral("bob"));
    QCOMPARE(model.data(index, MessageModel::TextRole).toString(), QStringLiteral("hi"));
    QVERIFY(model.data(index, MessageModel::TimestampRole).toDateTime().isValid());
    // The colour of a nick is the same every time and differs between most nicks.
    const double hue = model.data(index, MessageModel::SenderHueRole).toDouble();
    model.append(chat(QStringLiteral("bob"), QStringLiteral("again")));
    model.append(chat(QStringLiteral("carol"), QStringLiteral("hello")));
    QCOMPARE(model.data(model.index(1), MessageModel::SenderHueRole).toDouble(), hue);
    QVERIFY(model.data(model.index(2), MessageModel::SenderHueRole).toDouble() != hue);
    QCOMPARE(model.get(2).value(QStringLiteral("text")).toString(), QStringLiteral("hello"));
    QVERIFY(model.get(3).isEmpty());
}

void tst_Models::messagesBounded()
{
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The tester checks the whole model on every change, so keep this small; the window test appends
    // 100,000 rows to the default capacity.
    model.setCapacity(200);
    for (int i = 0; i < 1000; ++i)
        model.append(chat(QStringLiteral("bob"), QString::number(i)));
    QVERIFY(model.rowCount() <= 200);
    QVERIFY(model.rowCount() >= 198);
    QCOMPARE(model.data(model.index(model.rowCount() - 1), MessageModel::TextRole).toString(), QStringLiteral("999"));
    model.setCapacity(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.data(model.index(0), MessageModel::TextRole).toString(), QStringLiteral("990"));
}

void tst_Models::messagesEscapeMarkup_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("html");
    QTest::newRow("plain") << "hello" << "hello";
    QTest::newRow("markup is text") << "<b>bold</b> & <a href=x>y</a>"
                                    << "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=x&gt;y&lt;/a&gt;";
    QTest::newRow("link") << "see https://example.org/a?b=1&c=2."
                          << "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>.";
    QTest::newRow("www link") << "www.example.org" << "<a href=\"https://www.example.org\">www.example.org</a>";
    QTest::newRow("quote ends link") << "https://x.org/\"onmouseover=\"a"
                                     << "<a href=\"https://x.org/\">https://x.org/</a>&quot;onmouseover=&quot;a";
    QTest::newRow("javascript is not a link") << "javascript:alert(1)" << "javascript:alert(1)";
}

void tst_Models::messagesEscapeMarkup()
{
    QFETCH(QString, text);
    QFETCH(QString, html);
    QCOMPARE(MessageModel::toHtml(text), html);
}

void tst_Models::usersSortedByRankAndName()
{
    UserModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy countSpy(&model, &UserModel::countChanged);
    model.setServerRules(tktalk::protocol::Casemapping::Rfc1459, QStringLiteral("@+"));
    model.setNames({QStringLiteral("zed"), QStringLiteral("+Carol"), QStringLiteral("@bob"), QStringLiteral("alice"),
                    QStringLiteral("@+dave"), QStringLiteral("erin!u@host")});
    QCOMPARE(userRows(model), (QStringList{"@bob", "@dave", "+Carol", "alice", "erin", "zed"}));
    QCOMPARE(model.count(), 6);
    QCOMPARE(countSpy.count(), 1);
}

void tst_Models::usersLiveUpdates()
{
    UserModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNames({QStringLiteral("bob"), QStringLiteral("dave")});
    model.add(QStringLiteral("carol"));
    model.add(QStringLiteral("carol")); // a second JOIN does not add twice
    model.add(QStringLiteral("alice"));
    QCOMPARE(userRows(model), (QStringList{"alice", "bob", "carol", "dave"}));
    QVERIFY(model.rename(QStringLiteral("alice"), QStringLiteral("zoe")));
    QCOMPARE(userRows(model), (QStringList{"bob", "carol", "dave", "zoe"}));
    QVERIFY(model.remove(QStringLiteral("carol")));
    QVERIFY(!model.remove(QStringLiteral("nobody")));
    QVERIFY(!model.rename(QStringLiteral("nobody"), QStringLiteral("x")));
    QCOMPARE(userRows(model), (QStringList{"bob", "dave", "zoe"}));
    model.setSelf(QStringLiteral("Dave"));
    QVERIFY(model.data(model.index(1), UserModel::IsSelfRole).toBool());
    QVERIFY(!model.data(model.index(0), UserModel::IsSelfRole).toBool());
    model.clear();
    QCOMPARE(model.count(), 0);
}

void tst_Models::usersCaseMapping()
{
    UserModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNames({QStringLiteral("nick[away]")});
    QVERIFY(model.contains(QStringLiteral("NICK{AWAY}")));
    model.setServerRules(tktalk::protocol::Casemapping::Ascii, QStringLiteral("~&@%+"));
    QVERIFY(!model.contains(QStringLiteral("nick{away}")));
    QVERIFY(model.contains(QStringLiteral("NICK[AWAY]")));
    model.setNames({QStringLiteral("%half"), QStringLiteral("~owner"), QStringLiteral("+voice")});
    QCOMPARE(userRows(model), (QStringList{"~owner", "%half", "+voice"}));
}

void tst_Models::usersCompletion()
{
    UserModel model;
    model.setNames({QStringLiteral("Alice"), QStringLiteral("alfred"), QStringLiteral("bob")});
    QCOMPARE(model.completions(QStringLiteral("AL")), (QStringList{"alfred", "Alice"}));
    QCOMPARE(model.completions(QStringLiteral("b")), QStringList{"bob"});
    QVERIFY(model.completions(QStringLiteral("z")).isEmpty());
}

void tst_Models::usersMembershipChanges()
{
    UserModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setServerRules(tktalk::protocol::Casemapping::Rfc1459, QStringLiteral("@+"));
    // multi-prefix NAMES: dave has both; the list shows the highest, and keeps the other.
    model.setNames({QStringLiteral("alice"), QStringLiteral("+@dave"), QStringLiteral("bob")});
    QCOMPARE(userRows(model), (QStringList{"@dave", "alice", "bob"}));
    QCOMPARE(model.prefixesOf(QStringLiteral("dave")), QStringLiteral("@+"));
    // +o moves a user up, -o down to its next rank; a change to what already is, or to no one, is nothing.
    QVERIFY(model.setMembership(QStringLiteral("BOB"), QLatin1Char('@'), true));
    QCOMPARE(userRows(model), (QStringList{"@bob", "@dave", "alice"}));
    QVERIFY(model.setMembership(QStringLiteral("dave"), QLatin1Char('@'), false));
    QCOMPARE(userRows(model), (QStringList{"@bob", "+dave", "alice"}));
    QVERIFY(model.setMembership(QStringLiteral("alice"), QLatin1Char('+'), true));
    QCOMPARE(userRows(model), (QStringList{"@bob", "+alice", "+dave"}));
    QVERIFY(!model.setMembership(QStringLiteral("alice"), QLatin1Char('+'), true));
    QVERIFY(!model.setMembership(QStringLiteral("nobody"), QLatin1Char('@'), true));
    QVERIFY(!model.setMembership(QStringLiteral("alice"), QLatin1Char('%'), true)); // not this server's
    // A rename keeps every prefix.
    QVERIFY(model.setMembership(QStringLiteral("alice"), QLatin1Char('@'), true));
    QVERIFY(model.rename(QStringLiteral("alice"), QStringLiteral("alicia")));
    QCOMPARE(model.prefixesOf(QStringLiteral("alicia")), QStringLiteral("@+"));
    QCOMPARE(model.namesWithPrefixes(), (QStringList{"@alicia", "@bob", "+dave"}));
    // Grouped as the list shows them: operators, voiced, the others.
    model.add(QStringLiteral("erin"));
    QStringList groups;
    for (int row = 0; row < model.rowCount(); ++row)
        groups << model.data(model.index(row), UserModel::GroupRole).toString();
    QCOMPARE(groups, (QStringList{"operators", "operators", "voiced", "members"}));
    QCOMPARE(UserModel::groupOf(QStringLiteral("~")), QStringLiteral("operators"));
    QCOMPARE(UserModel::groupOf(QStringLiteral("&")), QStringLiteral("operators"));
    QCOMPARE(UserModel::groupOf(QStringLiteral("%")), QStringLiteral("halfops"));
    QCOMPARE(UserModel::groupOf(QString()), QStringLiteral("members"));
}

void tst_Models::usersAway()
{
    UserModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNames({QStringLiteral("@alice"), QStringLiteral("+bob"), QStringLiteral("carol")});
    model.setSelf(QStringLiteral("ALICE"));
    QCOMPARE(model.selfPrefixes(), QStringLiteral("@"));
    QCOMPARE(model.data(model.index(1), UserModel::PrefixesRole).toString(), QStringLiteral("+"));
    QSignalSpy changed(&model, &UserModel::dataChanged);
    // WHO says "away" without why; away-notify says why; the same again is no change.
    QVERIFY(model.setAway(QStringLiteral("Bob"), true));
    QVERIFY(model.data(model.index(1), UserModel::AwayRole).toBool());
    QCOMPARE(model.data(model.index(1), UserModel::AwayMessageRole).toString(), QString());
    QVERIFY(model.setAway(QStringLiteral("bob"), true, QStringLiteral("lunch")));
    QVERIFY(!model.setAway(QStringLiteral("bob"), true, QStringLiteral("lunch")));
    QVERIFY(!model.setAway(QStringLiteral("bob"), true)); // WHO again: the reason stays
    QCOMPARE(model.data(model.index(1), UserModel::AwayMessageRole).toString(), QStringLiteral("lunch"));
    QCOMPARE(changed.count(), 2);
    QVERIFY(!model.setAway(QStringLiteral("nobody"), true));
    QVERIFY(!model.isAway(QStringLiteral("carol")));
    // Kept across NAMES and a new nick; coming back forgets the reason.
    model.setNames({QStringLiteral("@alice"), QStringLiteral("bob"), QStringLiteral("carol")});
    QVERIFY(model.isAway(QStringLiteral("bob")));
    QVERIFY(model.rename(QStringLiteral("bob"), QStringLiteral("robert")));
    QVERIFY(model.isAway(QStringLiteral("robert")));
    const int row = model.nicks().indexOf(QStringLiteral("robert"));
    QCOMPARE(model.data(model.index(row), UserModel::AwayMessageRole).toString(), QStringLiteral("lunch"));
    QVERIFY(model.setAway(QStringLiteral("robert"), false));
    QCOMPARE(model.data(model.index(row), UserModel::AwayMessageRole).toString(), QString());
    QVERIFY(!model.isAway(QStringLiteral("robert")));
}

void tst_Models::banList()
{
    BanListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy countSpy(&model, &BanListModel::countChanged);
    const QDateTime when = QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC);
    model.setEntries({{QStringLiteral("troll!*@*"), QStringLiteral("alice"), when},
                      {QStringLiteral("TROLL!*@*"), QStringLiteral("bob"), {}}, // the same mask
                      {QStringLiteral("*!*@10.0.0.*"), {}, {}}});
    QCOMPARE(model.masks(), (QStringList{"troll!*@*", "*!*@10.0.0.*"}));
    QCOMPARE(model.data(model.index(0), BanListModel::SetByRole).toString(), QStringLiteral("alice"));
    QCOMPARE(model.data(model.index(0), BanListModel::SetAtRole).toDateTime(), when);
    QVERIFY(!model.data(model.index(1), BanListModel::SetAtRole).toDateTime().isValid());
    QVERIFY(model.add({QStringLiteral("spam!*@*"), QStringLiteral("bob"), when}));
    QVERIFY(!model.add({QStringLiteral("Spam!*@*"), {}, {}}));
    QVERIFY(!model.add({}));
    QVERIFY(model.remove(QStringLiteral("Troll!*@*")));
    QVERIFY(!model.remove(QStringLiteral("nobody!*@*")));
    QCOMPARE(model.masks(), (QStringList{"*!*@10.0.0.*", "spam!*@*"}));
    QCOMPARE(model.count(), 2);
    model.clear();
    QCOMPARE(model.count(), 0);
    QCOMPARE(countSpy.count(), 4);
}

// A msgid shown once is not new again; only the latest kRemembered are kept; no id is always new.
void tst_Models::seenMessagesRememberTheLatest()
{
    SeenMessages seen;
    QVERIFY(seen.isNew("first"));
    QVERIFY(!seen.isNew("first"));
    QVERIFY(seen.isNew({}));
    QVERIFY(seen.isNew({}));
    for (qsizetype i = 1; i < SeenMessages::kRemembered; ++i)
        QVERIFY(seen.isNew("id" + QByteArray::number(i)));
    QVERIFY(!seen.isNew("first")); // still among the latest kRemembered
    QVERIFY(seen.isNew("one more")); // pushes "first" out
    QVERIFY(seen.isNew("first"));
    QVERIFY(!seen.isNew("one more"));
    QVERIFY(!seen.isNew("id" + QByteArray::number(SeenMessages::kRemembered - 1)));
}

void tst_Models::conversationsGroupedAndFound()
{
    ConversationList list;
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    list.setServerName(QStringLiteral("irc.example"));
    QCOMPARE(conversationRows(list), QStringList{QStringLiteral("irc.example*")});

    Conversation *bob = list.open(QStringLiteral("bob"), Conversation::Kind::Private);
    Conversation *lobby = list.open(QStringLiteral("#lobby"), Conversation::Kind::Channel);
    list.open(QStringLiteral("carol"), Conversation::Kind::Private);
    Conversation *dev = list.open(QStringLiteral("#dev"), Conversation::Kind::Channel);
    // Channels first, then private conversations, each in the order opened.
    QCOMPARE(conversationRows(list),
             (QStringList{"irc.example*", "#lobby", "#dev", "bob", "carol"}));
    QCOMPARE(list.data(list.index(1), ConversationList::KindRole).toInt(), int(Conversation::Kind::Channel));
    QCOMPARE(list.data(list.index(3), ConversationList::ConversationRole).value<Conversation *>(), bob);

    // Names compare under the server's casemapping; opening one again gives the same conversation.
    QCOMPARE(list.find(QStringLiteral("#LOBBY")), lobby);
    QCOMPARE(list.find(QStringLiteral("BOB")), bob);
    QCOMPARE(list.open(QStringLiteral("#Dev"), Conversation::Kind::Channel), dev);
    QCOMPARE(list.count(), 5);
    list.setServerRules(tktalk::protocol::Casemapping::Ascii, QStringLiteral("@+"));
    list.open(QStringLiteral("x[a]"), Conversation::Kind::Private);
    QVERIFY(!list.find(QStringLiteral("x{a}")));
    list.setServerRules(tktalk::protocol::Casemapping::Rfc1459, QStringLiteral("@+"));
    QVERIFY(list.find(QStringLiteral("x{a}")));
    QVERIFY(!list.find(QStringLiteral("nobody")));

    // A private conversation follows its person's nick; channel names do not change.
    list.rename(QStringLiteral("Bob"), QStringLiteral("robert"));
    QCOMPARE(bob->name(), QStringLiteral("robert"));
    list.rename(QStringLiteral("#dev"), QStringLiteral("#other"));
    QCOMPARE(dev->name(), QStringLiteral("#dev"));
}

void tst_Models::conversationsCountWhatIsNotLookedAt()
{
    ConversationList list;
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Conversation *lobby = list.open(QStringLiteral("#lobby"), Conversation::Kind::Channel);
    Conversation *bob = list.open(QStringLiteral("bob"), Conversation::Kind::Private);
    list.activate(lobby);
    QSignalSpy totals(&list, &ConversationList::totalUnreadChanged);

    list.noteIncoming(lobby, false); // looked at: not counted
    QCOMPARE(lobby->unread(), 0);
    list.noteIncoming(bob, true);
    list.noteIncoming(bob, false);
    QCOMPARE(bob->unread(), 2);
    QCOMPARE(bob->mentions(), 1);
    QCOMPARE(list.data(list.index(2), ConversationList::UnreadRole).toInt(), 2);
    QCOMPARE(list.data(list.index(2), ConversationList::MentionsRole).toInt(), 1);
    QCOMPARE(list.totalUnread(), 2);
    QCOMPARE(totals.count(), 2);

    // A window in the background: even the current conversation gathers them.
    list.setWindowActive(false);
    list.noteIncoming(lobby, false);
    QCOMPARE(lobby->unread(), 1);
    list.setWindowActive(true);
    QCOMPARE(lobby->unread(), 0);

    // Showing a conversation reads it.
    QVERIFY(list.activateNextUnread());
    QCOMPARE(list.current(), bob);
    QCOMPARE(bob->unread(), 0);
    QCOMPARE(bob->mentions(), 0);
    QVERIFY(!list.activateNextUnread());
    QCOMPARE(list.totalUnread(), 0);
}

void tst_Models::conversationsMoveAndClose()
{
    ConversationList list;
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    list.open(QStringLiteral("#a"), Conversation::Kind::Channel);
    list.open(QStringLiteral("bob"), Conversation::Kind::Private);
    QSignalSpy current(&list, &ConversationList::currentChanged);
    list.activateNext(1);
    QCOMPARE(list.currentIndex(), 1);
    list.activateNext(-2); // wraps around
    QCOMPARE(list.currentIndex(), 2);
    list.activateNext(1);
    QCOMPARE(list.currentIndex(), 0);
    QCOMPARE(current.count(), 3);
    list.activate(7); // out of range: nothing
    QCOMPARE(list.currentIndex(), 0);

    // A channel opened above the current conversation: the same one stays current.
    list.activate(2);
    list.open(QStringLiteral("#b"), Conversation::Kind::Channel);
    QCOMPARE(list.current()->name(), QStringLiteral("bob"));
    QCOMPARE(conversationRows(list), (QStringList{"Server", "#a", "#b", "bob*"}));

    // Closing the current one shows the one before it; the server's cannot be closed.
    list.close(3);
    QCOMPARE(conversationRows(list), (QStringList{"Server", "#a", "#b*"}));
    list.close(0);
    QCOMPARE(list.count(), 3);
    list.close(1);
    QCOMPARE(conversationRows(list), (QStringList{"Server", "#b*"}));
    list.clear();
    QCOMPARE(conversationRows(list), (QStringList{"Server*"}));
}

void tst_Models::conversationsQuickSwitcherMatches()
{
    ConversationList list;
    list.setServerName(QStringLiteral("irc.example"));
    list.open(QStringLiteral("#dev"), Conversation::Kind::Channel);             // 1
    Conversation *devops = list.open(QStringLiteral("#devops"), Conversation::Kind::Channel); // 2
    list.open(QStringLiteral("#lobby"), Conversation::Kind::Channel);           // 3
    list.open(QStringLiteral("Devin"), Conversation::Kind::Private);            // 4
    list.open(QStringLiteral("eve"), Conversation::Kind::Private);              // 5
    list.noteIncoming(devops, false);

    // Starting with it (after a #) before containing it; unread first within each.
    QCOMPARE(list.matching(QStringLiteral("dev")), (QList<int>{2, 1, 4}));
    QCOMPARE(list.matching(QStringLiteral("DEV")), (QList<int>{2, 1, 4}));
    QCOMPARE(list.matching(QStringLiteral("#dev")), (QList<int>{2, 1}));
    QCOMPARE(list.matching(QStringLiteral("@devin")), (QList<int>{4}));
    QCOMPARE(list.matching(QStringLiteral("ev")), (QList<int>{5, 2, 1, 4}));
    QCOMPARE(list.matching(QStringLiteral("bb")), (QList<int>{3}));
    QCOMPARE(list.matching(QStringLiteral("nothing")), QList<int>{});
    // Nothing typed: all but the current one (the server's), unread first.
    QCOMPARE(list.matching(QString()), (QList<int>{2, 1, 3, 4, 5}));
}

void tst_Models::historyAnswersAreTheBatchesAskedFor()
{
    using tktalk::protocol::Message;
    const auto parse = [](const QByteArray &line) { return *Message::parse(line); };
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    CertificatePins pins(settings);
    IrcConnection connection(pins); // not connected: what it is asked to send goes nowhere
    HistoryLoader loader(connection);
    loader.setAvailable(true);
    Conversation lobby(Conversation::Kind::Channel, QStringLiteral("#lobby"));
    Conversation withBob(Conversation::Kind::Private, QStringLiteral("bob"));
    MessageModel::Entry shown = chat(QStringLiteral("bob"), QStringLiteral("shown"));
    shown.msgid = "m1";
    withBob.messages()->append(shown);
    loader.loadLatest(lobby);
    loader.loadOlder(withBob); // BEFORE msgid=m1
    QVERIFY(withBob.loadingOlder());

    // Messages that waited for the user come in a chathistory batch nobody asked for: live news.
    QVERIFY(!loader.onBatch(parse(":irc.test BATCH +w chathistory carol")));
    QCOMPARE(loader.classify(parse("@batch=w :carol!c@h PRIVMSG alice :while you were away")),
             HistoryLoader::Line::Live);
    QVERIFY(!loader.onBatch(parse(":irc.test BATCH -w")));
    // The answers, matched by target whatever their order and case.
    QVERIFY(!loader.onBatch(parse(":irc.test BATCH +b chathistory Bob")));
    QVERIFY(!loader.onBatch(parse(":irc.test BATCH +l chathistory #lobby")));
    QCOMPARE(loader.classify(parse("@batch=l :bob!b@h PRIVMSG #lobby :hi")), HistoryLoader::Line::Newer);
    QCOMPARE(loader.classify(parse("@batch=b :bob!b@h PRIVMSG alice :old")), HistoryLoader::Line::Older);
    QCOMPARE(loader.classify(parse(":bob!b@h PRIVMSG alice :live")), HistoryLoader::Line::Live);
    const auto lobbyDone = loader.onBatch(parse(":irc.test BATCH -l"));
    QVERIFY(lobbyDone);
    QCOMPARE(lobbyDone->target, QStringLiteral("#lobby"));
    QVERIFY(lobbyDone->complete); // one line where 50 were asked for
    const auto bobDone = loader.onBatch(parse(":irc.test BATCH -b"));
    QVERIFY(bobDone && bobDone->target == QStringLiteral("bob") && !bobDone->gapFill);
    // A refusal ends its request; nothing is left waiting.
    loader.loadLatest(lobby);
    QCOMPARE(loader.onFail(parse(":irc.test FAIL CHATHISTORY INVALID_TARGET LATEST #lobby :No")),
             std::optional<QString>(QStringLiteral("#lobby")));
    QVERIFY(!loader.onFail(parse(":irc.test FAIL CHATHISTORY INVALID_TARGET LATEST #lobby :No")));
}

QTEST_GUILESS_MAIN(tst_Models)
#include "tst_models.moc"
