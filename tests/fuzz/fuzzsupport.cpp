#include "fuzzsupport.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <cstdlib>

namespace tktalk::fuzz {

void ensureApplication(int *argc, char ***argv)
{
    if (QCoreApplication::instance())
        return;
    if (!qEnvironmentVariableIsSet("TKTALK_FUZZ_LOG"))
        QLoggingCategory::setFilterRules(QStringLiteral("*=false"));
    // Qt's own dispatcher, as `tktalk --server` uses.
    qputenv("QT_NO_GLIB", "1");
    new QCoreApplication(*argc, *argv); // lives until exit, as the fuzzer does
}

void fail(const char *what, QByteArrayView input)
{
    std::fprintf(stderr, "FUZZ_CHECK failed: %s\ninput (%lld bytes): %s\n", what, qlonglong(input.size()),
                 input.toByteArray().toPercentEncoding(" :@!#;=,*").constData());
    std::abort();
}

} // namespace tktalk::fuzz
