#include "accountmain.h"

#include "accounts/accountstore.h"
#include "accounts/passwordhasher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>

#include <termios.h>
#include <unistd.h>

#include <cstdio>

namespace tktalk::app {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kMaxPasswordBytes = 1024;

/// Reads one line from standard input; when it is a terminal, prompts on stderr and hides the typing.
QByteArray readPassword()
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal) {
        std::fputs("Password: ", stderr);
        std::fflush(stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    char buffer[kMaxPasswordBytes + 2] = {};
    const bool read = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    QByteArray password = read ? QByteArray(buffer) : QByteArray();
    while (password.endsWith('\n') || password.endsWith('\r'))
        password.chop(1);
    return password;
}

int fail(const QString &message, int status = kExitFailure)
{
    std::fprintf(stderr, "tktalk: %s\n", qPrintable(message));
    return status;
}

/// Reads and hashes a new password; empty on bad input (already reported).
QByteArray newPasswordHash(const server::ServerConfig &config)
{
    const QByteArray password = readPassword();
    if (password.size() < config.minPasswordLength) {
        fail(QStringLiteral("the password must have at least %1 characters").arg(config.minPasswordLength), kExitUsage);
        return {};
    }
    const server::PasswordHasher hasher({config.passwordHashOps, std::size_t(config.passwordHashMemoryBytes)});
    const QByteArray hash = hasher.hash(password);
    if (hash.isEmpty())
        fail(QStringLiteral("hashing the password failed (not enough memory for --hash-memory?)"));
    return hash;
}

} // namespace

int runAccountCommand(int &argc, char **argv, const AccountCommand &command, server::ServerConfig config)
{
    QCoreApplication app(argc, argv);
    if (config.dataDir.isEmpty())
        config.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!server::PasswordHasher::initialize())
        return fail(QStringLiteral("libsodium failed to initialise"));
    if (!QDir().mkpath(config.dataDir))
        return fail(QStringLiteral("cannot create the data directory %1").arg(config.dataDir));
    server::AccountStore store;
    QString error;
    if (!store.open(QDir(config.dataDir).filePath(QLatin1String(server::AccountStore::kFileName)), &error))
        return fail(error);

    const QString name = QString::fromUtf8(command.name);
    switch (command.action) {
    case AccountCommand::Action::List:
        for (const server::Account &account : store.list()) {
            std::printf("%s\t%s%s\n", account.name.constData(),
                        qPrintable(QDateTime::fromSecsSinceEpoch(account.createdAtSecs, Qt::UTC).toString(Qt::ISODate)),
                        account.isOperator ? "\toperator" : "");
        }
        return 0;
    case AccountCommand::Action::Add: {
        if (store.exists(command.name))
            return fail(QStringLiteral("account %1 already exists").arg(name));
        const QByteArray hash = newPasswordHash(config);
        if (hash.isEmpty())
            return kExitUsage;
        switch (store.add(command.name, hash, {})) {
        case server::AccountStore::AddResult::Added:
            std::printf("Added account %s\n", command.name.constData());
            return 0;
        case server::AccountStore::AddResult::Exists:
            return fail(QStringLiteral("account %1 already exists").arg(name));
        case server::AccountStore::AddResult::Failed:
            return fail(QStringLiteral("cannot add account %1: %2").arg(name, store.lastError()));
        }
        return kExitFailure;
    }
    case AccountCommand::Action::Delete:
        if (!store.remove(command.name))
            return fail(QStringLiteral("no account %1").arg(name));
        std::printf("Deleted account %s\n", command.name.constData());
        return 0;
    case AccountCommand::Action::Password: {
        if (!store.exists(command.name))
            return fail(QStringLiteral("no account %1").arg(name));
        const QByteArray hash = newPasswordHash(config);
        if (hash.isEmpty())
            return kExitUsage;
        if (!store.setPasswordHash(command.name, hash))
            return fail(QStringLiteral("cannot change the password of %1: %2").arg(name, store.lastError()));
        std::printf("Changed the password of %s\n", command.name.constData());
        return 0;
    }
    case AccountCommand::Action::Operator:
        if (!store.setOperator(command.name, command.makeOperator))
            return fail(QStringLiteral("no account %1").arg(name));
        std::printf(command.makeOperator ? "%s is now a server operator account\n"
                                         : "%s is no longer a server operator account\n",
                    command.name.constData());
        return 0;
    case AccountCommand::Action::Certificate:
        if (!store.addCertificate(command.name, command.fingerprint))
            return fail(QStringLiteral("no account %1").arg(name));
        std::printf("Bound certificate %s to %s\n", command.fingerprint.constData(), command.name.constData());
        return 0;
    }
    return kExitFailure;
}

} // namespace tktalk::app
