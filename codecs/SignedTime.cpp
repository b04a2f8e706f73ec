// SignedTime: strict ISO 8601 shape check, then Poco's parser for the calendar arithmetic.
#include "codecs/SignedTime.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>

#include <regex>

namespace chukan {

Result<Poco::Timestamp> SignedTime::parse(const std::string& text, const std::string& what)
{
    static const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))");
    if (!std::regex_match(text, shape))
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
