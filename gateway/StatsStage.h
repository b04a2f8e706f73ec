// StatsStage: GET /api/v1/stats?from=&to=&format= — the authenticated system's tenant's business
// statistics (operation stats).
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// 200 StatsReport::json() (or csv() with format=csv); 400 INVALID_ARGUMENT for a bad date,
/// a reversed range or more than MAX_DAYS days. Counts only.
class StatsStage : public Stage
{
public:
    explicit StatsStage(GatewayServices& services) : _services(services) {}
    const char* name() const override { return "stats"; }
    Outcome run(Exchange& exchange) override;

    static constexpr int MAX_DAYS = 366;

private:
    GatewayServices& _services;
};

} // namespace chukan
