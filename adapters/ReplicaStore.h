// ReplicaStore: 副本 — every version of every item the business systems register, the current one
// served for provision.
#pragma once

#include "adapters/Database.h"
#include "adapters/RowReader.h"
#include "codecs/Result.h"
#include "codecs/TenantCode.h"

#include <Poco/Data/LOB.h>
#include <Poco/Nullable.h>

#include <optional>
#include <string>
#include <unordered_map>
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

/// Payloads are stored packed (PayloadPacking: the Record/Field shape of file imports in about
/// half the bytes) and read back as they were given; rows stored before packing read the same.
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
    /// Stores many items (distinct record ids, else INVALID_ARGUMENT; version ignored) in ONE
    /// transaction: each item whose content equals its current, not deleted version is left
    /// alone (false in the result), every other becomes version current + 1 (true). Per batch,
    /// not per item: one IN (…) read of the current versions, one set-based UPDATE of exactly
    /// the rows read current (MariaDB: by record id and version), one prepared INSERT (SQLite:
    /// stepped per row; MariaDB: one bulk execution of arrays), all chunked, bound parameters only, and one commit.
    /// Any error rolls the whole batch back and is returned: a race with another writer is
    /// ALREADY_EXISTS (a row read current no longer was, or the unique key of current rows
    /// refused an insert) — the caller then stores the items one by one with put().
    /// packed, when given, holds PayloadPacking::pack of each item's payload (empty for none),
    /// computed by the caller off the storing thread; otherwise putBatch packs them.
    Result<std::vector<bool>> putBatch(const TenantCode& tenant,
                                       const std::vector<ReplicaItem>& items,
                                       Poco::Int64 nowMicros,
                                       const std::vector<std::string>* packed = nullptr);
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
    /// validate() as if item had the given version (putBatch and the importer assign it later).
    static Status validateAs(const ReplicaItem& item, Poco::Int64 version);

private:
    std::vector<ReplicaItem> select(Poco::Data::Session& s, const std::string& where,
                                    Poco::Data::AbstractBindingVec& binds,
                                    const std::string& tenant);
    /// One row of select()'s columns as an item (the payload read in full, see BlobColumn).
    ReplicaItem readItem(Poco::Data::Session& s, const RowReader& r, const std::string& tenant);
    Status insertVersion(Poco::Data::Session& s, const TenantCode& tenant, const ReplicaItem& item,
                         Poco::Int64 nowMicros);
    /// Inserts rows[i] as version versions[i], current, its payload stored as payloads[i] (packed;
    /// nullptr: NULL), with bound parameters only: one prepared statement, stepped per row on
    /// SQLite, executed from column vectors (multi-row) on MariaDB.
    void insertRows(Poco::Data::Session& s, const std::string& code,
                    const std::vector<const ReplicaItem*>& rows,
                    const std::vector<const std::string*>& payloads,
                    const std::vector<Poco::Int64>& versions, Poco::Int64 nowMicros);

    /// putBatch's read on SQLite: the current version of each item's record (the columns the
    /// comparison needs, the payload as stored), by record id, with the sqlite3 API.
    void readCurrentSqlite(Poco::Data::Session& s, const std::string& code,
                           const std::vector<ReplicaItem>& items,
                           std::unordered_map<std::string, ReplicaItem>& current);
    /// putBatch's read on MariaDB: the same columns with the C API, of the ids that an
    /// index-only range read over the batch's span finds current — by that range when they are
    /// most of its rows, else by id.
    void readCurrentMariaDb(Poco::Data::Session& s, const std::string& code,
                            const std::vector<ReplicaItem>& items,
                            std::unordered_map<std::string, ReplicaItem>& current);
    /// insertRows on MariaDB: one single-row INSERT executed with every row bound as arrays
    /// (bulk execution), bounded by kInsertBytes a round trip. False, nothing done, when the
    /// server has no bulk execution.
    bool insertRowsMariaDb(Poco::Data::Session& s, const std::string& code,
                           const std::vector<const ReplicaItem*>& rows,
                           const std::vector<const std::string*>& payloads,
                           const std::vector<Poco::Int64>& versions, Poco::Int64 nowMicros);
    /// insertRows on SQLite: one prepared statement, each row's values bound from the item.
    void insertRowsSqlite(Poco::Data::Session& s, const std::string& code,
                          const std::vector<const ReplicaItem*>& rows,
                          const std::vector<const std::string*>& payloads,
                          const std::vector<Poco::Int64>& versions, Poco::Int64 nowMicros);

    /// The bound values of one placeholder row of insertRows' INSERT, one element an execution.
    struct InsertColumns
    {
        std::vector<std::string> tenants, ids, atenas, itemCodes, datasets, sources;
        std::vector<Poco::Int64> versions, at;
        std::vector<Poco::Nullable<Poco::Data::BLOB>> payloads;
        std::vector<Poco::Nullable<std::string>> nils;
        std::vector<Poco::Nullable<Poco::Int64>> froms, tos;
        std::vector<int> autoAnswers;

        void add(const std::string& code, const ReplicaItem& item, const std::string* payload,
                 Poco::Int64 version, Poco::Int64 nowMicros);
        void bindTo(Poco::Data::Statement& st);
    };

    /// Record ids a SELECT/UPDATE … IN (…) of putBatch names at most.
    static constexpr std::size_t kReadChunk = 500;
    /// MariaDB: current rows putBatch's first, index-only read over the span of a batch's ids
    /// takes at most; more, and every id of the batch is read by id.
    static constexpr std::size_t kProbeRows = 4000;
    /// Rows and approximate bytes a multi-row INSERT on MariaDB carries at most (placeholders
    /// stay far below 65,535, the statement far below max_allowed_packet's 16 MiB default);
    /// the bytes also bound one bulk execution. Multi-row statements are only used when the
    /// server has no bulk execution.
    static constexpr std::size_t kInsertRows = 250;
    static constexpr std::size_t kInsertBytes = 4 << 20;

    Database& _db;
};

} // namespace chukan
