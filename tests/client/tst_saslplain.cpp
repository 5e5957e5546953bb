// The SASL PLAIN payload and its 400-byte AUTHENTICATE pieces.

#include "saslplain.h"

#include <QTest>

using tktalk::client::kSaslChunkBytes;
using tktalk::client::saslPlainLines;

class tst_SaslPlain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void payload();
    void chunks_data();
    void chunks();
};

void tst_SaslPlain::payload()
{
    const QByteArrayList lines = saslPlainLines(QStringLiteral("alice"), QStringLiteral("pass wörd"));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(QByteArray::fromBase64(lines.first()), QByteArray("\0alice\0pass w\xc3\xb6rd", 17));
}

void tst_SaslPlain::chunks_data()
{
    QTest::addColumn<int>("passwordLength");
    QTest::addColumn<QList<int>>("lineLengths");
    // The payload is 2 + 1 ("a") + password bytes; base64 makes 4 of every 3.
    QTest::newRow("short") << 10 << QList<int>{20};
    QTest::newRow("just under") << 293 << QList<int>{396};
    QTest::newRow("exactly 400 with padding") << 296 << QList<int>{400, 1};
    QTest::newRow("exactly 400 then +") << 297 << QList<int>{400, 1};
    QTest::newRow("two pieces") << 400 << QList<int>{400, 140};
}

void tst_SaslPlain::chunks()
{
    QFETCH(int, passwordLength);
    QFETCH(QList<int>, lineLengths);
    const QString password(passwordLength, QLatin1Char('x'));
    const QByteArrayList lines = saslPlainLines(QStringLiteral("a"), password);
    QList<int> lengths;
    for (const QByteArray &line : lines)
        lengths << int(line.size());
    QCOMPARE(lengths, lineLengths);
    if (lines.last() == "+")
        QCOMPARE(lines.at(lines.size() - 2).size(), kSaslChunkBytes);
    QByteArray joined;
    for (const QByteArray &line : lines)
        joined += line == "+" ? QByteArray() : line;
    QCOMPARE(QByteArray::fromBase64(joined), QByteArray(1, '\0') + "a" + '\0' + password.toUtf8());
}

QTEST_GUILESS_MAIN(tst_SaslPlain)
#include "tst_saslplain.moc"
