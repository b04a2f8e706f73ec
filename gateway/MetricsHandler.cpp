// MetricsHandler: Metrics::render(), this node's store write counters, then five COUNT gauges per tenant from StatsStore.
#include "gateway/MetricsHandler.h"

#include "adapters/StatsStore.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <sstream>
#include <utility>

namespace chukan
{

std::string MetricsHandler::render(GatewayServices& s)
{
    std::string text = s.metrics.render();
    std::vector<std::pair<std::string, QueueDepths>> depths;
    bool up = true;
    try
    {
        StatsStore stats(*s.db);
        for (const TenantProfile& p : s.settings.tenants)
            depths.emplace_back(p.tenant.str(), stats.queueDepths(p.tenant));
    }
    catch (const std::exception& e)
    {
        up = false;
        depths.clear();
        Poco::Logger::get("chukan.metrics")
            .warning("queue depths not counted: %s", std::string(e.what()));
    }
    struct Gauge
    {
        const char* name;
        const char* help;
        Poco::Int64 QueueDepths::*field;
    };
    static const Gauge gauges[] = {
        {"chukan_outbox_pending", "Outbox messages not yet sent to the network",
         &QueueDepths::outboxPending},
        {"chukan_inquiries_queued", "Inquiries accepted and not yet sent to the network",
         &QueueDepths::inquiriesQueued},
        {"chukan_inquiries_in_flight", "Inquiries sent whose answer has not arrived",
         &QueueDepths::inquiriesInFlight},
        {"chukan_holds_pending", "Held provisions awaiting a reviewer", &QueueDepths::holdsPending},
        {"chukan_bulk_jobs_running", "Bulk inquiry jobs running", &QueueDepths::bulkJobsRunning},
    };
    std::ostringstream out;
    out << text;
    // This node's Database: on SQLite, commits below writes is the group commit at work.
    const Database& db = *s.db;
    struct StoreCounter
    {
        const char* name;
        const char* help;
        std::uint64_t value;
    };
    const StoreCounter storeCounters[] = {
        {"chukan_store_writes_total", "Outermost store write transactions finished by this node",
         db.writes()},
        {"chukan_store_commits_total",
         "Store commits by this node (SQLite commits concurrent writes together)", db.commits()},
        {"chukan_store_lock_retries_total", "Store transactions run again after lock contention",
         db.lockRetries()},
        {"chukan_store_pool_waits_total",
         "Times a store session was waited for because the pool was full", db.poolWaits()},
    };
    for (const StoreCounter& c : storeCounters)
    {
        out << "# HELP " << c.name << " " << c.help << "\n# TYPE " << c.name << " counter\n"
            << c.name << " " << c.value << "\n";
    }
    out << "# HELP chukan_store_up 1 when the store answered the queue counts of this scrape\n"
        << "# TYPE chukan_store_up gauge\n"
        << "chukan_store_up " << (up ? 1 : 0) << "\n";
    for (const Gauge& g : gauges)
    {
        out << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n";
        for (const auto& [tenant, d] : depths)
            out << g.name << "{tenant=\"" << tenant << "\"} " << d.*(g.field) << "\n";
    }
    return out.str();
}

void MetricsHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                   Poco::Net::HTTPServerResponse& response)
{
    std::string text = render(_services);
    response.setContentType("text/plain; version=0.0.4");
    response.setContentLength64(static_cast<Poco::Int64>(text.size()));
    response.send() << text;
}

} // namespace chukan
