// ConsoleSystemStage: システム管理 for auditors and administrators — the tenant's batch jobs and
// business statistics.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// GET /console/api/jobs?state=&kind= and GET /console/api/stats?from=&to=
/// (docs/console-api.md); the session's tenant only, counts and job states only (no person).
/// The same reports as /api/v1/jobs and /api/v1/stats (JobsReport, BusinessStats).
class ConsoleSystemStage : public Stage
{
public:
    enum Mode
    {
        JOBS,
        STATS
    };
    ConsoleSystemStage(Mode mode, GatewayServices& services) : _mode(mode), _services(services) {}
    const char* name() const override { return _mode == JOBS ? "console_jobs" : "console_stats"; }
    Outcome run(Exchange& exchange) override;

private:
    Mode _mode;
    GatewayServices& _services;
};

} // namespace chukan
