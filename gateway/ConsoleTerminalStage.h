// ConsoleTerminalStage: admits a staff terminal — client certificate O= a hosted tenant, registered with the operation "console".
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// The console's first stage. The terminal certificate decides the tenant of everything that
/// follows (Exchange::tenant); URLs and bodies never do. Refuses with 403 TERMINAL_NOT_ALLOWED
/// and counts chukan_console_terminal_total{decision}.
class ConsoleTerminalStage : public Stage
{
public:
    explicit ConsoleTerminalStage(GatewayServices& services);
    const char* name() const override { return "console_terminal"; }
    Outcome run(Exchange& exchange) override;

    /// The operation a connected system needs to be a staff terminal.
    static constexpr const char* OPERATION = "console";

private:
    GatewayServices& _services;
    Counter& _allowed;
    Counter& _refused;
};

} // namespace chukan
