// InquiryStore: 情報照会 — outgoing inquiries keyed by 処理通番, moved between states by
// conditional updates.
#pragma once

#include "adapters/Database.h"
#include "codecs/TenantCode.h"

#include <functional>
#include <optional>
#include <vector>

namespace chukan
{

class SqlQuery;

struct Inquiry
{
    std::string serial;        ///< 処理通番 (key), 1 to 32 characters
    std::string systemId;      ///< the business system that asked
    std::string batchId;       ///< bulk inquiry file / job; empty when single
    std::string atenaNo;       ///< 統合宛名番号, 15 digits
    std::string jimuCode;      ///< 事務コード, 16 characters
    std::string procedureCode; ///< 事務手続きコード, 16 characters
    std::string itemCode;      ///< 特定個人情報名コード, 16 characters
    std::string providerCode;  ///< 機関コード of the provider, 16 characters
    std::string messageId;     ///< network message ID once sent
    std::string state; ///< queued | sent | completed | error | aborted | expired (result deleted)
    std::string errorCode;
    std::string errorMessage;
    std::optional<std::string> result; ///< the result bytes once received
    Poco::Int64 requestedAt = 0;
    Poco::Int64 updatedAt = 0;
    std::optional<Poco::Int64> completedAt; ///< set on entering completed, error or aborted
};

class InquiryStore
{
public:
    explicit InquiryStore(Database& db) : _db(db) {}

    /// Stores a new inquiry in state queued. ALREADY_EXISTS on the same serial.
    Status add(const TenantCode& tenant, const Inquiry& inquiry, Poco::Int64 nowMicros);
    std::optional<Inquiry> get(const TenantCode& tenant, const std::string& serial);
    /// Moves fromState -> toState only if the row is still in fromState (so two nodes cannot
    /// both move it): FAILED_PRECONDITION naming the actual state otherwise, NOT_FOUND if absent.
    /// Terminal states (completed, error, aborted) set completed_at. errorCode/Message replace
    /// the stored ones; messageId is kept when empty.
    Status transition(const TenantCode& tenant, const std::string& serial,
                      const std::string& fromState, const std::string& toState,
                      Poco::Int64 nowMicros, const std::string& errorCode = "",
                      const std::string& errorMessage = "", const std::string& messageId = "");
    /// Stores the result and moves sent -> completed (conditional like transition()).
    Status setResult(const TenantCode& tenant, const std::string& serial, const std::string& bytes,
                     Poco::Int64 nowMicros);
    /// Ordered by serial.
    std::vector<Inquiry> listByBatch(const TenantCode& tenant, const std::string& batchId);
    /// One page of a batch's inquiries with serial > afterSerial, in serial order (bulk results).
    std::vector<Inquiry> listByBatchAfter(const TenantCode& tenant, const std::string& batchId,
                                          const std::string& afterSerial, int limit);
    /// Least recently updated first.
    std::vector<Inquiry> listByState(const TenantCode& tenant, const std::string& state, int limit);
    /// The 処理通番 of listByState, in its order, from the index alone (no row, no result read).
    std::vector<std::string> serialsByState(const TenantCode& tenant, const std::string& state,
                                            int limit);
    /// Deletes completed, error and aborted inquiries finished before cutoff; returns the count.
    Poco::Int64 purgeCompletedBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros);
    /// Retention of results: completed, error and aborted inquiries finished before cutoff become
    /// expired — result deleted, error code EXPIRED and message set, the rest kept so a later
    /// fetch is answered "expired". One conditional UPDATE (several nodes may run it); returns
    /// how many rows changed.
    Poco::Int64 expireResultsBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros,
                                    int retentionDays, Poco::Int64 nowMicros);
    /// Deletes expired inquiries that finished before cutoff; returns the count.
    Poco::Int64 deleteExpiredBefore(const TenantCode& tenant, Poco::Int64 cutoffMicros);

    static bool isTerminal(const std::string& state);
    static bool isState(const std::string& state);

private:
    /// The inquiries WHERE where (with ORDER BY/LIMIT) selects; binds binds its parameters.
    std::vector<Inquiry> select(const std::string& where, const std::function<void(SqlQuery&)>& binds,
                                const std::string& tenant);
    Status classify(const TenantCode& tenant, const std::string& serial,
                    const std::string& expected);

    Database& _db;
};

} // namespace chukan
