// ReadinessProbe: whether this node can serve — the store at the known schema version and the
// network reachable — with the network check cached.
#pragma once

#include "adapters/Clock.h"
#include "adapters/Database.h"
#include "codecs/Status.h"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace chukan
{

/// One named check of a readiness report. state: ok | unreachable | schema_mismatch |
/// not_configured. detail names the reason (a host, a version), never personal data.
struct ReadinessCheck
{
    std::string name;
    std::string state;
    std::string detail;
    bool passed() const { return state == "ok" || state == "not_configured"; }
};

struct ReadinessReport
{
    bool ready = false;
    std::string backend;    ///< sqlite | mariadb
    int schemaVersion = -1; ///< -1 when the store did not answer
    bool storeReachable = false;
    ReadinessCheck store;
    ReadinessCheck network;
    /// {"status":"ok"|"unavailable","node",…,"checks":{"store":{"state","detail"},"network":{…}}}
    std::string toJson(const std::string& nodeId) const;
};

/// Thread-safe. The store is asked on every call (one indexed SELECT); the network check runs at
/// most once per cache period, and only one caller runs it while the others wait for its answer,
/// so a flood of probes costs one connection attempt per period.
class ReadinessProbe
{
public:
    /// Returns OK when the network answers; the message of a failure names host and reason.
    using NetworkCheck = std::function<Status()>;

    /// networkCheck null: the network is not configured (the check reports not_configured).
    ReadinessProbe(Database& db, std::shared_ptr<Clock> clock, NetworkCheck networkCheck,
                   std::chrono::seconds cache = std::chrono::seconds(5));

    ReadinessReport check();

    /// A TCP connection to the host and port of url (https://host[:port]/…), closed at once,
    /// bounded by timeout. INVALID_ARGUMENT for a URL without a host; UNAVAILABLE otherwise.
    static NetworkCheck tcpConnect(const std::string& url, std::chrono::milliseconds timeout);

    static constexpr int NETWORK_TIMEOUT_MILLIS = 1000;
    static constexpr int NETWORK_CACHE_SECONDS = 5;

private:
    ReadinessCheck networkState();

    Database& _db;
    std::shared_ptr<Clock> _clock;
    NetworkCheck _networkCheck;
    Poco::Int64 _cacheMicros;
    std::mutex _mutex;
    bool _checked = false;
    Poco::Int64 _checkedAt = 0;
    ReadinessCheck _network;
};

} // namespace chukan
