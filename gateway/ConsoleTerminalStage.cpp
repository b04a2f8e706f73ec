// ConsoleTerminalStage: certificate O= → hosted tenant → SystemStore by fingerprint → enabled, operation console.
#include "gateway/ConsoleTerminalStage.h"

#include "adapters/SystemStore.h"

#include <Poco/Logger.h>

namespace chukan
{

ConsoleTerminalStage::ConsoleTerminalStage(GatewayServices& s)
    : _services(s),
      _allowed(s.metrics.counter("chukan_console_terminal_total", "decision=\"allowed\"",
                                 "Staff terminal admissions")),
      _refused(s.metrics.counter("chukan_console_terminal_total", "decision=\"refused\""))
{
}

Stage::Outcome ConsoleTerminalStage::run(Exchange& ex)
{
    std::string why;
    Result<TenantCode> tenant = TenantCode::parse(ex.clientOrganization);
    if (!tenant || !_services.settings.profile(tenant.value().str()))
        why = "certificate O='" + ex.clientOrganization.substr(0, 40) +
              "' is not a tenant hosted here";
    else
    {
        std::optional<ConnectedSystem> terminal =
            SystemStore(*_services.db).findByFingerprint(tenant.value(), ex.clientFingerprint);
        if (!terminal)
            why = "certificate " + ex.clientFingerprint.substr(0, 16) +
                  "… is not a registered terminal of tenant " + tenant.value().str();
        else if (!terminal->enabled)
            why = "terminal " + terminal->systemId + " is disabled";
        else if (!terminal->operations.count(OPERATION))
            why = "system " + terminal->systemId + " is not a staff terminal (operation console)";
        else
        {
            ex.tenant = tenant.value();
            ex.systemId = terminal->systemId;
            _allowed.inc();
            return CONTINUE;
        }
    }
    _refused.inc();
    Poco::Logger::get("chukan.console").warning("request %s: terminal refused: %s", ex.requestId, why);
    ex.fail(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "TERMINAL_NOT_ALLOWED", why);
    return STOP;
}

} // namespace chukan
