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
    Poco::Int64 seq = 0;       ///< chain position, set by append
    std::string kind;          ///< inquiry (we asked) | provision (we answered)
    std::string requesterCode; ///< 機関コード of the requester, 16 characters
    std::string providerCode;  ///< 機関コード of the provider, 16 characters
    std::string jimuCode;      ///< 事務コード, 16 characters
    std::string procedureCode; ///< 事務手続きコード, 16 characters
    std::string itemCode;      ///< 特定個人情報名コード, 16 characters
    std::string subjectFugo;   ///< the 符号 the request named
    std::string subjectAtena;  ///< 統合宛名番号 (15 digits) of our resident
    Poco::Int64 requestedAt = 0;
    std::optional<Poco::Int64> providedAt;
    std::string outcome;        ///< e.g. provided, refused, held, error
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
    Result<ChainCheck> verify(const TenantCode& tenant, int pageSize = 500)
    {
        return _chain.verify(tenant, pageSize);
    }
    /// Deletes records created before cutoff (retention, default 7 years), keeping the chain
    /// verifiable.
    Result<Poco::Int64> purgeBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                    Poco::Int64 nowMicros)
    {
        return _chain.purgeBefore(tenant, cutoffMicros, nowMicros);
    }

    static Status validate(const ProvisionRecord& record);

private:
    Database& _db;
    HashChain _chain;
};

} // namespace chukan
