// AuditStore: the staff operation log (login, logout, every operation), append-only and
// hash-chained per tenant.
#pragma once

#include "adapters/HashChain.h"

#include <optional>
#include <vector>

namespace chukan
{

struct AuditEntry
{
    Poco::Int64 seq = 0;   ///< chain position, set by append
    std::string staffId;   ///< who (or "system" for the server itself)
    Poco::Int64 at = 0;    ///< when, microseconds
    std::string operation; ///< e.g. login, logout, hold.approve, record.search
    std::string target;    ///< what it was applied to (never a 個人番号)
    std::string outcome;   ///< ok, denied, error, ...
    std::string detail;
    std::string prevHash; ///< set by append / read
    std::string hash;
};

/// Conditions of query(); empty / unset members match everything.
struct AuditFilter
{
    std::string staffId;
    std::string operation;
    std::optional<Poco::Int64> from; ///< at >= from
    std::optional<Poco::Int64> to;   ///< at < to
};

class AuditStore
{
public:
    explicit AuditStore(Database& db);

    /// Validates and appends; returns the seq. INVALID_ARGUMENT names the field.
    Result<Poco::Int64> append(const TenantCode& tenant, const AuditEntry& entry);
    /// Matching entries in seq order.
    std::vector<AuditEntry> query(const TenantCode& tenant, const AuditFilter& filter,
                                  Poco::Int64 offset, int limit);
    /// See HashChain::verify.
    Result<ChainCheck> verify(const TenantCode& tenant) { return _chain.verify(tenant); }
    /// Deletes entries older than cutoff, keeping the chain verifiable.
    Result<Poco::Int64> purgeBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                    Poco::Int64 nowMicros)
    {
        return _chain.purgeBefore(tenant, cutoffMicros, nowMicros);
    }

private:
    Database& _db;
    HashChain _chain;
};

} // namespace chukan
