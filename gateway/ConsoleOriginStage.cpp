// ConsoleOriginStage: exact origin comparison, no wildcards.
#include "gateway/ConsoleOriginStage.h"

#include <algorithm>

namespace chukan
{

namespace
{

std::string header(const Exchange& ex, const char* name)
{
    auto it = ex.headers.find(name);
    return it == ex.headers.end() ? std::string() : it->second;
}

} // namespace

Stage::Outcome ConsoleOriginStage::run(Exchange& ex)
{
    if (ex.method != "POST")
        return CONTINUE;
    if (header(ex, "sec-fetch-site") == "cross-site")
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "CSRF_REJECTED",
                "cross-site requests may not change anything");
        return STOP;
    }
    std::string origin = header(ex, "origin");
    if (origin.empty())
        return CONTINUE; // not a browser, or a same-origin GET-like navigation: the token decides
    const std::vector<std::string>& allowed = _services.settings.console.origins;
    bool ok = allowed.empty() ? origin == "https://" + header(ex, "host")
                              : std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
    if (!ok)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "CSRF_REJECTED",
                "origin '" + origin.substr(0, 100) + "' may not use the console");
        return STOP;
    }
    return CONTINUE;
}

} // namespace chukan
