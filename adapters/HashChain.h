// HashChain: a per-tenant SHA-256 hash chain over an append-only table, shared by RecordStore and
// AuditStore.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <Poco/Data/RecordSet.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chukan
{

/// One data column of a chained table (everything except tenant_code, seq, prev_hash, hash).
struct ChainColumn
{
    enum Kind
    {
        TEXT,   ///< VARCHAR, NOT NULL
        INT,    ///< INTEGER / BIGINT, NOT NULL
        OPT_INT ///< INTEGER / BIGINT, nullable
    };
    std::string name;
    Kind kind;
};

/// A value for one ChainColumn, in column order (integers also carry their decimal text).
struct ChainValue
{
    bool isNull = false;
    std::string text;
    Poco::Int64 num = 0;

    static ChainValue str(std::string s);
    static ChainValue integer(Poco::Int64 n);
    static ChainValue optInteger(const std::optional<Poco::Int64>& n);
};

/// What verify() found: the rows checked and where the chain ends.
struct ChainCheck
{
    Poco::Int64 verified = 0;  ///< rows checked after the checkpoint
    Poco::Int64 anchorSeq = 0; ///< checkpoint: last purged seq (0 when nothing was purged)
    Poco::Int64 headSeq = 0;   ///< last seq (anchorSeq when no rows remain)
    std::string headHash;      ///< hash of headSeq (the genesis value for an empty chain)
};

/// What a purge removed (purgeBefore) or would remove (planPurge).
struct ChainPurge
{
    Poco::Int64 purged = 0;   ///< rows deleted
    Poco::Int64 firstSeq = 0; ///< first deleted seq (0 when none)
    Poco::Int64 lastSeq = 0;  ///< last deleted seq: the new checkpoint (0 when none)
    std::string checkpointHash;
    Poco::Int64 noteSeq = 0; ///< seq of the row that records the purge (0 when none was written)
    bool more = false;       ///< maxRows stopped the purge before the cutoff: call again
};

/// Who purges, why and how much, for the row that records a purge (RecordStore, AuditStore).
struct PurgeRequest
{
    Poco::Int64 cutoffMicros = 0; ///< rows older than this go (Retention::cutoff)
    Poco::Int64 nowMicros = 0;    ///< when the purge runs: the time of the row that records it
    int retentionDays = 0;        ///< the period that gave the cutoff, for the record
    std::string by;          ///< records: our 機関コード; audit: the staff id (e.g. system)
    std::string refId;       ///< what ran it, e.g. the retention job id
    Poco::Int64 maxRows = 0; ///< > 0: at most this many rows in one transaction (ChainPurge::more)
};

/// The chain of one table for every tenant. Rows are (tenant_code, seq, <columns>, prev_hash, hash)
/// with PRIMARY KEY (tenant_code, seq); seq starts at 1 and has no gaps.
///
/// hash(row) = lowercase hex SHA-256 of the canonical bytes
///   "chukan-chain-v1\n" F(table) F(tenant) F(seq) F(col_1) ... F(col_n) F(prev_hash)
/// where F(x) = decimal byte length of x, ':', the bytes of x, ';' and F(NULL) = "~;"
/// (integers as decimal text). prev_hash of seq 1 is 64 '0's.
///
/// Two bookkeeping rows per (tenant, table), written in the same transaction as the rows:
///  - chain_heads (migration 6): the last seq and its hash, moved by every append. verify()
///    compares the end of the chain with it, so deleting the newest rows (truncation) is caught.
///  - chain_anchors (migration 2): the checkpoint — last purged seq and its hash. The first
///    remaining row's prev_hash links to it, so a purge keeps the rest verifiable.
///
/// Thread-safety: no in-process state. Several nodes may append and purge at once: every change
/// of a tenant's chain reads the head row with a row lock (MariaDB) or under the write lock
/// (SQLite), and moves it with a conditional UPDATE; the loser of a race retries.
class HashChain
{
public:
    /// Called while verify() walks: rows checked so far and the rows it expects in all.
    using Progress = std::function<void(Poco::Int64 verified, Poco::Int64 total)>;
    /// Builds the row that records a purge (values in column order) from what was purged.
    using PurgeNote = std::function<std::vector<ChainValue>(const ChainPurge&)>;

    /// timeColumn (one of columns, kind INT) decides what purgeBefore() removes.
    HashChain(Database& db, std::string table, std::vector<ChainColumn> columns,
              std::string timeColumn);

    /// Appends one row; returns its seq. REQUIRES: values match the columns in order and kind.
    /// UNAVAILABLE when the append keeps losing races to other writers; CORRUPTION when the chain
    /// has rows but no head row (the chain is not extended until an operator has looked).
    Result<Poco::Int64> append(const TenantCode& tenant, const std::vector<ChainValue>& values);

    /// Streams the tenant's chain from the checkpoint to the head, page by page. CORRUPTION naming
    /// the tenant and the first bad seq: "hash mismatch" (row altered), "missing" (row deleted),
    /// "prev_hash ... does not link" (row inserted or reordered), "missing at the end" (truncated:
    /// the head row names a later seq), "beyond the chain head" (a row added outside chukan),
    /// "no chain head" (the head row was deleted). Rows appended while it runs are not checked.
    Result<ChainCheck> verify(const TenantCode& tenant, int pageSize = 500,
                              const Progress& progress = Progress());

    /// What purgeBefore() would delete now (no change).
    Result<ChainPurge> planPurge(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                 Poco::Int64 maxRows = 0);
    /// In one transaction: deletes the longest prefix of the chain whose rows are all older than
    /// cutoffMicros (timeColumn < cutoff; at most maxRows when > 0), moves the checkpoint to its
    /// last row and, when note is set and something was deleted, appends the row note builds.
    /// Nothing to delete: nothing is written. Verify first: purged rows are no longer checked.
    Result<ChainPurge> purgeBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                   Poco::Int64 nowMicros, const PurgeNote& note = PurgeNote(),
                                   Poco::Int64 maxRows = 0);

    /// Every tenant that has this chain (rows, head or checkpoint), in code order, as stored.
    std::vector<std::string> tenants();

    static const std::string& genesisHash();
    /// REQUIRES: values in canonical form — every non-NULL value's text set (integers as decimal).
    static std::string computeHash(const std::string& table, const std::string& tenant,
                                   Poco::Int64 seq, const std::vector<ChainValue>& values,
                                   const std::string& prevHash);

    const std::string& table() const { return _table; }
    const std::vector<ChainColumn>& columns() const { return _columns; }
    /// "c1, c2, ..." in column order, for the stores' SELECTs.
    std::string columnList() const;

private:
    struct Mark
    {
        bool exists = false;
        Poco::Int64 seq = 0;
        std::string hash;
    };
    Mark readAnchor(Poco::Data::Session& s, const std::string& tenant);
    /// The head row; locked until the end of the transaction on MariaDB when forUpdate.
    Mark readHead(Poco::Data::Session& s, const std::string& tenant, bool forUpdate);
    Status checkValues(const std::vector<ChainValue>& values) const;
    /// Inside a write transaction: appends after the head and moves it. Returns the seq, or
    /// CORRUPTION when the head row is missing from a chain that has rows or a checkpoint.
    /// Another writer won a race: sets lostRace (the head moved) or throws a duplicate key.
    Result<Poco::Int64> appendIn(Poco::Data::Session& s, const std::string& tenant,
                                 const std::vector<ChainValue>& values, bool& lostRace);
    /// Checks one page of rows (seq, prev_hash, hash, columns...) in order, advancing check.
    /// CORRUPTION at the first bad row; jumped when it is a gap in seq.
    Status walk(Poco::Data::RecordSet& rs, const std::string& tenant, ChainCheck& check,
                bool& jumped) const;
    ChainPurge plan(Poco::Data::Session& s, const std::string& tenant, const Mark& anchor,
                    Poco::Int64 cutoffMicros, Poco::Int64 maxRows);
    /// Runs fn in a write transaction, again when another writer won a race (fn set lostRace or
    /// a duplicate key was thrown).
    template <typename T>
    Result<T> writeRetrying(const TenantCode& tenant, const std::string& what,
                            const std::function<Result<T>(Poco::Data::Session&, bool&)>& fn);

    Database& _db;
    std::string _table;
    std::vector<ChainColumn> _columns;
    std::string _timeColumn;
};

} // namespace chukan
