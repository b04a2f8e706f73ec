// ErrorHandler: the single place that formats error replies.
#include "gateway/ErrorHandler.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace chukan {

void ErrorHandler::handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response)
{
    send(response, _status, _code, _message);
}

void ErrorHandler::send(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                        const std::string& code, const std::string& message)
{
    Poco::JSON::Object body;
    body.set("error", code);
    body.set("message", message);
    response.setStatus(status);
    response.setContentType("application/json");
    std::ostream& out = response.send();
    body.stringify(out);
    out << "\n";
}

} // namespace chukan
