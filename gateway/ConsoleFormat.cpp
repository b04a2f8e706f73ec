// ConsoleFormat: Poco::DateTime arithmetic at a fixed +09:00 offset; Poco::JSON stringify.
#include "gateway/ConsoleFormat.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include <sstream>

namespace chukan
{

namespace
{

Poco::DateTime jst(Poco::Int64 micros)
{
    return Poco::DateTime(Poco::Timestamp(
        static_cast<Poco::Timestamp::TimeVal>(micros + ConsoleFormat::JST_OFFSET_MICROS)));
}

} // namespace

std::string ConsoleFormat::isoJst(Poco::Int64 micros)
{
    return Poco::DateTimeFormatter::format(jst(micros), "%Y-%m-%dT%H:%M:%S") + "+09:00";
}

Poco::Dynamic::Var ConsoleFormat::optIso(const std::optional<Poco::Int64>& micros)
{
    if (!micros)
        return Poco::Dynamic::Var();
    return isoJst(*micros);
}

std::string ConsoleFormat::compactJst(Poco::Int64 micros)
{
    return Poco::DateTimeFormatter::format(jst(micros), "%Y%m%d%H%M%S");
}

Result<Poco::Int64> ConsoleFormat::parseDay(const std::string& field, const std::string& text,
                                            bool endExclusive)
{
    Status bad = Status::invalid(field + ": expected a date YYYY-MM-DD, got '" + text.substr(0, 20) +
                                 "'");
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return bad;
    int y = 0, m = 0, d = 0;
    std::string digits = text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
    if (digits.find_first_not_of("0123456789") != std::string::npos ||
        !Poco::NumberParser::tryParse(text.substr(0, 4), y) ||
        !Poco::NumberParser::tryParse(text.substr(5, 2), m) ||
        !Poco::NumberParser::tryParse(text.substr(8, 2), d))
        return bad;
    if (y < 1970 || y > 9999 || !Poco::DateTime::isValid(y, m, d))
        return bad;
    Poco::Int64 start = Poco::DateTime(y, m, d).timestamp().epochMicroseconds() - JST_OFFSET_MICROS;
    return endExclusive ? start + 86400LL * 1000000 : start;
}

std::string ConsoleFormat::json(const Poco::JSON::Object& o)
{
    std::ostringstream out;
    o.stringify(out);
    out << "\n";
    return out.str();
}

Result<Poco::JSON::Object::Ptr> ConsoleFormat::parseObject(const std::string& body)
{
    if (body.find_first_not_of(" \t\r\n") == std::string::npos)
        return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    try
    {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(body);
        if (v.type() != typeid(Poco::JSON::Object::Ptr))
            return Status::invalid("body: expected a JSON object");
        return v.extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        return Status::invalid("body: not valid JSON: " + e.message());
    }
}

Result<std::string> ConsoleFormat::text(const Poco::JSON::Object::Ptr& o, const std::string& name,
                                        bool required)
{
    if (!o->has(name) || o->isNull(name))
    {
        if (required)
            return Status::invalid(name + ": required");
        return std::string();
    }
    Poco::Dynamic::Var v = o->get(name);
    if (!v.isString())
        return Status::invalid(name + ": must be a string");
    std::string s = v.convert<std::string>();
    if (required && s.empty())
        return Status::invalid(name + ": must not be empty");
    return s;
}

} // namespace chukan
