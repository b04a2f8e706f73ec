// Exchange: the per-request state that flows through the pipeline's stages, and the reply they build.
#pragma once

#include "codecs/TenantCode.h"

#include <Poco/Net/HTTPResponse.h>

#include <any>
#include <functional>
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
    /// When set, the listener sends the status and headers, then lets this write the body in
    /// chunks (Transfer-Encoding: chunked) instead of sending replyBody: for large bodies that
    /// should not sit in memory whole. It returns false when it could not finish; the listener
    /// then cuts the connection, so the client sees a broken transfer, never a short body that
    /// looks complete.
    std::function<bool(std::ostream&)> replyWriter;

    /// Sets a typed JSON error reply: {"error": code, "message": message, "requestId": …}.
    void fail(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& code, const std::string& message);
    /// Sets a reply body.
    void reply(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& type, std::string body);
    /// Sets a reply whose body writer writes after the headers (see replyWriter).
    void stream(Poco::Net::HTTPResponse::HTTPStatus httpStatus, const std::string& type,
                std::function<bool(std::ostream&)> writer);
    bool failed() const { return !errorCode.empty(); }
};

} // namespace chukan
