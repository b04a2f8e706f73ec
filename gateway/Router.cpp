// Router: the gateway's path table.
#include "gateway/Router.h"

#include "gateway/ErrorHandler.h"
#include "gateway/HealthHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/URI.h>

namespace chukan {

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
    std::string path = Poco::URI(request.getURI()).getPath();
    if (path == "/health")
        return new HealthHandler(_db, _nodeId);
    return new ErrorHandler(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", "no such endpoint: " + path);
}

} // namespace chukan
