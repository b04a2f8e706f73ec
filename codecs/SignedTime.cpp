// SignedTime: strict ISO 8601 shape check, then Poco's parser for the calendar arithmetic.
#include "codecs/SignedTime.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>

namespace chukan {

namespace {

bool digits(const std::string& s, std::size_t pos, std::size_t n)
{
    if (pos + n > s.size())
        return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/// The whole of `s` is \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}) (ASCII
/// digits only). By hand: a std::regex match cost more than the rest of reading a message
/// header, and every network message carries one.
bool iso8601Shape(const std::string& s)
{
    if (!(digits(s, 0, 4) && s.size() > 4 && s[4] == '-' && digits(s, 5, 2) && s.size() > 7 && s[7] == '-' &&
          digits(s, 8, 2) && s.size() > 10 && s[10] == 'T' && digits(s, 11, 2) && s.size() > 13 && s[13] == ':' &&
          digits(s, 14, 2) && s.size() > 16 && s[16] == ':' && digits(s, 17, 2)))
        return false;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.')
    {
        std::size_t start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start || i - start > 9)
            return false;
    }
    if (i + 1 == s.size() && s[i] == 'Z')
        return true;
    return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(s, i + 1, 2) && s[i + 3] == ':' &&
           digits(s, i + 4, 2);
}

} // namespace

Result<Poco::Timestamp> SignedTime::parse(const std::string& text, const std::string& what)
{
    if (!iso8601Shape(text))
        return Status::invalid(what + " '" + text + "': not an ISO 8601 time such as 2025-04-01T09:00:00Z");
    auto num = [&](std::size_t pos, std::size_t len) { return std::stoi(text.substr(pos, len)); };
    if (!Poco::DateTime::isValid(num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)))
        return Status::invalid(what + " '" + text + "': not a valid date and time");
    Poco::DateTime dt;
    int tzd = 0;
    const std::string& fmt = text.find('.') != std::string::npos ? Poco::DateTimeFormat::ISO8601_FRAC_FORMAT
                                                                 : Poco::DateTimeFormat::ISO8601_FORMAT;
    if (!Poco::DateTimeParser::tryParse(fmt, text, dt, tzd))
        return Status::invalid(what + " '" + text + "': not a valid date and time");
    dt.makeUTC(tzd);
    return dt.timestamp();
}

std::string SignedTime::format(const Poco::Timestamp& t)
{
    return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%SZ");
}

} // namespace chukan
