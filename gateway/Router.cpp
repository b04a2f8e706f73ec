// Router: the gateway's path table and the stages of each business endpoint.
#include "gateway/Router.h"

#include "gateway/AuthenticateStage.h"
#include "gateway/ErrorHandler.h"
#include "gateway/FugoRegisterStage.h"
#include "gateway/HealthHandler.h"
#include "gateway/PipelineHandler.h"
#include "gateway/RefuseMyNumberStage.h"
#include "gateway/ReplicaFileStage.h"
#include "gateway/ReplicaRegisterStage.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

namespace chukan {

namespace {

class MetricsHandler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit MetricsHandler(Metrics& metrics) : _metrics(metrics) {}
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override
    {
        std::string text = _metrics.render();
        response.setContentType("text/plain; version=0.0.4");
        response.setContentLength64(static_cast<Poco::Int64>(text.size()));
        response.send() << text;
    }

private:
    Metrics& _metrics;
};

} // namespace

Router::Router(GatewayServices& s) : _services(s)
{
    auto authenticate = std::make_shared<AuthenticateStage>(s);
    auto refuseMyNumber = std::make_shared<RefuseMyNumberStage>(s);

    Route fugo{"POST", "fugo.register", std::make_unique<Pipeline>("fugo.register", s.metrics)};
    fugo.pipeline->add(authenticate).add(refuseMyNumber).add(std::make_shared<FugoRegisterStage>(s));
    _routes["/api/v1/fugo"] = std::move(fugo);

    Route replica{"POST", "replica.register", std::make_unique<Pipeline>("replica.register", s.metrics)};
    replica.pipeline->add(authenticate).add(refuseMyNumber).add(std::make_shared<ReplicaRegisterStage>(s));
    _routes["/api/v1/replica"] = std::move(replica);

    Route replicaFile{"POST", "replica.register", std::make_unique<Pipeline>("replica.file", s.metrics)};
    replicaFile.pipeline->add(authenticate).add(refuseMyNumber).add(std::make_shared<ReplicaFileStage>(s));
    _routes["/api/v1/replica/file"] = std::move(replicaFile);
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
    std::string path = Poco::URI(request.getURI()).getPath();
    if (path == "/health")
        return new HealthHandler(*_services.db, _services.settings.nodeId);
    if (path == "/metrics")
        return new MetricsHandler(_services.metrics);
    auto it = _routes.find(path);
    if (it == _routes.end())
        return new ErrorHandler(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", "no such endpoint: " + path);
    if (request.getMethod() != it->second.method)
        return new ErrorHandler(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                                path + " accepts " + it->second.method + " only");
    return new PipelineHandler(*it->second.pipeline, it->second.operation, MAX_BODY);
}

} // namespace chukan
