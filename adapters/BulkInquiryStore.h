// BulkInquiryStore: bulk 情報照会 files — their batch job (key, digest, report) and their items, written in batches.
#pragma once

#include "adapters/Database.h"
#include "adapters/InquiryStore.h"
#include "codecs/TenantCode.h"

#include <optional>
#include <set>
#include <vector>

namespace chukan
{

/// One uploaded bulk inquiry file: a batch_jobs row of kind bulk-inquiry (migration 5 adds the
/// upload's columns). state: queued while the file is being accepted (items staged), running
/// once every item is released (queued or refused), done when every item is final.
struct BulkJob
{
    std::string jobId;
    std::string systemId;
    std::string idempotencyKey; ///< the client's Idempotency-Key, or "sha256:<digest>"
    std::string fileDigest;     ///< SHA-256 of the file, lowercase hex
    std::string state;
    Poco::Int64 total = 0;  ///< items of the batch (accepted records)
    Poco::Int64 done = 0;   ///< items completed, as of the last finish()
    Poco::Int64 failed = 0; ///< items ended in error/aborted, as of the last finish()
    std::string report;     ///< the acceptance report (JSON), once released
    Poco::Int64 createdAt = 0;
    Poco::Int64 updatedAt = 0;
};

/// Items of a batch by inquiry state.
struct BulkCounts
{
    Poco::Int64 staged = 0, queued = 0, sent = 0, completed = 0, error = 0, aborted = 0, expired = 0;
    Poco::Int64 items() const { return staged + queued + sent + completed + error + aborted + expired; }
    Poco::Int64 pending() const { return staged + queued + sent; }
    Poco::Int64 errors() const { return error + aborted; }
};

/// Items are ordinary inquiries rows (batch_id = job id) so that the worker dispatches them and
/// the network's answers complete them like online inquiries. While the file is being accepted
/// they are in state "staged", which nothing dispatches; release() turns the whole batch into
/// queued (or error, for items refused at acceptance) in one transaction, so a file is accepted
/// whole or not at all, and an upload interrupted by a crash is resumed by its retry.
class BulkInquiryStore
{
public:
    static constexpr const char* KIND = "bulk-inquiry";

    explicit BulkInquiryStore(Database& db) : _db(db) {}

    /// A new job in state queued. ALREADY_EXISTS when the id is taken.
    Status create(const TenantCode& tenant, const BulkJob& job, Poco::Int64 nowMicros);
    std::optional<BulkJob> get(const TenantCode& tenant, const std::string& jobId);

    /// Stores items in state staged, in one transaction (callers pass about a thousand at a
    /// time), with multi-row INSERTs that skip serials already present (a resumed upload).
    /// An item with an errorCode was refused at acceptance and is released as error.
    /// REQUIRES: items valid as for InquiryStore::add, batchId = jobId.
    Status stage(const TenantCode& tenant, const std::vector<Inquiry>& items, Poco::Int64 nowMicros);
    /// In one transaction: staged items become queued (error with completed_at when refused),
    /// and the job becomes running with its total and report. OK when already released.
    Status release(const TenantCode& tenant, const std::string& jobId, Poco::Int64 total,
                   const std::string& report, Poco::Int64 nowMicros);
    /// running -> done with the final counters. OK when already done.
    Status finish(const TenantCode& tenant, const std::string& jobId, Poco::Int64 done,
                  Poco::Int64 failed, Poco::Int64 nowMicros);

    BulkCounts counts(const TenantCode& tenant, const std::string& jobId);
    /// Items in serial (= file) order after afterSerial, with their results.
    std::vector<Inquiry> page(const TenantCode& tenant, const std::string& jobId,
                              const std::string& afterSerial, int limit);
    /// Serials of this batch that already have their 情報提供等記録 (a resumed upload).
    std::set<std::string> recordedSerials(const TenantCode& tenant, const std::string& jobId);

private:
    Database& _db;
};

} // namespace chukan
