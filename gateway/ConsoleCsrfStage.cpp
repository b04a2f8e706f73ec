// ConsoleCsrfStage: header lookup and SessionToken::equal.
#include "gateway/ConsoleCsrfStage.h"

#include "adapters/SessionToken.h"
#include "gateway/ConsoleContext.h"

namespace chukan
{

Stage::Outcome ConsoleCsrfStage::run(Exchange& ex)
{
    if (ex.method != "POST")
        return CONTINUE;
    auto it = ex.headers.find("x-csrf-token");
    if (it == ex.headers.end() || !ex.console->session ||
        !SessionToken::equal(it->second, ex.console->session->csrfToken))
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "CSRF_REJECTED",
                it == ex.headers.end() ? "the X-CSRF-Token header is required"
                                       : "the X-CSRF-Token header does not match the session");
        return STOP;
    }
    return CONTINUE;
}

} // namespace chukan
