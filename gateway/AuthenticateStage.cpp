// AuthenticateStage: certificate → tenant → connected system → operation, refusing with a typed reason.
#include "gateway/AuthenticateStage.h"

#include "adapters/SystemStore.h"

#include <Poco/Logger.h>

namespace chukan {

namespace {
const char* kName = "chukan_authenticate_total";
}

AuthenticateStage::AuthenticateStage(GatewayServices& s)
    : _services(s), _allowed(s.metrics.counter(kName, "decision=\"allowed\"", "Authentication decisions")),
      _unknownTenant(s.metrics.counter(kName, "decision=\"unknown_tenant\"")),
      _unknownSystem(s.metrics.counter(kName, "decision=\"unknown_system\"")),
      _disabled(s.metrics.counter(kName, "decision=\"disabled\"")),
      _operationDenied(s.metrics.counter(kName, "decision=\"operation_denied\""))
{
}

Stage::Outcome AuthenticateStage::refuse(Exchange& ex, Counter& counter, Poco::Net::HTTPResponse::HTTPStatus status,
                                         const std::string& code, const std::string& message)
{
    counter.inc();
    Poco::Logger::get("chukan.auth").warning("request %s: %s %s", ex.requestId, code, message);
    ex.fail(status, code, message);
    return STOP;
}

Stage::Outcome AuthenticateStage::run(Exchange& ex)
{
    Result<TenantCode> tenant = TenantCode::parse(ex.clientOrganization);
    if (!tenant || !_services.settings.profile(tenant.value().str()))
        return refuse(ex, _unknownTenant, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "UNKNOWN_TENANT",
                      "client certificate O='" + ex.clientOrganization + "' is not a tenant hosted here");
    SystemStore systems(*_services.db);
    std::optional<ConnectedSystem> system = systems.findByFingerprint(tenant.value(), ex.clientFingerprint);
    if (!system)
        return refuse(ex, _unknownSystem, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "UNKNOWN_SYSTEM",
                      "client certificate " + ex.clientFingerprint.substr(0, 16) +
                          "… is not a connected system of tenant " + tenant.value().str());
    if (!system->enabled)
        return refuse(ex, _disabled, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "SYSTEM_DISABLED",
                      "connected system " + system->systemId + " is disabled");
    if (!system->operations.count(ex.operation))
        return refuse(ex, _operationDenied, Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "OPERATION_NOT_ALLOWED",
                      "connected system " + system->systemId + " may not use operation " + ex.operation);
    ex.tenant = tenant.value();
    ex.systemId = system->systemId;
    ex.systemOperations = system->operations;
    ex.systemJimuCodes = system->jimuCodes;
    _allowed.inc();
    return CONTINUE;
}

} // namespace chukan
