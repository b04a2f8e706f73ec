// ConsoleHoldsStage: the 保留 queue of the caller's institution — list, refusal reasons, content detail, 提供 / 拒否 decision.
#pragma once

#include "gateway/ProvisionService.h"
#include "gateway/Stage.h"

#include <memory>

namespace chukan
{

/// GET /console/api/holds, GET /console/api/holds/reasons, GET /console/api/holds/{holdId},
/// POST /console/api/holds/{holdId}/decision (docs/console-api.md). Always the tenant of the
/// session: another institution's hold id is NOT_FOUND. Decisions go through
/// ProvisionService::decideHold with the staff member's login id as the reviewer (four eyes
/// compares login ids).
class ConsoleHoldsStage : public Stage
{
public:
    enum Mode
    {
        LIST,
        REASONS,
        DETAIL,
        DECIDE
    };
    ConsoleHoldsStage(Mode mode, GatewayServices& services,
                      std::shared_ptr<ProvisionService> provisions)
        : _mode(mode), _services(services), _provisions(std::move(provisions))
    {
    }
    const char* name() const override;
    Outcome run(Exchange& exchange) override;

private:
    Outcome list(Exchange& ex);
    Outcome reasons(Exchange& ex);
    Outcome detail(Exchange& ex);
    Outcome decide(Exchange& ex);
    /// The institution's name in the network directory ("" when unknown).
    std::string institutionName(const std::string& code) const;

    Mode _mode;
    GatewayServices& _services;
    std::shared_ptr<ProvisionService> _provisions;
};

} // namespace chukan
