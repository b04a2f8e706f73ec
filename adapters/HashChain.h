// HashChain: a per-tenant SHA-256 hash chain over an append-only table, shared by RecordStore and
// AuditStore.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

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
    Poco::Int64 verified = 0;  ///< rows checked after the anchor
    Poco::Int64 anchorSeq = 0; ///< last purged seq (0 when nothing was purged)
    Poco::Int64 headSeq = 0;   ///< last seq (anchorSeq when no rows remain)
    std::string headHash;      ///< hash of headSeq (the genesis value for an empty chain)
};

/// The chain of one table for every tenant. Rows are (tenant_code, seq, <columns>, prev_hash, hash)
/// with PRIMARY KEY (tenant_code, seq); seq starts at 1 and has no gaps.
///
/// hash(row) = lowercase hex SHA-256 of the canonical bytes
///   "chukan-chain-v1\n" F(table) F(tenant) F(seq) F(col_1) ... F(col_n) F(prev_hash)
/// where F(x) = decimal byte length of x, ':', the bytes of x, ';' and F(NULL) = "~;"
/// (integers as decimal text). prev_hash of seq 1 is 64 '0's; after a purge the first remaining
/// row links to the anchor (chain_anchors: tenant, table, last purged seq and its hash).
///
/// Thread-safety: no in-process state; several nodes may append at once (the primary key
/// rejects the loser of a race, which retries).
class HashChain
{
public:
    /// timeColumn (one of columns, kind INT) decides what purgeBefore() removes.
    HashChain(Database& db, std::string table, std::vector<ChainColumn> columns,
              std::string timeColumn);

    /// Appends one row; returns its seq. REQUIRES: values match the columns in order and kind.
    /// UNAVAILABLE when the append keeps losing races to other writers.
    Result<Poco::Int64> append(const TenantCode& tenant, const std::vector<ChainValue>& values);

    /// Streams the tenant's chain from the anchor, page by page. CORRUPTION naming the first bad
    /// seq: "hash mismatch" (row altered), "missing" (row deleted), "prev_hash ... does not link"
    /// (row inserted or reordered).
    Result<ChainCheck> verify(const TenantCode& tenant, int pageSize = 500);

    /// Deletes the longest prefix of the chain whose rows are all older than cutoffMicros
    /// (timeColumn < cutoff) and moves the anchor to its last row, so verify() still links.
    /// Returns the number of rows deleted. Run verify() first: purged rows are no longer checked.
    Result<Poco::Int64> purgeBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                    Poco::Int64 nowMicros);

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
    struct Anchor
    {
        Poco::Int64 seq = 0;
        std::string hash;
    };
    Anchor readAnchor(Poco::Data::Session& s, const std::string& tenant);
    Status checkValues(const std::vector<ChainValue>& values) const;

    Database& _db;
    std::string _table;
    std::vector<ChainColumn> _columns;
    std::string _timeColumn;
};

} // namespace chukan
