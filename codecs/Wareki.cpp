// Wareki: era table and conversions between 和暦 and Gregorian dates.
#include "codecs/Wareki.h"

#include <cstdio>

namespace chukan
{

namespace
{

struct Era
{
    int code;
    const char* name;
    int start; ///< first day, YYYYMMDD
};

// Each era ends the day before the next one starts.
const Era eras[] = {
    {1, "明治", 18681023}, {2, "大正", 19120730}, {3, "昭和", 19261225},
    {4, "平成", 19890108}, {5, "令和", 20190501},
};
const int eraCount = sizeof eras / sizeof eras[0];

bool allDigits(std::string_view s)
{
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

/// The number of s[pos, pos + len), all digits (checked by the caller).
int num(std::string_view s, std::size_t pos, std::size_t len)
{
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i)
        v = v * 10 + (s[i] - '0');
    return v;
}

/// value as `width` digits, zero-padded, at out (value < 10^width).
void putDigits(char* out, int value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        out[i] = static_cast<char>('0' + value % 10);
}

std::string pad(int value, int width)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*d", width, value);
    return buf;
}

template <typename What> Status checkDate(int year, int month, int day, const What& what)
{
    if (month < 1 || month > 12)
        return Status::invalid(what() + ": month " + pad(month, 2) + " does not exist");
    if (day < 1 || day > Wareki::daysInMonth(year, month))
        return Status::invalid(what() + ": day " + pad(day, 2) + " does not exist in " +
                               pad(year, 4) + "-" + pad(month, 2));
    return Status::ok();
}

} // namespace

int Wareki::daysInMonth(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

std::string Wareki::eraName(int code)
{
    return code >= 1 && code <= eraCount ? eras[code - 1].name : "";
}

Status Wareki::checkGregorian(std::string_view text)
{
    auto what = [&] { return "date '" + std::string(text) + "'"; };
    if (text.size() != 8 || !allDigits(text))
        return Status::invalid(what() + ": must be 8 digits YYYYMMDD");
    int year = num(text, 0, 4);
    if (year == 0)
        return Status::invalid(what() + ": year 0000 does not exist");
    return checkDate(year, num(text, 4, 2), num(text, 6, 2), what);
}

Result<std::string> Wareki::toGregorian(const std::string& text)
{
    char out[8];
    Status s = toGregorian(text, out);
    if (!s)
        return s;
    return std::string(out, sizeof out);
}

Status Wareki::toGregorian(std::string_view text, char yyyymmdd[8])
{
    auto what = [&] { return "和暦 date '" + std::string(text) + "'"; };
    if (text.size() != 7 || !allDigits(text))
        return Status::invalid(what() + ": must be 7 digits GYYMMDD");
    int code = num(text, 0, 1), yy = num(text, 1, 2), month = num(text, 3, 2),
        day = num(text, 5, 2);
    if (code < 1 || code > eraCount)
        return Status::invalid(what() + ": era code " + std::to_string(code) +
                               " is not 1 明治, 2 大正, 3 昭和, 4 平成 or 5 令和");
    const Era& era = eras[code - 1];
    if (yy == 0)
        return Status::invalid(what() + ": year 00 does not exist (元年 is 01)");
    int year = era.start / 10000 + yy - 1;
    Status s = checkDate(year, month, day, what);
    if (!s)
        return s;
    int date = year * 10000 + month * 100 + day;
    if (date < era.start)
        return Status::invalid(what() + ": " + pad(date, 8) + " is before " + era.name +
                               " began (" + pad(era.start, 8) + ")");
    if (code < eraCount && date >= eras[code].start)
        return Status::invalid(what() + ": " + pad(date, 8) + " is after " + era.name +
                               " ended (" + eras[code].name + " began " +
                               pad(eras[code].start, 8) + ")");
    putDigits(yyyymmdd, date, 8);
    return Status::ok();
}

Result<std::string> Wareki::fromGregorian(const std::string& text)
{
    Status s = checkGregorian(text);
    if (!s)
        return s;
    int date = std::stoi(text);
    for (int i = eraCount - 1; i >= 0; --i)
    {
        if (date < eras[i].start)
            continue;
        int yy = date / 10000 - eras[i].start / 10000 + 1;
        if (yy > 99)
            return Status::invalid("date '" + text + "': " + eras[i].name + " year " +
                                   std::to_string(yy) + " does not fit two digits");
        return std::to_string(eras[i].code) + pad(yy, 2) + text.substr(4);
    }
    return Status::invalid("date '" + text + "': before 明治 (" + pad(eras[0].start, 8) +
                           "), no 和暦 code exists");
}

Result<std::string> Wareki::toKanji(const std::string& text)
{
    Result<std::string> g = toGregorian(text);
    if (!g)
        return g.status();
    int code = num(text, 0, 1), yy = num(text, 1, 2), month = num(text, 3, 2),
        day = num(text, 5, 2);
    return eraName(code) + (yy == 1 ? std::string("元") : std::to_string(yy)) + "年" +
           std::to_string(month) + "月" + std::to_string(day) + "日";
}

} // namespace chukan
