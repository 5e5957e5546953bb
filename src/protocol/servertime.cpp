#include "servertime.h"

#include <algorithm>

namespace tktalk::protocol {

namespace {

constexpr qint64 kMsPerDay = 86'400'000;
/// Days from 0000-01-01 to 1970-01-01 (proleptic Gregorian).
constexpr qint64 kDaysBeforeEpoch = 719'528;
constexpr qint64 kFirstMs = -kDaysBeforeEpoch * kMsPerDay;     // 0000-01-01T00:00:00.000Z
constexpr qint64 kLastMs = 253'402'300'799'999;                 // 9999-12-31T23:59:59.999Z

/// Days since 1970-01-01 of a (proleptic Gregorian) date; H. Hinnant's days_from_civil.
qint64 daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return qint64(era) * 146'097 + dayOfEra - 719'468;
}

struct Civil
{
    int year, month, day;
};

/// The date of a day since 1970-01-01; H. Hinnant's civil_from_days.
Civil civilFromDays(qint64 days)
{
    days += 719'468;
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const int dayOfEra = int(days - era * 146'097);
    const int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const int shifted = (5 * dayOfYear + 2) / 153;
    const int day = dayOfYear - (153 * shifted + 2) / 5 + 1;
    const int month = shifted < 10 ? shifted + 3 : shifted - 9;
    return {int(yearOfEra + era * 400) + (month <= 2), month, day};
}

void putDigits(char *out, int value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}

/// The number written in @p digits decimal digits at @p text, or -1 when one is not a digit.
int readDigits(const char *text, int digits)
{
    int value = 0;
    for (int i = 0; i < digits; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

QByteArray formatServerTime(qint64 msSinceEpoch)
{
    const qint64 ms = std::clamp(msSinceEpoch, kFirstMs, kLastMs);
    qint64 days = ms / kMsPerDay;
    qint64 msOfDay = ms % kMsPerDay;
    if (msOfDay < 0) {
        msOfDay += kMsPerDay;
        --days;
    }
    const Civil date = civilFromDays(days);
    const int millis = int(msOfDay);
    QByteArray text(kServerTimeBytes, Qt::Uninitialized);
    char *out = text.data();
    putDigits(out, date.year, 4);
    out[4] = '-';
    putDigits(out + 5, date.month, 2);
    out[7] = '-';
    putDigits(out + 8, date.day, 2);
    out[10] = 'T';
    putDigits(out + 11, millis / 3'600'000, 2);
    out[13] = ':';
    putDigits(out + 14, millis / 60'000 % 60, 2);
    out[16] = ':';
    putDigits(out + 17, millis / 1000 % 60, 2);
    out[19] = '.';
    putDigits(out + 20, millis % 1000, 3);
    out[23] = 'Z';
    return text;
}

std::optional<qint64> parseServerTime(QByteArrayView text)
{
    if (text.size() != kServerTimeBytes)
        return std::nullopt;
    const char *in = text.data();
    if (in[4] != '-' || in[7] != '-' || in[10] != 'T' || in[13] != ':' || in[16] != ':' || in[19] != '.'
        || in[23] != 'Z')
        return std::nullopt;
    const int year = readDigits(in, 4), month = readDigits(in + 5, 2), day = readDigits(in + 8, 2);
    const int hour = readDigits(in + 11, 2), minute = readDigits(in + 14, 2), second = readDigits(in + 17, 2);
    const int millis = readDigits(in + 20, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || millis < 0)
        return std::nullopt;
    const qint64 ms = daysFromCivil(year, month, day) * kMsPerDay
                      + ((hour * 60 + minute) * 60 + second) * qint64(1000) + millis;
    // 31 April and 29 February of a common year would become a day of the next month.
    if (formatServerTime(ms) != text)
        return std::nullopt;
    return ms;
}

} // namespace tktalk::protocol
