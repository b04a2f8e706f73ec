// HealthHandler: GET /health — liveness plus store readiness and schema version, as JSON.
#pragma once

#include "adapters/Database.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace chukan {

class HealthHandler : public Poco::Net::HTTPRequestHandler
{
public:
    HealthHandler(Database& db, std::string nodeId) : _db(db), _nodeId(std::move(nodeId)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    Database& _db;
    std::string _nodeId;
};

} // namespace chukan
