// Router: maps each request path to its handler — a stage pipeline per business endpoint; unknown paths get a typed 404.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Pipeline.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <map>
#include <memory>

namespace chukan {

class Router : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    /// Builds every pipeline once; they are shared read-only by the server threads.
    explicit Router(GatewayServices& services);
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

    static constexpr std::size_t MAX_BODY = 64 * 1024 * 1024;

private:
    struct Route
    {
        std::string method;
        std::string operation;
        std::unique_ptr<Pipeline> pipeline;
    };
    GatewayServices& _services;
    std::map<std::string, Route> _routes; ///< by exact path
};

} // namespace chukan
