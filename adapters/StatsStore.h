// StatsStore: counts for operations — queue depths for /metrics, and 情報提供等記録 and holds per
// day for business statistics; never a person, only codes and counts.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan
{

/// Work waiting in the store for one tenant, counted at the moment of the call.
struct QueueDepths
{
    Poco::Int64 outboxPending = 0;     ///< outbox rows not yet sent (pending)
    Poco::Int64 inquiriesQueued = 0;   ///< inquiries accepted, not yet sent to the network
    Poco::Int64 inquiriesInFlight = 0; ///< inquiries sent, answer not yet received
    Poco::Int64 holdsPending = 0;      ///< held provisions awaiting a reviewer
    Poco::Int64 bulkJobsRunning = 0;   ///< bulk inquiry jobs in state running
};

/// Records of one day (Japan time) with the same kind, 事務, data item, counterpart and outcome.
struct RecordCount
{
    Poco::Int64 dayStart = 0; ///< 00:00 Japan time of the day, microseconds since the epoch
    std::string kind;         ///< inquiry (we asked) | provision (we answered)
    std::string jimuCode;
    std::string itemCode;
    std::string counterpartCode; ///< the provider of an inquiry, the requester of a provision
    std::string outcome;
    Poco::Int64 count = 0;
};

/// One hold: when it was created and decided, and the codes of its request (no person).
struct HoldTiming
{
    std::string state; ///< pending | approved | rejected | expired
    Poco::Int64 createdAt = 0;
    std::optional<Poco::Int64> decidedAt;
    bool decidedByReviewer = false; ///< approved or rejected by staff (not expired by the system)
    std::string jimuCode;           ///< empty when the provision request is gone
    std::string itemCode;
    std::string requesterCode;
};

class StatsStore
{
public:
    explicit StatsStore(Database& db) : _db(db) {}

    /// Five indexed COUNT queries.
    QueueDepths queueDepths(const TenantCode& tenant);
    /// Inquiry and provision records created in [fromMicros, toMicros), grouped in the store by
    /// day (Japan time), kind, 事務, data item, counterpart and outcome; ordered by those.
    std::vector<RecordCount> recordCounts(const TenantCode& tenant, Poco::Int64 fromMicros,
                                          Poco::Int64 toMicros);
    /// Holds created in [fromMicros, toMicros), oldest first.
    std::vector<HoldTiming> holds(const TenantCode& tenant, Poco::Int64 fromMicros,
                                  Poco::Int64 toMicros);

    static constexpr Poco::Int64 JST_OFFSET_MICROS = 9LL * 3600 * 1000000;
    static constexpr Poco::Int64 DAY_MICROS = 86400LL * 1000000;

private:
    Database& _db;
};

} // namespace chukan
