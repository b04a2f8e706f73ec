// ConsoleRoutes: the staff console's route table under /console — one stage pipeline per API endpoint, static files, audit.
#pragma once

#include "gateway/Pipeline.h"
#include "gateway/ProvisionService.h"
#include "gateway/StaffService.h"
#include "policy/RolePermissions.h"

#include <memory>
#include <optional>
#include <vector>

namespace chukan
{

/// Every API pipeline starts with the same guards, then the endpoint's own stage:
///   ConsoleTerminalStage   terminal certificate → tenant (never from URL or body)
///   ConsoleOriginStage     POST: Origin / Sec-Fetch-Site
///   ConsoleSessionStage    cookie → session on this terminal, time-outs      (not for login)
///   ConsoleCsrfStage       POST: X-CSRF-Token                                  (not for login)
///   ConsoleAuthorizeStage  role × permission (policy/RolePermissions)          (not for login)
/// dispatch() then appends the audit entry of the call (staff, time, operation, target,
/// outcome) when the route is audited and a staff member is known, refused calls included.
/// Built once, shared read-only by the listener threads; tests drive dispatch() directly.
class ConsoleRoutes
{
public:
    static constexpr std::size_t MAX_BODY = 1024 * 1024;

    /// One endpoint, as documented in docs/console-api.md.
    struct Endpoint
    {
        std::string method;
        std::string pattern;                 ///< e.g. /console/api/holds/{holdId}/decision
        std::optional<Permission> permission;///< nullopt: no session needed (login)
        std::string operation;               ///< metrics endpoint and audit operation
        bool audited = false;                ///< dispatch() writes the audit entry
    };

    ConsoleRoutes(GatewayServices& services, std::shared_ptr<ProvisionService> provisions);

    /// True for /console and everything under /console/.
    static bool handles(const std::string& path);
    /// Runs the request: REQUIRES method, path, query, headers, body and the client
    /// certificate fields of the Exchange set (PipelineHandler does).
    void dispatch(Exchange& exchange);

    /// Every API endpoint in table order.
    std::vector<Endpoint> endpoints() const;
    std::shared_ptr<StaffService> staff() const { return _staff; }

private:
    struct Route
    {
        Endpoint endpoint;
        std::vector<std::string> segments;
        std::unique_ptr<Pipeline> pipeline;
    };
    void add(const std::string& method, const std::string& pattern,
             std::optional<Permission> permission, const std::string& operation, bool audited,
             std::shared_ptr<Stage> stage);
    static bool match(const Route& route, const std::vector<std::string>& segments,
                      std::map<std::string, std::string>& params);
    void audit(const Route& route, Exchange& ex);

    GatewayServices& _services;
    std::shared_ptr<StaffService> _staff;
    std::vector<Route> _routes;
    std::unique_ptr<Pipeline> _files;
};

} // namespace chukan
