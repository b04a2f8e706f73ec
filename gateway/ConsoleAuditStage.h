// ConsoleAuditStage: the staff audit log for auditors — paged entries and chain verification.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// GET /console/api/audit, GET /console/api/audit/verify (docs/console-api.md); the session's
/// tenant only.
class ConsoleAuditStage : public Stage
{
public:
    enum Mode
    {
        LIST,
        VERIFY
    };
    ConsoleAuditStage(Mode mode, GatewayServices& services) : _mode(mode), _services(services) {}
    const char* name() const override { return _mode == LIST ? "console_audit" : "console_audit_verify"; }
    Outcome run(Exchange& exchange) override;

private:
    Mode _mode;
    GatewayServices& _services;
};

} // namespace chukan
