// AuthenticateStage: maps the client certificate to a hosted tenant and a connected system allowed this operation.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan {

/// The certificate's subject O= names the tenant (地方公共団体コード); the tenant must be hosted
/// here, and (tenant, SHA-256 fingerprint) must be a registered, enabled connected system
/// holding Exchange::operation. Each outcome is counted
/// (chukan_authenticate_total{decision=…}) and logged with IDs only.
class AuthenticateStage : public Stage
{
public:
    explicit AuthenticateStage(GatewayServices& services);
    const char* name() const override { return "authenticate"; }
    Outcome run(Exchange& exchange) override;

private:
    Outcome refuse(Exchange& ex, Counter& counter, Poco::Net::HTTPResponse::HTTPStatus status,
                   const std::string& code, const std::string& message);
    GatewayServices& _services;
    Counter& _allowed;
    Counter& _unknownTenant;
    Counter& _unknownSystem;
    Counter& _disabled;
    Counter& _operationDenied;
};

} // namespace chukan
