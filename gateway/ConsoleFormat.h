// ConsoleFormat: JSON, JST time strings and date filters shared by the console API stages.
#pragma once

#include "codecs/Result.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace chukan
{

/// Pure and thread-safe.
class ConsoleFormat
{
public:
    static constexpr Poco::Int64 JST_OFFSET_MICROS = 9LL * 3600 * 1000000;

    /// "2026-01-05T09:30:00+09:00" (日本標準時, no daylight saving time).
    static std::string isoJst(Poco::Int64 micros);
    /// isoJst, or JSON null.
    static Poco::Dynamic::Var optIso(const std::optional<Poco::Int64>& micros);
    /// "YYYY-MM-DD" as a JST calendar day: its first microsecond, or with endExclusive the first
    /// microsecond of the next day. INVALID_ARGUMENT names `field`.
    static Result<Poco::Int64> parseDay(const std::string& field, const std::string& text,
                                        bool endExclusive);
    /// "YYYYMMDDhhmmss" in JST (file names).
    static std::string compactJst(Poco::Int64 micros);
    /// The object as one line of JSON plus "\n".
    static std::string json(const Poco::JSON::Object& object);
    /// A request body that must be one JSON object (an empty body is an empty object).
    static Result<Poco::JSON::Object::Ptr> parseObject(const std::string& body);
    /// A string member: "" when absent and not required; INVALID_ARGUMENT when it is not a
    /// string, or absent / empty and required.
    static Result<std::string> text(const Poco::JSON::Object::Ptr& object, const std::string& name,
                                    bool required);
};

} // namespace chukan
