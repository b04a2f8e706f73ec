// SignedTime: the ISO 8601 UTC instants used in signed documents ("2025-04-01T09:00:00Z").
#pragma once

#include "codecs/Result.h"

#include <Poco/Timestamp.h>

#include <string>

namespace chukan {

class SignedTime
{
public:
    /// Accepts YYYY-MM-DDThh:mm:ss with optional fraction and a zone of Z or ±hh:mm.
    /// INVALID_ARGUMENT naming `what` otherwise.
    static Result<Poco::Timestamp> parse(const std::string& text, const std::string& what);
    /// Always UTC, whole seconds: "2025-04-01T09:00:00Z".
    static std::string format(const Poco::Timestamp& t);
};

} // namespace chukan
