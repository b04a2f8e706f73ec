// Router: maps each request path to its handler; unknown paths get a typed 404.
#pragma once

#include "adapters/Database.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace chukan {

class Router : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    Router(Database& db, std::string nodeId) : _db(db), _nodeId(std::move(nodeId)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    Database& _db;
    std::string _nodeId;
};

} // namespace chukan
