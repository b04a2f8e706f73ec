// Router: maps each request path to its handler — a stage pipeline per business endpoint; unknown paths get a typed 404.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/InquiryService.h"
#include "gateway/ProvisionService.h"
#include "gateway/Pipeline.h"
#include "gateway/ConsoleRoutes.h"
#include "gateway/ReadinessProbe.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <map>
#include <memory>

namespace chukan {

class Router : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    /// Builds every pipeline once; they are shared read-only by the server threads.
    Router(GatewayServices& services, std::shared_ptr<InquiryService> inquiries,
           std::shared_ptr<ProvisionService> provisions);
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
    std::unique_ptr<ConsoleRoutes> _console; ///< /console and /console/api/… (staff)
    std::shared_ptr<ReadinessProbe> _readiness; ///< /health, /health/ready (network check cached)
    std::map<std::string, Route> _routes; ///< by "METHOD path" (exact path)
    void add(const std::string& path, const std::string& method, const std::string& operation,
             std::vector<std::shared_ptr<Stage>> stages);
};

} // namespace chukan
