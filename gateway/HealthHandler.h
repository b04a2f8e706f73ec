// HealthHandler: GET /health/live (the process serves) and GET /health/ready, /health (store and
// network ready), as JSON.
#pragma once

#include "gateway/ReadinessProbe.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace chukan
{

/// Bodies name each check and its state, never personal data.
/// live:  200 {"status":"live","node":…} while the listener serves.
/// ready: 200 when every check passes, 503 otherwise (ReadinessReport::toJson).
class HealthHandler : public Poco::Net::HTTPRequestHandler
{
public:
    enum Kind
    {
        LIVE,
        READY
    };
    HealthHandler(std::shared_ptr<ReadinessProbe> probe, std::string nodeId, Kind kind)
        : _probe(std::move(probe)), _nodeId(std::move(nodeId)), _kind(kind)
    {
    }
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    std::shared_ptr<ReadinessProbe> _probe;
    std::string _nodeId;
    Kind _kind;
};

} // namespace chukan
