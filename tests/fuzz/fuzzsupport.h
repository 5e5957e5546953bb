#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstddef>
#include <cstdint>

/// The entry points libFuzzer calls (and replaymain.cpp, in builds without libFuzzer).
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace tktalk::fuzz {

/// A QCoreApplication for the whole run (made once; later calls do nothing). Logging is off
/// unless TKTALK_FUZZ_LOG is set: a fuzzer's speed is what it can try per second.
void ensureApplication(int *argc, char ***argv);

/// The input as bytes, without copying.
inline QByteArrayView bytesOf(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

/// Reports a broken property of the code under test with @p what and the input, and aborts, which
/// libFuzzer records as a crash with the input that caused it.
[[noreturn]] void fail(const char *what, QByteArrayView input);

} // namespace tktalk::fuzz

/// Checks a property that must hold for every input.
#define FUZZ_CHECK(condition, input)                                                                             \
    do {                                                                                                         \
        if (!(condition))                                                                                        \
            ::tktalk::fuzz::fail(#condition, (input));                                                           \
    } while (false)
