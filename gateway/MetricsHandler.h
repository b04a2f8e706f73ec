// MetricsHandler: GET /metrics — every counter and histogram, plus queue-depth gauges counted in
// the store at scrape time.
#pragma once

#include "gateway/GatewayServices.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace chukan
{

/// Gauges per hosted tenant (label tenant="121002", an institution code, never a person):
/// chukan_outbox_pending, chukan_inquiries_queued, chukan_inquiries_in_flight,
/// chukan_holds_pending, chukan_bulk_jobs_running; chukan_store_up is 0 when the store did not
/// answer the counts (the counters are rendered all the same).
class MetricsHandler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit MetricsHandler(GatewayServices& services) : _services(services) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

    /// The Prometheus text exposition (0.0.4) of the counters, histograms and gauges.
    static std::string render(GatewayServices& services);

private:
    GatewayServices& _services;
};

} // namespace chukan
