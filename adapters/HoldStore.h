// HoldStore: 自動応答不可 — provisions held for a reviewer, decided once, with optional four-eyes
// approval.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan
{

struct Hold
{
    std::string holdId;       ///< key
    std::string messageId;    ///< the held provision request
    std::string reason;       ///< why it was held (e.g. DV support flag)
    std::string state;        ///< pending | approved | rejected | expired
    Poco::Int64 deadline = 0; ///< after this the hold expires (answered as refused)
    Poco::Int64 createdAt = 0;
    std::string firstReviewer; ///< first approval under four-eyes; empty until given
    std::string decidedBy;     ///< reviewer, or "system" for expiry
    std::optional<Poco::Int64> decidedAt;
    std::string decisionReason;
};

class HoldStore
{
public:
    explicit HoldStore(Database& db) : _db(db) {}

    /// Stores a pending hold. ALREADY_EXISTS on the same hold id.
    Status add(const TenantCode& tenant, const Hold& hold, Poco::Int64 nowMicros);
    std::optional<Hold> get(const TenantCode& tenant, const std::string& holdId);
    /// Pending holds, earliest deadline first.
    std::vector<Hold> listPending(const TenantCode& tenant, int limit);
    /// The first of two approvals. Idempotent for the same reviewer; FAILED_PRECONDITION when the
    /// hold is not pending, its deadline has passed, or another reviewer already gave it.
    Status recordFirstApproval(const TenantCode& tenant, const std::string& holdId,
                               const std::string& reviewer, Poco::Int64 nowMicros);
    /// pending -> approved | rejected | expired, once (conditional on pending: FAILED_PRECONDITION
    /// otherwise). Approval after the deadline is refused. With fourEyes, approval needs a first
    /// approval by a different reviewer (PERMISSION_DENIED when the same reviewer approves twice).
    Status decide(const TenantCode& tenant, const std::string& holdId, const std::string& state,
                  const std::string& reviewer, const std::string& reason, Poco::Int64 nowMicros,
                  bool fourEyes = false);
    /// Expires every pending hold whose deadline is before now; returns the ids this call expired.
    std::vector<std::string> expireDue(const TenantCode& tenant, Poco::Int64 nowMicros);

private:
    Status explain(const TenantCode& tenant, const std::string& holdId, Poco::Int64 nowMicros);

    Database& _db;
};

} // namespace chukan
