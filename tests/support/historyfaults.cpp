#include "historyfaults.h"

#include "history/historystore.h"
#include "server.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <optional>

namespace tktalk::test {

bool historyWritten(server::Server &server)
{
    std::optional<bool> ok;
    QObject context;
    server.history().store().whenWritten(&context, [&ok](bool stored) { ok = stored; });
    return QTest::qWaitFor([&ok] { return ok.has_value(); }, 10'000) && *ok;
}

HistoryFileLimit::HistoryFileLimit(const QString &dataDir)
{
    const QDir dir(dataDir);
    const qint64 walSize = QFileInfo(dir.filePath(QStringLiteral("history.sqlite-wal"))).size();
    const qint64 journalSize = QFileInfo(dir.filePath(QStringLiteral("history.journal"))).size();
    if (walSize <= 0 || !dir.exists(QStringLiteral("history.journal")) || getrlimit(RLIMIT_FSIZE, &m_original) != 0)
        return;
    m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = m_original;
    small.rlim_cur = rlim_t(std::min(walSize, journalSize));
    m_active = setrlimit(RLIMIT_FSIZE, &small) == 0;
    if (!m_active)
        std::signal(SIGXFSZ, m_previousHandler);
}

HistoryFileLimit::~HistoryFileLimit()
{
    lift();
}

void HistoryFileLimit::lift()
{
    if (!m_active)
        return;
    setrlimit(RLIMIT_FSIZE, &m_original);
    std::signal(SIGXFSZ, m_previousHandler);
    m_active = false;
}

} // namespace tktalk::test
