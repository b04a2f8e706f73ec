// BulkInquiryStatusStage: GET /api/v1/inquiries/bulk?job=ID — the progress of one bulk inquiry job of this system.
#pragma once

#include "gateway/BulkInquiryService.h"
#include "gateway/Stage.h"

namespace chukan
{

/// 200 {"job","state","total","accepted","rejected","completed","errors","expired","pending"};
/// 404 for a job this system does not have.
class BulkInquiryStatusStage : public Stage
{
public:
    explicit BulkInquiryStatusStage(std::shared_ptr<BulkInquiryService> bulk) : _bulk(std::move(bulk)) {}
    const char* name() const override { return "bulk_inquiry_status"; }
    Outcome run(Exchange& exchange) override;

private:
    std::shared_ptr<BulkInquiryService> _bulk;
};

} // namespace chukan
