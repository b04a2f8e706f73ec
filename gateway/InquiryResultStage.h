// InquiryResultStage: GET /api/v1/inquiries/result?serial=… — the state or result of one inquiry of this tenant.
#pragma once

#include "codecs/LayoutCodec.h"
#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan {

/// ?format=xml (default): an InquiryResponse with the result data unaltered in CDATA;
/// ?format=csv: the inquiry-result CSV row (UTF-8); ?format=fixed: its bulk_inquiry_result
/// record(s) (CP932, docs/formats.md). 202 while queued or in flight, 200 once
/// finished, 404 for a serial this tenant does not have (another tenant's serial included).
class InquiryResultStage : public Stage
{
public:
    explicit InquiryResultStage(GatewayServices& services);
    const char* name() const override { return "inquiry_result"; }
    Outcome run(Exchange& exchange) override;

private:
    GatewayServices& _services;
    std::shared_ptr<const LayoutCodec> _fixed; ///< bulk_inquiry_result; null when it did not load
};

} // namespace chukan
