// RecordStore: 情報提供等記録 — the append-only, per-tenant hash-chained record of every inquiry
// and provision.
#pragma once

#include "adapters/HashChain.h"

#include <optional>
#include <vector>

namespace chukan
{

/// One 情報提供等記録 (番号法 第23条): who asked whom, for what, when, and the outcome.
struct ProvisionRecord
{
    Poco::Int64 seq = 0; ///< chain position, set by append
    std::string kind;    ///< inquiry (we asked) | provision (we answered) | purge (retention ran)
    std::string requesterCode; ///< 機関コード of the requester, 16 characters
    std::string providerCode;  ///< 機関コード of the provider, 16 characters
    std::string jimuCode;      ///< 事務コード, 16 characters
    std::string procedureCode; ///< 事務手続きコード, 16 characters
    std::string itemCode;      ///< 特定個人情報名コード, 16 characters
    std::string subjectFugo;   ///< the 符号 the request named
    std::string subjectAtena;  ///< 統合宛名番号 (15 digits) of our resident
    Poco::Int64 requestedAt = 0;
    std::optional<Poco::Int64> providedAt;
    std::string outcome;        ///< e.g. provided, refused, held, error; purged for kind purge
    std::string reason;         ///< why (empty when provided normally)
    bool nondisclosure = false; ///< 不開示: hidden from the resident's disclosure
    std::string refId;          ///< inquiry serial or provision message id
    Poco::Int64 createdAt = 0;
    std::string prevHash; ///< set by append / read
    std::string hash;
};

/// Conditions of query(); empty / unset members match everything.
struct RecordFilter
{
    std::string subjectAtena;
    std::optional<Poco::Int64> from; ///< created_at >= from
    std::optional<Poco::Int64> to;   ///< created_at < to
    std::string institutionCode;     ///< requester or provider
    std::string jimuCode;
    std::string outcome;
    std::string refId; ///< with kind: the record(s) of one inquiry serial or provision message
    std::string kind;
    Poco::Int64 afterSeq = 0; ///< seq > afterSeq (keyset paging of long exports)
};

class RecordStore
{
public:
    explicit RecordStore(Database& db);

    /// Validates and appends; returns the seq. INVALID_ARGUMENT names the field.
    Result<Poco::Int64> append(const TenantCode& tenant, const ProvisionRecord& record);
    /// Matching records in seq order.
    std::vector<ProvisionRecord> query(const TenantCode& tenant, const RecordFilter& filter,
                                       Poco::Int64 offset, int limit);
    Poco::Int64 count(const TenantCode& tenant, const RecordFilter& filter);
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
    /// Deletes the oldest records created before the cutoff (retention, default 7 years), moves
    /// the checkpoint and appends a record of the purge (kind purge, outcome purged, reason with
    /// the count, seq range and cutoff, ref id request.refId) in one transaction, so the chain
    /// stays verifiable and the purge is itself recorded. Nothing older: nothing written.
    /// CORRUPTION (nothing deleted) when the records to delete do not verify.
    Result<ChainPurge> purgeBefore(const TenantCode& tenant, const PurgeRequest& request);
    /// Every tenant that has records (or had: a checkpoint), for verification of all chains.
    std::vector<std::string> tenants() { return _chain.tenants(); }
    /// The record that purgeBefore() appends for what was purged.
    static ProvisionRecord purgeRecord(const PurgeRequest& request, const ChainPurge& purged);

    static Status validate(const ProvisionRecord& record);

private:
    Database& _db;
    HashChain _chain;
};

} // namespace chukan
