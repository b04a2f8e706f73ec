// Wareki: 和暦 GYYMMDD to and from Gregorian YYYYMMDD, with era boundaries checked.
#pragma once

#include "codecs/Result.h"

#include <string>
#include <string_view>

namespace chukan
{

/// Era codes and first days (the data-standard convention used by 住基 and 税務 systems):
///
///     1 明治 1868-10-23   2 大正 1912-07-30   3 昭和 1926-12-25
///     4 平成 1989-01-08   5 令和 2019-05-01
///
/// 明治 starts on the day of the 改元 (1868-10-23) although the era was applied retroactively
/// from 1868-01-25; dates before 1868-10-23 are not representable. All dates are Gregorian
/// (proleptic before 1873). Year 01 is 元年; year 00 never exists. A date must fall inside its
/// era: 昭和64年1月7日 exists, 昭和64年1月8日 (= 平成元年1月8日) does not, nor 昭和65.
class Wareki
{
public:
    /// "GYYMMDD" -> "YYYYMMDD". Errors name the reason (era code, before start, after end, …).
    static Result<std::string> toGregorian(const std::string& gyymmdd);
    /// The same into yyyymmdd[0..7] (no terminator), without allocating unless it fails.
    static Status toGregorian(std::string_view gyymmdd, char yyyymmdd[8]);
    /// "YYYYMMDD" -> "GYYMMDD". Dates before 1868-10-23 are errors.
    static Result<std::string> fromGregorian(const std::string& yyyymmdd);
    /// Validates a Gregorian "YYYYMMDD" (year 0001-9999, real month and day).
    static Status checkGregorian(std::string_view yyyymmdd);
    /// "GYYMMDD" -> "令和元年5月1日" (for display).
    static Result<std::string> toKanji(const std::string& gyymmdd);

    static bool isLeapYear(int year)
    {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }
    static int daysInMonth(int year, int month);
    /// Kanji name of an era code 1-5 ("明治" … "令和"), empty otherwise.
    static std::string eraName(int code);
};

} // namespace chukan
