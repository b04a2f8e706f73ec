// Router: the gateway's path table and the stages of each business endpoint.
#include "gateway/Router.h"

#include "gateway/AuthenticateStage.h"
#include "gateway/BulkInquiryAcceptStage.h"
#include "gateway/BulkInquiryResultStage.h"
#include "gateway/BulkInquiryStatusStage.h"
#include "gateway/ErrorHandler.h"
#include "gateway/FugoRegisterStage.h"
#include "gateway/HealthHandler.h"
#include "gateway/HoldReviewStage.h"
#include "gateway/InquiryAcceptStage.h"
#include "gateway/InquiryResultStage.h"
#include "gateway/JobsStage.h"
#include "gateway/MetricsHandler.h"
#include "gateway/NetworkInboundStage.h"
#include "gateway/PipelineHandler.h"
#include "gateway/RefuseMyNumberStage.h"
#include "gateway/ReplicaFileStage.h"
#include "gateway/ReplicaRegisterStage.h"
#include "gateway/StatsStage.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

namespace chukan {

void Router::add(const std::string& path, const std::string& method, const std::string& operation,
                 std::vector<std::shared_ptr<Stage>> stages)
{
    Route r{method, operation, std::make_unique<Pipeline>(operation, _services.metrics)};
    for (auto& stage : stages)
        r.pipeline->add(stage);
    _routes[method + " " + path] = std::move(r);
}

Router::Router(GatewayServices& s, std::shared_ptr<InquiryService> inquiries,
               std::shared_ptr<ProvisionService> provisions)
    : _services(s)
{
    _readiness = std::make_shared<ReadinessProbe>(
        *s.db, s.clock,
        s.settings.networkUrl.empty()
            ? ReadinessProbe::NetworkCheck()
            : ReadinessProbe::tcpConnect(s.settings.networkUrl,
                                         std::chrono::milliseconds(ReadinessProbe::NETWORK_TIMEOUT_MILLIS)),
        std::chrono::seconds(ReadinessProbe::NETWORK_CACHE_SECONDS));
    _console.reset(new ConsoleRoutes(s, provisions));
    auto authenticate = std::make_shared<AuthenticateStage>(s);
    auto refuseMyNumber = std::make_shared<RefuseMyNumberStage>(s);
    // Business systems: authenticate → refuse 個人番号 → the endpoint's own stage.
    add("/api/v1/fugo", "POST", "fugo.register", {authenticate, refuseMyNumber, std::make_shared<FugoRegisterStage>(s)});
    add("/api/v1/fugo/file", "POST", "fugo.register",
        {authenticate, refuseMyNumber, std::make_shared<FugoRegisterStage>(s, FugoRegisterStage::FIXED)});
    add("/api/v1/replica", "POST", "replica.register",
        {authenticate, refuseMyNumber, std::make_shared<ReplicaRegisterStage>(s)});
    add("/api/v1/replica/file", "POST", "replica.register",
        {authenticate, refuseMyNumber, std::make_shared<ReplicaFileStage>(s)});
    add("/api/v1/inquiries", "POST", "inquiry",
        {authenticate, refuseMyNumber, std::make_shared<InquiryAcceptStage>(s, inquiries)});
    add("/api/v1/inquiries/result", "GET", "inquiry", {authenticate, std::make_shared<InquiryResultStage>(s)});
    auto bulk = std::make_shared<BulkInquiryService>(s);
    add("/api/v1/inquiries/bulk", "POST", "inquiry",
        {authenticate, refuseMyNumber, std::make_shared<BulkInquiryAcceptStage>(bulk)});
    add("/api/v1/inquiries/bulk", "GET", "inquiry", {authenticate, std::make_shared<BulkInquiryStatusStage>(bulk)});
    add("/api/v1/inquiries/bulk/result", "GET", "inquiry",
        {authenticate, std::make_shared<BulkInquiryResultStage>(bulk)});
    auto review = std::make_shared<HoldReviewStage>(s, provisions);
    add("/api/v1/holds", "GET", "review", {authenticate, review});
    add("/api/v1/holds/decision", "POST", "review", {authenticate, refuseMyNumber, review});
    // システム管理: counts and batch status of the caller's own tenant (docs/operations.md).
    add("/api/v1/stats", "GET", "stats", {authenticate, std::make_shared<StatsStage>(s)});
    add("/api/v1/jobs", "GET", "jobs", {authenticate, std::make_shared<JobsStage>(s)});
    // The network: its certificate, then the protocol message.
    auto inbound = std::make_shared<NetworkInboundStage>(s, provisions, inquiries);
    add("/ipn-in/v1/inquiries", "POST", "network.inquiry", {inbound});
    add("/ipn-in/v1/responses", "POST", "network.response", {inbound});
    add("/ipn-in/v1/batch", "POST", "network.batch", {inbound});
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
    std::string path = Poco::URI(request.getURI()).getPath();
    if (path == "/health" || path == "/health/ready") // readiness; /health for compatibility
        return new HealthHandler(_readiness, _services.settings.nodeId, HealthHandler::READY);
    if (path == "/health/live")
        return new HealthHandler(_readiness, _services.settings.nodeId, HealthHandler::LIVE);
    if (path == "/metrics")
        return new MetricsHandler(_services);
    if (ConsoleRoutes::handles(path)) // the staff console: its own table (gateway/ConsoleRoutes)
        return new PipelineHandler([this](Exchange& ex) { _console->dispatch(ex); }, "console",
                                   ConsoleRoutes::MAX_BODY);
    auto it = _routes.find(request.getMethod() + " " + path);
    if (it == _routes.end())
    {
        std::string methods; // the path exists with other methods: 405 naming them
        for (const auto& r : _routes)
            if (r.first.substr(r.first.find(' ') + 1) == path)
                methods += (methods.empty() ? "" : ", ") + r.second.method;
        if (methods.empty())
            return new ErrorHandler(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", "no such endpoint: " + path);
        return new ErrorHandler(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                                path + " accepts " + methods + " only");
    }
    return new PipelineHandler(*it->second.pipeline, it->second.operation, MAX_BODY);
}

} // namespace chukan
