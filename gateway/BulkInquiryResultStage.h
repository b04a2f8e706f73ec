// BulkInquiryResultStage: GET /api/v1/inquiries/bulk/result?job=ID&format=csv|xml|fixed — every result of a finished bulk job.
#pragma once

#include "gateway/BulkInquiryService.h"
#include "gateway/Stage.h"

namespace chukan
{

/// format csv (default; ?encoding=cp932 (default) or utf-8), xml (UTF-8) or fixed (CP932 records
/// of bulk_inquiry_result). 409 NOT_FINAL {"pending":N} while any item is not final; 404 for a
/// job this system does not have.
class BulkInquiryResultStage : public Stage
{
public:
    explicit BulkInquiryResultStage(std::shared_ptr<BulkInquiryService> bulk) : _bulk(std::move(bulk)) {}
    const char* name() const override { return "bulk_inquiry_result"; }
    Outcome run(Exchange& exchange) override;

private:
    std::shared_ptr<BulkInquiryService> _bulk;
};

} // namespace chukan
