// HealthHandler: answers 200 when the store answers, 503 otherwise; never includes personal data.
#include "gateway/HealthHandler.h"

#include "adapters/Migrator.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace chukan {

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response)
{
    Poco::JSON::Object body;
    body.set("node", _nodeId);
    body.set("store", _db.backendName());
    bool ready = true;
    try
    {
        Migrator m(_db);
        int version = m.currentVersion();
        body.set("schemaVersion", version);
        ready = version == m.knownVersion();
        body.set("storeReachable", true);
    }
    catch (const Poco::Exception& e)
    {
        ready = false;
        body.set("storeReachable", false);
        body.set("storeError", e.displayText());
    }
    body.set("status", ready ? "ok" : "unavailable");
    response.setStatus(ready ? Poco::Net::HTTPResponse::HTTP_OK : Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
    response.setContentType("application/json");
    std::ostream& out = response.send();
    body.stringify(out);
    out << "\n";
}

} // namespace chukan
