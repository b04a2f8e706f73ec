// ReplicaStore: 副本 — every version of every item the business systems register, the current one
// served for provision.
#pragma once

#include "adapters/Database.h"
#include "codecs/Result.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <vector>

namespace chukan
{

struct ReplicaItem
{
    std::string recordId;               ///< レコードID from the registration message
    Poco::Int64 version = 0;            ///< strictly increasing per record, from 1
    std::string atenaNo;                ///< 統合宛名番号, 15 digits
    std::string itemCode;               ///< 特定個人情報名コード, 16 characters
    std::string datasetKey;             ///< data-set key (may be empty)
    std::optional<std::string> payload; ///< the replica data (UTF-8 XML bytes); nullopt when nil
    std::string nilReason;              ///< why the payload is empty (xsi:nil); required then
    std::optional<Poco::Int64> publishFrom;
    std::optional<Poco::Int64> publishTo;
    bool autoAnswer = true; ///< false: 自動応答不可, provision must be held
    bool isCurrent = false; ///< set by the store
    bool deleted = false;   ///< a tombstone version (see remove)
    std::string sourceSystem;
    Poco::Int64 updatedAt = 0;
};

class ReplicaStore
{
public:
    explicit ReplicaStore(Database& db) : _db(db) {}

    /// Stores a new version and makes it current. The same version again with the same content is
    /// OK (idempotent re-registration), with other content ALREADY_EXISTS; an older or equal
    /// version than the current one otherwise is FAILED_PRECONDITION (stale).
    Status put(const TenantCode& tenant, const ReplicaItem& item, Poco::Int64 nowMicros);
    /// Deletion is a tombstone: a new version (> current) with deleted = 1, no payload and
    /// nil_reason "deleted", which becomes current, so history and the export keep it.
    /// Repeating the same tombstone is OK. NOT_FOUND for an unknown record.
    Status remove(const TenantCode& tenant, const std::string& recordId, Poco::Int64 version,
                  const std::string& sourceSystem, Poco::Int64 nowMicros);
    /// Stores many items (distinct record ids, version ignored) in ONE transaction: each item
    /// whose content equals its current, not deleted version is left alone (false in the
    /// result), every other becomes version current + 1 (true). One commit for the batch
    /// instead of one per item; any error (a race with another node included) rolls the whole
    /// batch back and is returned — the caller then stores the items one by one with put().
    Result<std::vector<bool>> putBatch(const TenantCode& tenant,
                                       const std::vector<ReplicaItem>& items,
                                       Poco::Int64 nowMicros);
    /// The newest version (possibly a tombstone).
    std::optional<ReplicaItem> current(const TenantCode& tenant, const std::string& recordId);
    /// The current, not deleted items of a person and data item, for provision (several data sets
    /// possible), ordered by dataset key and record id.
    std::vector<ReplicaItem> findCurrent(const TenantCode& tenant, const std::string& atenaNo,
                                         const std::string& itemCode);
    /// Every version of a record, oldest first.
    std::vector<ReplicaItem> versions(const TenantCode& tenant, const std::string& recordId);
    /// One page of current items (tombstones included) with record_id > afterRecordId, in
    /// record_id order, for export and reconciliation; pass the last record id to continue.
    std::vector<ReplicaItem> listCurrent(const TenantCode& tenant, const std::string& afterRecordId,
                                         int limit);

    static Status validate(const ReplicaItem& item);

private:
    std::vector<ReplicaItem> select(Poco::Data::Session& s, const std::string& where,
                                    Poco::Data::AbstractBindingVec& binds,
                                    const std::string& tenant);
    Status insertVersion(Poco::Data::Session& s, const TenantCode& tenant, const ReplicaItem& item,
                         Poco::Int64 nowMicros);

    Database& _db;
};

} // namespace chukan
