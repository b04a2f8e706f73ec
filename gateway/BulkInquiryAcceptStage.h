// BulkInquiryAcceptStage: POST /api/v1/inquiries/bulk — a bulk inquiry file in, the job and its per-record report out.
#pragma once

#include "gateway/BulkInquiryService.h"
#include "gateway/Stage.h"

namespace chukan
{

/// Body: the file (220-byte CP932 records, CRLF or none). Optional Idempotency-Key header (or
/// ?idempotencyKey=): a retry with the same key (default: the same file) returns the same job.
/// 202 with the report when accepted; 200 with the stored report for a retry; 400 INVALID_FILE
/// (report with "error") when nothing could be accepted; 409 IDEMPOTENCY_CONFLICT when the key was
/// used for another file.
class BulkInquiryAcceptStage : public Stage
{
public:
    explicit BulkInquiryAcceptStage(std::shared_ptr<BulkInquiryService> bulk) : _bulk(std::move(bulk)) {}
    const char* name() const override { return "bulk_inquiry_accept"; }
    Outcome run(Exchange& exchange) override;

private:
    std::shared_ptr<BulkInquiryService> _bulk;
};

} // namespace chukan
