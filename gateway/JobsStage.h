// JobsStage: GET /api/v1/jobs?state=&kind= — the batch jobs of the authenticated system's tenant
// (operation jobs).
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// 200 JobsReport::json() of the newest MAX_JOBS matching jobs, oldest first; 400
/// INVALID_ARGUMENT for an unknown state.
class JobsStage : public Stage
{
public:
    explicit JobsStage(GatewayServices& services) : _services(services) {}
    const char* name() const override { return "jobs"; }
    Outcome run(Exchange& exchange) override;

    static constexpr std::size_t MAX_JOBS = 500;

private:
    GatewayServices& _services;
};

} // namespace chukan
