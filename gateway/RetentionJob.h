// RetentionJob: the gateway's scheduled retention — every chukan.retention.intervalSeconds, one
// RetentionSweep slot per hosted tenant, whichever node gets there first; logged and counted.
#pragma once

#include "gateway/GatewayServices.h"

#include <map>

namespace chukan
{

/// Called from the worker loop of every node. The slot of a tenant is done once across all
/// nodes (the JobStore lease in RetentionSweep); this object only remembers which slots this
/// node saw finished so it stops asking. REQUIRES: one caller thread (the worker).
class RetentionJob
{
public:
    explicit RetentionJob(GatewayServices& services);

    /// Runs what is due now; returns the rows it purged or expired (0 when nothing was due).
    int runDue();

private:
    GatewayServices& _services;
    Poco::Int64 _nextCheck = 0;
    std::map<std::string, Poco::Int64> _finishedSlot; ///< tenant -> last slot seen finished
    Counter& _runsDone;
    Counter& _runsFailed;
    Counter& _runsSkipped;
    Counter& _records;
    Counter& _audit;
    Counter& _results;
    Counter& _inquiries;
    Counter& _jobs;
};

} // namespace chukan
