// The client's handling of what a server sends: the bytes are framed and parsed as IrcConnection
// does, and every message goes to a ChatSession that is logging in (as a guest, with a password,
// or creating an account), through the connection's messageReceived() signal. Afterwards the
// session is used as the window would use it: it sends a message, lists who is online, completes
// a nick. Properties checked: no crash, leak or sanitizer report, and the models stay consistent
// (QAbstractItemModel's rules are checked by the client's tests; here every row must be readable).
//
// Input: one byte choosing the login (bits 0-1: guest, password, create account), then the
// server's byte stream.

#include "fuzzsupport.h"

#include "chatsession.h"
#include "ircconnection.h"
#include "protocol/lineframer.h"
#include "protocol/message.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>

using namespace tktalk;
using client::ChatSession;
using client::IrcConnection;

namespace {

void readEveryRow(const QAbstractItemModel &model)
{
    const QHash<int, QByteArray> roles = model.roleNames();
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        for (auto role = roles.keyBegin(); role != roles.keyEnd(); ++role)
            (void)model.data(index, *role);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tktalk::fuzz::ensureApplication(argc, argv);
    // Settings (pins, the last login) go to a test location, never the user's, and in memory
    // where there is a tmpfs: the session saves them at every login, and a disk's fsync is slow.
    static QTemporaryDir home(QFileInfo(QStringLiteral("/dev/shm")).isWritable()
                                  ? QStringLiteral("/dev/shm/fuzz_client-XXXXXX")
                                  : QDir::tempPath() + QStringLiteral("/fuzz_client-XXXXXX"));
    qputenv("HOME", QFile::encodeName(home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.path()));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("tktalk-fuzz"));
    QCoreApplication::setApplicationName(QStringLiteral("fuzz_client"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = tktalk::fuzz::bytesOf(data, size);
    if (input.isEmpty())
        return 0;
    const int login = quint8(input[0]) & 3;

    ChatSession session;
    // Nothing listens on port 9: the connection attempt goes nowhere while the script plays the
    // server, as the event loop does not run until the session is gone.
    session.connectToServer(QStringLiteral("127.0.0.1"), 9, QStringLiteral("fuzzer"),
                            login == 0 ? QString() : QStringLiteral("correct-horse"), login == 2);
    auto *connection = session.findChild<IrcConnection *>();
    FUZZ_CHECK(connection != nullptr, input);

    protocol::LineFramer framer;
    framer.append(input.sliced(1));
    QByteArray line;
    while (true) {
        const protocol::LineFramer::Status status = framer.next(line);
        if (status == protocol::LineFramer::Status::NeedMore || status == protocol::LineFramer::Status::Overflow)
            break;
        if (status != protocol::LineFramer::Status::Line)
            continue;
        if (const std::optional<protocol::Message> message = protocol::Message::parse(line))
            Q_EMIT connection->messageReceived(*message);
    }

    session.send(QStringLiteral("hello from the fuzzer"));
    session.send(QStringLiteral("/u"));
    session.send(QStringLiteral("/@fuzzer a private word"));
    (void)session.completeNick(QStringLiteral("f"));
    (void)session.statusText();
    readEveryRow(*session.messages());
    readEveryRow(*session.users());
    return 0;
}
