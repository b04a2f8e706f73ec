// BulkInquiryService: bulk 情報照会 — accepts a 220-byte-record file as one batch, reports its progress, renders its results.
#pragma once

#include "adapters/BulkInquiryStore.h"
#include "codecs/BulkInquiryFile.h"
#include "codecs/BulkResultWriter.h"
#include "gateway/BulkInquiryReport.h"
#include "gateway/Exchange.h"
#include "gateway/GatewayServices.h"

#include <functional>

namespace chukan
{

/// The batch is a job (BulkInquiryStore) whose items are ordinary inquiries: the worker
/// dispatches them, the network's answers complete them, exactly as for online inquiries.
///
/// accept() is idempotent and resumable. The job id is derived from (tenant, system, key) where
/// key is the Idempotency-Key header or else the file's SHA-256, and each item's 処理通番 from
/// the job id and its record number, so:
///   - a retry after a lost reply finds the released job and returns its stored report (200);
///   - a retry after a crash in the middle of acceptance finds the job still accepting and
///     stages the missing items only, then releases the batch;
///   - the same key with another file is refused (409), nothing changes.
/// Items are staged in transactions of ROWS_PER_TRANSACTION with multi-row INSERTs; 符号 are
/// looked up a few hundred at a time; release() makes the whole batch visible to the worker in
/// one transaction, before the 2xx.
class BulkInquiryService
{
public:
    static const std::size_t ROWS_PER_TRANSACTION = 1000;
    static const std::size_t MAX_RECORDS = 9999999; ///< the record number has 7 digits in a 処理通番
    static const std::size_t ERROR_LIMIT = 1000;    ///< bad records before the file is refused whole

    /// What accept() answers: HTTP status and the report (or a refusal) as JSON.
    struct Reply
    {
        int httpStatus = 202;
        std::string errorCode; ///< empty on success
        std::string json;
        std::string jobId;
        bool replayed = false;
    };

    /// Progress of a job (GET /api/v1/inquiries/bulk?job=).
    struct Progress
    {
        std::string jobId;
        std::string state; ///< accepting | running | done
        Poco::Int64 total = 0, accepted = 0, rejected = 0, completed = 0, errors = 0, expired = 0, pending = 0;
        std::string toJson() const;
    };

    explicit BulkInquiryService(GatewayServices& services);

    /// REQUIRES: ex authenticated (tenant, system), body = the file.
    Reply accept(const Exchange& ex, const std::string& idempotencyKey);
    /// NOT_FOUND when the job is not this system's.
    Result<Progress> progress(const TenantCode& tenant, const std::string& systemId, const std::string& jobId);
    /// The job's progress once every item is final; NOT_FOUND as above, FAILED_PRECONDITION
    /// "N items are not final" while any is pending.
    Result<Progress> finalProgress(const TenantCode& tenant, const std::string& systemId,
                                   const std::string& jobId);
    /// Every result of the job in the format, appended to out. NOT_FOUND as above;
    /// FAILED_PRECONDITION "N items are not final" while any is pending (then nothing is written).
    /// With a sink, out is handed to it after each page of results and at the end (the sink
    /// sends and clears it), so memory holds one page, not the whole job; a sink returning
    /// false stops the rendering with UNAVAILABLE.
    Status results(const TenantCode& tenant, const std::string& systemId, const std::string& jobId,
                   BulkResultWriter& writer, std::string& out,
                   const std::function<bool(std::string&)>& sink = {});

    /// "B" + 22 hex digits of SHA-256(tenant, system, key).
    static std::string jobIdFor(const TenantCode& tenant, const std::string& systemId, const std::string& key);
    /// jobId + "-" + the record number in 7 digits (at most 32 characters).
    static std::string serialFor(const std::string& jobId, std::size_t recordNumber);
    /// The record number of a bulk 処理通番; 0 for any other serial.
    static std::size_t recordNumberOf(const std::string& serial);
    /// The item as the business system sees it (statuses and texts as for online results).
    static BulkResultItem resultItem(const Inquiry& inquiry);
    /// Idempotency-Key: 1 to 64 of [A-Za-z0-9._:-].
    static Status checkKey(const std::string& key);

    /// The bulk_inquiry_result layout (for fixed results); null when it did not load.
    std::shared_ptr<const LayoutCodec> resultLayout() const { return _resultLayout; }

private:
    Reply refuse(int httpStatus, const std::string& code, BulkInquiryReport report);
    Status writeRecords(const TenantProfile& profile, const std::vector<Inquiry>& refused, bool resuming);

    GatewayServices& _services;
    std::shared_ptr<const LayoutCodec> _layout;
    std::shared_ptr<const LayoutCodec> _resultLayout;
    std::optional<BulkInquiryFile> _file;
    std::string _loadError;
    Counter& _queued;
    Counter& _refused;
    Counter& _rejected;
    Counter& _replayed;
};

} // namespace chukan
