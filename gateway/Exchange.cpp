// Exchange: reply helpers shared by every stage.
#include "gateway/Exchange.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace chukan {

void Exchange::fail(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& code, const std::string& message)
{
    Poco::JSON::Object body;
    body.set("error", code);
    body.set("message", message);
    body.set("requestId", requestId);
    std::ostringstream out;
    body.stringify(out);
    out << "\n";
    status = httpStatus;
    replyType = "application/json";
    replyBody = out.str();
    errorCode = code;
}

void Exchange::reply(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& type, std::string body)
{
    status = httpStatus;
    replyType = type;
    replyBody = std::move(body);
}

void Exchange::stream(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& type,
                      std::function<bool(std::ostream&)> writer)
{
    status = httpStatus;
    replyType = type;
    replyBody.clear();
    replyWriter = std::move(writer);
}

} // namespace chukan
