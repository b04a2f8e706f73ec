// JobStore: batch jobs (bulk inquiries, imports, retention) and the lease that lets exactly one
// node run each.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan
{

struct BatchJob
{
    std::string jobId;
    std::string kind;  ///< e.g. bulk-inquiry, replica-import, retention
    std::string state; ///< queued | running | done | failed | aborted
    Poco::Int64 total = 0;
    Poco::Int64 done = 0;
    Poco::Int64 failed = 0;
    std::string error;
    std::string ownerNode; ///< the node holding the lease; empty when none
    std::optional<Poco::Int64> leaseUntil;
    Poco::Int64 createdAt = 0;
    Poco::Int64 updatedAt = 0;
};

class JobStore
{
public:
    explicit JobStore(Database& db) : _db(db) {}

    /// A queued job. ALREADY_EXISTS on the same id.
    Status create(const TenantCode& tenant, const std::string& jobId, const std::string& kind,
                  Poco::Int64 total, Poco::Int64 nowMicros);
    std::optional<BatchJob> get(const TenantCode& tenant, const std::string& jobId);
    /// Takes or renews the lease: succeeds when nobody holds it, it expired (lease_until < now) or
    /// node already holds it; the job becomes running. FAILED_PRECONDITION naming the holder
    /// otherwise, or when the job is finished.
    Status claim(const TenantCode& tenant, const std::string& jobId, const std::string& node,
                 Poco::Int64 leaseUntilMicros, Poco::Int64 nowMicros);
    /// Sets the counters (absolute values); only the lease holder may. FAILED_PRECONDITION
    /// otherwise.
    Status updateProgress(const TenantCode& tenant, const std::string& jobId,
                          const std::string& node, Poco::Int64 done, Poco::Int64 failed,
                          Poco::Int64 nowMicros);
    /// running -> done | failed | aborted by the lease holder, releasing the lease. aborted may
    /// also end a queued job (node empty).
    Status finish(const TenantCode& tenant, const std::string& jobId, const std::string& node,
                  const std::string& state, const std::string& error, Poco::Int64 nowMicros);
    /// Oldest first; state empty lists every job.
    std::vector<BatchJob> list(const TenantCode& tenant, const std::string& state);
    /// Deletes finished (done, failed, aborted) jobs of kind last updated before cutoff; returns
    /// the count.
    Poco::Int64 purgeFinished(const TenantCode& tenant, const std::string& kind,
                              Poco::Int64 cutoffMicros);

private:
    Status explain(const TenantCode& tenant, const std::string& jobId, const std::string& node,
                   Poco::Int64 nowMicros);

    Database& _db;
};

} // namespace chukan
