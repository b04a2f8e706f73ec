// ConsoleOriginStage: refuses cross-site state-changing console requests by their Origin and Sec-Fetch-Site headers.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// For POST only (GETs change nothing): an Origin header, when present, must be
/// https://<Host> or one of chukan.console.origins; Sec-Fetch-Site must not be cross-site.
/// Otherwise 403 CSRF_REJECTED. Runs before the session (login included); the per-session
/// X-CSRF-Token is ConsoleCsrfStage's.
class ConsoleOriginStage : public Stage
{
public:
    explicit ConsoleOriginStage(GatewayServices& services) : _services(services) {}
    const char* name() const override { return "console_origin"; }
    Outcome run(Exchange& exchange) override;

private:
    GatewayServices& _services;
};

} // namespace chukan
