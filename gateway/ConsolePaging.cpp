// ConsolePaging: strict integer parsing of page and pageSize.
#include "gateway/ConsolePaging.h"

#include <Poco/NumberParser.h>

namespace chukan
{

namespace
{

Status number(const std::map<std::string, std::string>& q, const char* name, int min, int max,
              int& out)
{
    auto it = q.find(name);
    if (it == q.end() || it->second.empty())
        return Status::ok();
    int v = 0;
    if (it->second.find_first_not_of("0123456789") != std::string::npos || it->second.size() > 9 ||
        !Poco::NumberParser::tryParse(it->second, v) || v < min || v > max)
        return Status::invalid(std::string(name) + ": must be a number from " +
                               std::to_string(min) + " to " + std::to_string(max));
    out = v;
    return Status::ok();
}

} // namespace

Result<ConsolePaging> ConsolePaging::of(const std::map<std::string, std::string>& query)
{
    ConsolePaging p;
    Status st = number(query, "page", 1, MAX_PAGE, p.page);
    if (!st)
        return st;
    st = number(query, "pageSize", 1, MAX_SIZE, p.pageSize);
    if (!st)
        return st;
    return p;
}

} // namespace chukan
