// irc-framework, an IRC client library from npm, chats on tktalk over TLS.

#include "chatscenario.h"
#include "nodeclient.h"

#include <QTest>

class tst_IrcFramework : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chats();
};

void tst_IrcFramework::chats()
{
    tktalk::test::NodeClient client;
    tktalk::test::runChatScenario(client);
}

QTEST_GUILESS_MAIN(tst_IrcFramework)
#include "tst_ircframework.moc"
