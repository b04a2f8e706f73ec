// Exchange: the per-request state that flows through the pipeline's stages, and the reply they build.
#pragma once

#include "codecs/TenantCode.h"

#include <Poco/Net/HTTPResponse.h>

#include <any>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace chukan {

struct ConsoleContext;

struct Exchange
{
    // --- request, filled by the listener before the first stage
    std::string requestId;         ///< random, logged with every decision
    std::string operation;         ///< what the endpoint does, e.g. "fugo.register"
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::string contentType;
    std::string body;
    std::string clientFingerprint; ///< SHA-256 of the client certificate, lowercase hex
    std::string clientOrganization;///< subject O= of the client certificate (the tenant code)
    std::string clientCommonName;  ///< subject CN=

    std::map<std::string, std::string> headers; ///< request headers, names in lower case

    // --- the staff console (gateway/Console*): session, staff, audit; null elsewhere
    std::shared_ptr<ConsoleContext> console;

    // --- filled by the authenticate stage
    std::optional<TenantCode> tenant;
    std::string systemId;
    std::set<std::string> systemOperations;
    std::set<std::string> systemJimuCodes;

    // --- filled by decode and later stages; typed per endpoint
    std::any message;
    std::any result;

    // --- the reply
    Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK;
    std::string replyType = "application/json";
    std::string replyBody;
    std::string errorCode; ///< empty on success
    /// Extra reply headers (Set-Cookie may repeat).
    std::vector<std::pair<std::string, std::string>> replyHeaders;

    /// Sets a typed JSON error reply: {"error": code, "message": message, "requestId": …}.
    void fail(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& code, const std::string& message);
    /// Sets a reply body.
    void reply(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& type, std::string body);
    bool failed() const { return !errorCode.empty(); }
};

} // namespace chukan
