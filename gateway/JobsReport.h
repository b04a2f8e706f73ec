// JobsReport: batch jobs of one tenant (bulk inquiries, retention, imports) filtered by state and
// kind, as a table or JSON — kinds, states, counts, failure reasons and times, no person.
#pragma once

#include "adapters/Database.h"
#include "adapters/JobStore.h"
#include "codecs/Result.h"
#include "codecs/TenantCode.h"

#include <string>
#include <vector>

namespace chukan
{

class JobsReport
{
public:
    /// state: empty or one of queued, running, done, failed, aborted (INVALID_ARGUMENT naming
    /// `field` otherwise). kind: empty matches every kind. limit > 0 keeps the newest `limit`.
    static Result<std::vector<BatchJob>> list(Database& db, const TenantCode& tenant,
                                              const std::string& state, const std::string& kind,
                                              std::size_t limit, const std::string& field);
    /// {"tenant","jobs":[{"job","kind","state","total","done","failed","error","node",
    /// "createdAt","updatedAt"}],"count"}; times ISO 8601 in Japan time.
    static std::string json(const std::string& tenant, const std::vector<BatchJob>& jobs);
    /// Aligned columns, oldest first; the failure reason last.
    static std::string table(const std::vector<BatchJob>& jobs);
    static bool isState(const std::string& state);
};

} // namespace chukan
