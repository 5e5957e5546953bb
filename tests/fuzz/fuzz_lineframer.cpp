// LineFramer fed in chunks of sizes the input chooses. Properties checked on every input:
// - the lines and verdicts do not depend on how the bytes were chunked, up to an Overflow (after
//   which the caller disconnects, so nothing later matters);
// - every line is within the IRC limits and holds no LF, and a NeedMore never leaves more
//   buffered than one unfinished line may take.

#include "fuzzsupport.h"

#include "protocol/limits.h"
#include "protocol/lineframer.h"

#include <QList>

#include <utility>

using tktalk::protocol::LineFramer;
namespace protocol = tktalk::protocol;

namespace {

using Verdict = std::pair<LineFramer::Status, QByteArray>;

/// Takes every line the framer has, checking each; stops at NeedMore or Overflow.
void drain(LineFramer &framer, QList<Verdict> &verdicts, QByteArrayView input)
{
    while (true) {
        QByteArray line;
        const LineFramer::Status status = framer.next(line);
        if (status == LineFramer::Status::NeedMore) {
            FUZZ_CHECK(framer.bufferedBytes() <= protocol::kMaxFramedLineBytes, input);
            FUZZ_CHECK(!framer.hasCompleteLine(), input);
            return;
        }
        if (status == LineFramer::Status::Line) {
            FUZZ_CHECK(!line.contains('\n'), input);
            const bool tagged = line.startsWith('@');
            const qsizetype tags = tagged ? (line.indexOf(' ') < 0 ? line.size() : line.indexOf(' ') + 1) : 0;
            FUZZ_CHECK(tags <= protocol::kMaxTagsBytes && line.size() - tags <= protocol::kMaxLineBodyBytes, input);
        }
        verdicts.append({status, status == LineFramer::Status::Line ? line : QByteArray()});
        if (status == LineFramer::Status::Overflow)
            return;
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = tktalk::fuzz::bytesOf(data, size);
    if (input.size() < 4)
        return 0;
    // The first four bytes choose the chunk sizes (1 to 256, cycling); the rest is the stream.
    const QByteArrayView sizes = input.first(4);
    const QByteArrayView stream = input.sliced(4);

    QList<Verdict> whole;
    LineFramer all;
    all.append(stream);
    drain(all, whole, input);

    QList<Verdict> chunked;
    LineFramer framer;
    qsizetype pos = 0;
    for (int i = 0; pos < stream.size(); ++i) {
        const qsizetype chunk = std::min<qsizetype>(1 + quint8(sizes[i % 4]), stream.size() - pos);
        framer.append(stream.sliced(pos, chunk));
        pos += chunk;
        drain(framer, chunked, input);
        if (!chunked.isEmpty() && chunked.constLast().first == LineFramer::Status::Overflow)
            break;
    }

    // Chunking may only bring an Overflow forward (an unfinished line grew too long before its LF
    // arrived); everything before it is the same.
    const bool overflowed = !chunked.isEmpty() && chunked.constLast().first == LineFramer::Status::Overflow;
    const qsizetype common = overflowed ? chunked.size() - 1 : chunked.size();
    FUZZ_CHECK(whole.size() >= common, input);
    for (qsizetype i = 0; i < common; ++i)
        FUZZ_CHECK(whole.at(i) == chunked.at(i), input);
    if (!overflowed)
        FUZZ_CHECK(whole.size() == chunked.size(), input);
    return 0;
}
