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
    Result<ChainCheck> verify(const TenantCode& tenant, int pageSize = 500,
                              const HashChain::Progress& progress = HashChain::Progress())
    {
        return _chain.verify(tenant, pageSize, progress);
    }
    /// What purgeBefore() would delete now.
    Result<ChainPurge> planPurge(const TenantCode& tenant, const PurgeRequest& request)
    {
        return _chain.planPurge(tenant, request.cutoffMicros, request.maxRows);
    }
    /// Deletes entries older than the cutoff, moves the checkpoint and appends an entry of the
    /// purge (staff request.by, operation retention.purge, outcome purged) in one transaction.
    /// Nothing older: nothing written. CORRUPTION (nothing deleted) when they do not verify.
    Result<ChainPurge> purgeBefore(const TenantCode& tenant, const PurgeRequest& request);
    /// Every tenant that has audit entries (or had: a checkpoint).
    std::vector<std::string> tenants() { return _chain.tenants(); }
    /// The entry that purgeBefore() appends for what was purged.
    static AuditEntry purgeEntry(const PurgeRequest& request, const ChainPurge& purged);

private:
    Database& _db;
    HashChain _chain;
};

} // namespace chukan
