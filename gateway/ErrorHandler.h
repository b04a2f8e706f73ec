// ErrorHandler: writes one typed JSON error reply (status, code, message) and nothing else.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>

#include <string>

namespace chukan {

class ErrorHandler : public Poco::Net::HTTPRequestHandler
{
public:
    ErrorHandler(Poco::Net::HTTPResponse::HTTPStatus status, std::string code, std::string message)
        : _status(status), _code(std::move(code)), _message(std::move(message))
    {
    }
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// Sends {"error": code, "message": message} with the given status.
    static void send(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                     const std::string& code, const std::string& message);

private:
    Poco::Net::HTTPResponse::HTTPStatus _status;
    std::string _code;
    std::string _message;
};

} // namespace chukan
