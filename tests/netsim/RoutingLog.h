// RoutingLog: ipn-sim's routing log — one JSON line per decision, never payloads, 住民票コード or 符号.
#pragma once

#include <Poco/Types.h>

#include <cstddef>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

namespace chukan
{

/// Line: {"time":ISO8601,"messageId":…,"kind":…,"from":…,"to":…,"permitId":…,"outcome":…,"bytes":N}
/// and, for a forward that was sent, ,"ms":N — how long the delivery took (IpnClient's retries
/// and back-off included), to tell a slow receiver from a slow network.
/// The entry type has no field that could hold content: callers pass identifiers and sizes only.
/// Keeps the last `keep` lines and per kind/outcome counts in memory for GET /sim/v1/log.
/// Thread-safe.
class RoutingLog
{
public:
    struct Entry
    {
        Poco::Int64 timeMicros = 0;
        std::string messageId;
        std::string kind;
        std::string from;
        std::string to;
        std::string permitId;
        std::string outcome;
        std::size_t bytes = 0;
        long long millis = -1; ///< a delivery's duration; -1: not written
    };

    /// path empty: memory only.
    explicit RoutingLog(const std::string& path, std::size_t keep = 1000);

    void write(const Entry& entry);
    static std::string toJson(const Entry& entry);

    /// {"counts":{"KIND outcome":N,…},"entries":[…the last lines…]}
    std::string snapshotJson() const;
    /// How many entries had this kind and outcome.
    std::size_t count(const std::string& kind, const std::string& outcome) const;

private:
    mutable std::mutex _mutex;
    std::ofstream _file;
    std::size_t _keep;
    std::deque<std::string> _recent;
    std::map<std::string, std::size_t> _counts;
};

} // namespace chukan
