// ConsolePaging: the page and pageSize query parameters of the console's list endpoints.
#pragma once

#include "codecs/Result.h"

#include <Poco/Types.h>

#include <map>
#include <string>

namespace chukan
{

struct ConsolePaging
{
    static constexpr int DEFAULT_SIZE = 50;
    static constexpr int MAX_SIZE = 200;
    static constexpr int MAX_PAGE = 1000000;

    int page = 1; ///< from 1
    int pageSize = DEFAULT_SIZE;

    Poco::Int64 offset() const { return static_cast<Poco::Int64>(page - 1) * pageSize; }
    /// page (1..MAX_PAGE, default 1) and pageSize (1..MAX_SIZE, default 50);
    /// INVALID_ARGUMENT names the parameter.
    static Result<ConsolePaging> of(const std::map<std::string, std::string>& query);
};

} // namespace chukan
