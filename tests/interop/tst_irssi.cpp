// Irssi, in tmux, chats on tktalk over TLS.

#include "chatscenario.h"
#include "irssiclient.h"

#include <QTest>

class tst_Irssi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chats();
};

void tst_Irssi::chats()
{
    tktalk::test::IrssiClient client;
    tktalk::test::runChatScenario(client);
}

QTEST_GUILESS_MAIN(tst_Irssi)
#include "tst_irssi.moc"
