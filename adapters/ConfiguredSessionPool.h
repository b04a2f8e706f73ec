// ConfiguredSessionPool: a Poco::Data::SessionPool that applies the store's per-connection settings to every connection it opens, not only the first.
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <cstddef>
#include <string>
#include <vector>

namespace chukan {

class ConfiguredSessionPool : public Poco::Data::SessionPool
{
public:
    /// busyTimeoutSeconds > 0 sets the connection timeout (SQLite: sqlite3_busy_timeout); each
    /// statement of setup runs once on every new connection, in order, before its first use.
    ConfiguredSessionPool(const std::string& connector, const std::string& connectionString, int minSessions,
                          int maxSessions, int idleSeconds, std::size_t busyTimeoutSeconds,
                          std::vector<std::string> setup);

    /// Connections this pool has opened and set up (since it was created).
    std::size_t connectionsSetUp() const { return _connectionsSetUp; }

protected:
    void customizeSession(Poco::Data::Session& session) override;

private:
    std::size_t _busyTimeoutSeconds;
    std::vector<std::string> _setup;
    std::size_t _connectionsSetUp = 0; ///< written under the pool's own mutex (get())
};

} // namespace chukan
