#include "sqlitehistorystore.h"

#include "historychunk.h"
#include "historydatabase.h"
#include "logging.h"

#include <QFuture>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace tktalk::server {

namespace {
const QString kUnavailable = QStringLiteral("history is not available");
} // namespace

SqliteHistoryStore::SqliteHistoryStore(QObject *parent)
    : HistoryStore(parent)
{
    m_thread.setMaxThreadCount(1);
    m_thread.setExpiryTimeout(-1); // one thread for the store's whole life: the connection lives there
    m_groupCommit.setSingleShot(true);
    m_groupCommit.setInterval(kGroupCommitMs);
    connect(&m_groupCommit, &QTimer::timeout, this, &SqliteHistoryStore::flush);
}

SqliteHistoryStore::~SqliteHistoryStore()
{
    flush();
    // The connection must be closed on the thread that opened it.
    std::shared_ptr<HistoryDatabase> database = std::move(m_database);
    if (database) {
        QThreadPool *thread = &m_thread;
        (void)QtConcurrent::run(thread, [database = std::move(database)]() mutable { database.reset(); });
    }
    m_thread.waitForDone();
}

bool SqliteHistoryStore::open(const QString &path, QString *error)
{
    auto database = std::make_shared<HistoryDatabase>();
    QFuture<QString> opened = QtConcurrent::run(&m_thread, [database, path] {
        QString why;
        return database->open(path, &why) ? QString() : why;
    });
    *error = opened.result();
    if (!error->isEmpty()) {
        (void)QtConcurrent::run(&m_thread, [database]() mutable { database.reset(); });
        return false;
    }
    m_database = std::move(database);
    return true;
}

void SqliteHistoryStore::append(const HistoryRecord &entry)
{
    if (!m_database)
        return;
    historychunk::appendPacked(m_batch, entry, historychunk::Fields::Everything);
    if (++m_batchEntries >= kBatchEntries)
        flush();
    else if (!m_groupCommit.isActive())
        m_groupCommit.start();
}

template <typename Result>
void SqliteHistoryStore::post(std::function<Result(HistoryDatabase &)> work, QObject *context,
                              std::function<void(const Result &)> then)
{
    // The result comes back as a queued call on this object, not through QFuture::then(context):
    // that continuation crashed once under ASan in Qt 6.4 (in QPromise::start, on a finished
    // purge), and a queued call shares no state between the threads but the result it carries.
    // The destructor waits for the thread before this object goes, and calls still queued then
    // are dropped with it.
    QPointer<QObject> receiver(context);
    m_thread.start([this, database = m_database, work = std::move(work), receiver = std::move(receiver),
                    then = std::move(then)]() mutable {
        Result result = work(*database);
        if (!then)
            return;
        QMetaObject::invokeMethod(
            this,
            [receiver = std::move(receiver), then = std::move(then), result = std::move(result)] {
                if (receiver)
                    then(result);
            },
            Qt::QueuedConnection);
    });
}

template <typename Result>
void SqliteHistoryStore::run(Result unavailable, std::function<Result(HistoryDatabase &)> work, QObject *context,
                             std::function<void(const Result &)> then)
{
    if (!m_database) {
        if (then)
            then(unavailable);
        return;
    }
    flush();
    post<Result>(std::move(work), context, std::move(then));
}

void SqliteHistoryStore::flush()
{
    m_groupCommit.stop();
    if (m_batchEntries == 0 || !m_database)
        return;
    QByteArray batch;
    batch.reserve(m_batch.capacity()); // the next batch is about as big: no doubling on the way
    batch.swap(m_batch);
    const qsizetype count = std::exchange(m_batchEntries, 0);
    post<Written>(
        [batch = std::move(batch)](HistoryDatabase &database) {
            QString error;
            if (!database.insert(batch, &error))
                return Written{error, true};
            // Kept in the journal; while the database cannot take them, not in history's reads.
            return Written{database.sealProblem(), false};
        },
        this, [this, count](const Written &written) {
            if (written.lost)
                qCDebug(lcServer).noquote() << "history: lost" << count << "entries:" << written.problem;
            setProblem(written.problem);
        });
}

void SqliteHistoryStore::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    if (problem.isEmpty())
        qCInfo(lcServer).noquote() << "history: storing again";
    else
        qCWarning(lcServer).noquote() << "history: cannot store messages:" << problem
                                      << "- chat goes on, but what is said now is not kept";
    m_problem = problem;
    Q_EMIT problemChanged(m_problem);
}

void SqliteHistoryStore::query(const HistoryQuery &request, QObject *context, QueryDone done)
{
    run<HistoryResult>(
        HistoryResult{{}, kUnavailable}, [request](HistoryDatabase &database) { return database.select(request); },
        context, std::move(done));
}

void SqliteHistoryStore::targets(const HistoryTargetsQuery &request, QObject *context, TargetsDone done)
{
    run<HistoryTargetsResult>(
        HistoryTargetsResult{{}, kUnavailable},
        [request](HistoryDatabase &database) { return database.targets(request); }, context, std::move(done));
}

void SqliteHistoryStore::pending(const QByteArray &account, QObject *context, QueryDone done)
{
    run<HistoryResult>(
        HistoryResult{{}, kUnavailable}, [account](HistoryDatabase &database) { return database.pending(account); },
        context, std::move(done));
}

void SqliteHistoryStore::markDelivered(const QByteArray &account, const QByteArrayList &msgids)
{
    if (!m_database || msgids.isEmpty())
        return;
    run<QString>(
        kUnavailable,
        [account, msgids](HistoryDatabase &database) {
            QString error;
            return database.markDelivered(account, msgids, &error) ? QString() : error;
        },
        this, [](const QString &error) {
            if (!error.isEmpty())
                qCWarning(lcServer).noquote() << "history: cannot mark offline messages delivered:" << error;
        });
}

void SqliteHistoryStore::purge(const HistoryPurge &request, QObject *context, PurgeDone done)
{
    run<HistoryPurgeResult>(
        HistoryPurgeResult{0, kUnavailable}, [request](HistoryDatabase &database) { return database.purge(request); },
        context, std::move(done));
}

void SqliteHistoryStore::removeFromAccount(const QByteArray &account, QObject *context, PurgeDone done)
{
    run<HistoryPurgeResult>(
        HistoryPurgeResult{0, kUnavailable},
        [account](HistoryDatabase &database) { return database.removeFromAccount(account); }, context,
        std::move(done));
}

void SqliteHistoryStore::remove(const QByteArray &target, const QByteArray &msgid, QObject *context, Done done)
{
    run<bool>(
        false, [target, msgid](HistoryDatabase &database) { return database.remove(target, msgid); }, context,
        [done = std::move(done)](const bool &removed) { done(removed); });
}

void SqliteHistoryStore::whenWritten(QObject *context, Done done)
{
    run<bool>(
        false, [](HistoryDatabase &) { return true; }, context,
        [this, done = std::move(done)](const bool &) { done(m_problem.isEmpty()); });
}

} // namespace tktalk::server
