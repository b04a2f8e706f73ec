// HoldReviewStage: the reviewer API for held provisions — list pending holds, approve or refuse one.
#pragma once

#include "gateway/ProvisionService.h"
#include "gateway/Stage.h"

namespace chukan {

/// GET /api/v1/holds → {"holds": [{"holdId","messageId","reason","deadline","firstReviewer"}]}.
/// POST /api/v1/holds/decision {"holdId","approve": true|false,"reviewer","reason"} → the hold's
/// new state. Operation "review". (The staff console of a later issue replaces the reviewer
/// field with the logged-in staff member.)
class HoldReviewStage : public Stage
{
public:
    HoldReviewStage(GatewayServices& services, std::shared_ptr<ProvisionService> provisions)
        : _services(services), _provisions(std::move(provisions))
    {
    }
    const char* name() const override { return "hold_review"; }
    Outcome run(Exchange& exchange) override;

private:
    GatewayServices& _services;
    std::shared_ptr<ProvisionService> _provisions;
};

} // namespace chukan
