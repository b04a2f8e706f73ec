// ConfiguredSessionPool: runs the connection settings (busy timeout, PRAGMAs, isolation) on each connection as the pool creates it.
#include "adapters/ConfiguredSessionPool.h"

#include <utility>

using namespace Poco::Data::Keywords;

namespace chukan {

ConfiguredSessionPool::ConfiguredSessionPool(const std::string& connector, const std::string& connectionString,
                                             int minSessions, int maxSessions, int idleSeconds,
                                             std::size_t busyTimeoutSeconds, std::vector<std::string> setup)
    : Poco::Data::SessionPool(connector, connectionString, minSessions, maxSessions, idleSeconds),
      _busyTimeoutSeconds(busyTimeoutSeconds),
      _setup(std::move(setup))
{
}

void ConfiguredSessionPool::customizeSession(Poco::Data::Session& session)
{
    // Called by SessionPool::get() with the pool's mutex held, for a connection just opened.
    if (_busyTimeoutSeconds > 0)
        session.setConnectionTimeout(_busyTimeoutSeconds);
    for (const std::string& sql : _setup)
        session << sql, now;
    ++_connectionsSetUp;
}

} // namespace chukan
