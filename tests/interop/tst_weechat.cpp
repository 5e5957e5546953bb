// WeeChat (weechat-headless) chats on tktalk over TLS.

#include "chatscenario.h"
#include "weechatclient.h"

#include <QTest>

class tst_Weechat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chats();
};

void tst_Weechat::chats()
{
    tktalk::test::WeechatClient client;
    tktalk::test::runChatScenario(client);
}

QTEST_GUILESS_MAIN(tst_Weechat)
#include "tst_weechat.moc"
