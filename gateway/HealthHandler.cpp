// HealthHandler: liveness answers at once; readiness asks the ReadinessProbe; never includes
// personal data.
#include "gateway/HealthHandler.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

namespace chukan
{

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                  Poco::Net::HTTPServerResponse& response)
{
    std::string text;
    bool ok = true;
    if (_kind == LIVE)
    {
        Poco::JSON::Object body;
        body.set("status", "live");
        body.set("node", _nodeId);
        std::ostringstream out;
        body.stringify(out);
        text = out.str();
    }
    else
    {
        ReadinessReport report = _probe->check();
        ok = report.ready;
        text = report.toJson(_nodeId);
    }
    text += "\n";
    response.setStatus(ok ? Poco::Net::HTTPResponse::HTTP_OK
                          : Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
    response.setContentType("application/json");
    response.set("Cache-Control", "no-store");
    response.setContentLength64(static_cast<Poco::Int64>(text.size()));
    response.send() << text;
}

} // namespace chukan
