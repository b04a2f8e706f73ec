// ConsoleRoutes: the endpoint table, pattern matching, security headers and the audit of every call.
#include "gateway/ConsoleRoutes.h"

#include "gateway/ConsoleAccountStage.h"
#include "gateway/ConsoleAuditStage.h"
#include "gateway/ConsoleAuthorizeStage.h"
#include "gateway/ConsoleContext.h"
#include "gateway/ConsoleCsrfStage.h"
#include "gateway/ConsoleFileStage.h"
#include "gateway/ConsoleHoldsStage.h"
#include "gateway/ConsoleOriginStage.h"
#include "gateway/ConsoleRecordsStage.h"
#include "gateway/ConsoleSessionStage.h"
#include "gateway/ConsoleStaffStage.h"
#include "gateway/ConsoleSystemStage.h"
#include "gateway/ConsoleTerminalStage.h"

#include <Poco/Logger.h>
#include <Poco/StringTokenizer.h>

namespace chukan
{

namespace
{

std::vector<std::string> split(const std::string& path)
{
    std::vector<std::string> out;
    Poco::StringTokenizer t(path, "/");
    for (const std::string& s : t)
        out.push_back(s);
    return out;
}

std::string outcomeOf(Poco::Net::HTTPResponse::HTTPStatus status)
{
    int s = static_cast<int>(status);
    if (s < 400)
        return "ok";
    if (s == 401 || s == 403)
        return "denied";
    if (s == 404)
        return "not_found";
    if (s == 409)
        return "conflict";
    if (s < 500)
        return "invalid";
    return "error";
}

} // namespace

ConsoleRoutes::ConsoleRoutes(GatewayServices& s, std::shared_ptr<ProvisionService> provisions)
    : _services(s), _staff(std::make_shared<StaffService>(*s.db, *s.clock, s.settings.console))
{
    using A = ConsoleAccountStage;
    using H = ConsoleHoldsStage;
    using R = ConsoleRecordsStage;
    using U = ConsoleAuditStage;
    using S = ConsoleStaffStage;
    using Y = ConsoleSystemStage;
    const std::string api = "/console/api";
    // Keep in step with docs/console-api.md, "Endpoints". Literal paths before patterns.
    add("POST", api + "/login", std::nullopt, "login", false,
        std::make_shared<A>(A::LOGIN, _staff));
    add("POST", api + "/logout", Permission::SESSION, "logout", true,
        std::make_shared<A>(A::LOGOUT, _staff));
    add("GET", api + "/session", Permission::SESSION, "session", false,
        std::make_shared<A>(A::SESSION, _staff));
    add("POST", api + "/password", Permission::SESSION, "password.change", true,
        std::make_shared<A>(A::PASSWORD, _staff));
    add("GET", api + "/holds", Permission::HOLD_LIST, "hold.list", true,
        std::make_shared<H>(H::LIST, s, provisions));
    add("GET", api + "/holds/reasons", Permission::HOLD_LIST, "hold.reasons", false,
        std::make_shared<H>(H::REASONS, s, provisions));
    add("GET", api + "/holds/{holdId}", Permission::HOLD_VIEW, "hold.view", true,
        std::make_shared<H>(H::DETAIL, s, provisions));
    add("POST", api + "/holds/{holdId}/decision", Permission::HOLD_DECIDE, "hold.decide", true,
        std::make_shared<H>(H::DECIDE, s, provisions));
    add("GET", api + "/records", Permission::RECORD_SEARCH, "record.search", true,
        std::make_shared<R>(R::SEARCH, s));
    add("GET", api + "/records.csv", Permission::RECORD_EXPORT, "record.export", true,
        std::make_shared<R>(R::CSV, s));
    add("GET", api + "/disclosure", Permission::RECORD_DISCLOSURE, "record.disclosure", true,
        std::make_shared<R>(R::DISCLOSURE, s));
    add("GET", api + "/audit", Permission::AUDIT_READ, "audit.read", true,
        std::make_shared<U>(U::LIST, s));
    add("GET", api + "/audit/verify", Permission::AUDIT_READ, "audit.verify", true,
        std::make_shared<U>(U::VERIFY, s));
    add("GET", api + "/staff", Permission::STAFF_ADMIN, "staff.list", true,
        std::make_shared<S>(S::LIST, _staff));
    add("POST", api + "/staff", Permission::STAFF_ADMIN, "staff.add", true,
        std::make_shared<S>(S::ADD, _staff));
    add("POST", api + "/staff/{loginId}/disable", Permission::STAFF_ADMIN, "staff.disable", true,
        std::make_shared<S>(S::DISABLE, _staff));
    add("POST", api + "/staff/{loginId}/enable", Permission::STAFF_ADMIN, "staff.enable", true,
        std::make_shared<S>(S::ENABLE, _staff));
    add("POST", api + "/staff/{loginId}/reset", Permission::STAFF_ADMIN, "staff.reset", true,
        std::make_shared<S>(S::RESET, _staff));
    add("POST", api + "/staff/{loginId}/role", Permission::STAFF_ADMIN, "staff.role", true,
        std::make_shared<S>(S::ROLE, _staff));
    add("GET", api + "/jobs", Permission::SYSTEM_VIEW, "system.jobs", true,
        std::make_shared<Y>(Y::JOBS, s));
    add("GET", api + "/stats", Permission::SYSTEM_VIEW, "system.stats", true,
        std::make_shared<Y>(Y::STATS, s));

    _files.reset(new Pipeline("console.file", s.metrics));
    _files->add(std::make_shared<ConsoleTerminalStage>(s));
    _files->add(std::make_shared<ConsoleFileStage>(s));
}

void ConsoleRoutes::add(const std::string& method, const std::string& pattern,
                        std::optional<Permission> permission, const std::string& operation,
                        bool audited, std::shared_ptr<Stage> stage)
{
    static std::shared_ptr<Stage> csrf = std::make_shared<ConsoleCsrfStage>();
    Route r;
    r.endpoint = Endpoint{method, pattern, permission, operation, audited};
    r.segments = split(pattern);
    r.pipeline.reset(new Pipeline("console." + operation, _services.metrics));
    r.pipeline->add(std::make_shared<ConsoleTerminalStage>(_services));
    r.pipeline->add(std::make_shared<ConsoleOriginStage>(_services));
    if (permission)
    {
        r.pipeline->add(std::make_shared<ConsoleSessionStage>(_staff));
        r.pipeline->add(csrf);
        r.pipeline->add(std::make_shared<ConsoleAuthorizeStage>(*permission));
    }
    r.pipeline->add(stage);
    _routes.push_back(std::move(r));
}

bool ConsoleRoutes::handles(const std::string& path)
{
    return path == "/console" || path.compare(0, 9, "/console/") == 0;
}

std::vector<ConsoleRoutes::Endpoint> ConsoleRoutes::endpoints() const
{
    std::vector<Endpoint> out;
    for (const Route& r : _routes)
        out.push_back(r.endpoint);
    return out;
}

bool ConsoleRoutes::match(const Route& route, const std::vector<std::string>& segments,
                          std::map<std::string, std::string>& params)
{
    if (segments.size() != route.segments.size())
        return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < segments.size(); ++i)
    {
        const std::string& p = route.segments[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}')
        {
            if (segments[i].empty() || segments[i].size() > 128)
                return false;
            found[p.substr(1, p.size() - 2)] = segments[i];
        }
        else if (p != segments[i])
            return false;
    }
    params = found;
    return true;
}

void ConsoleRoutes::dispatch(Exchange& ex)
{
    ex.console = std::make_shared<ConsoleContext>();
    ex.replyHeaders.emplace_back("Content-Security-Policy",
                                 "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                 "form-action 'self'");
    ex.replyHeaders.emplace_back("X-Content-Type-Options", "nosniff");
    ex.replyHeaders.emplace_back("Referrer-Policy", "no-referrer");
    ex.replyHeaders.emplace_back("X-Frame-Options", "DENY");
    if (ex.path.compare(0, 13, "/console/api/") != 0 && ex.path != "/console/api")
    {
        ex.operation = "console.file";
        _files->run(ex);
        return;
    }
    ex.replyHeaders.emplace_back("Cache-Control", "no-store");
    std::vector<std::string> segments = split(ex.path);
    const Route* chosen = nullptr;
    std::string allowed;
    for (const Route& r : _routes)
    {
        std::map<std::string, std::string> params;
        if (!match(r, segments, params))
            continue;
        if (r.endpoint.method != ex.method)
        {
            allowed = r.endpoint.method;
            continue;
        }
        chosen = &r;
        ex.console->pathParams = params;
        break;
    }
    if (!chosen)
    {
        if (!allowed.empty())
            ex.fail(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                    ex.path + " accepts " + allowed + " only");
        else
            ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND",
                    "no such console endpoint: " + ex.path.substr(0, 200));
        return;
    }
    ex.operation = "console." + chosen->endpoint.operation;
    chosen->pipeline->run(ex);
    if (chosen->endpoint.audited)
        audit(*chosen, ex);
}

void ConsoleRoutes::audit(const Route& route, Exchange& ex)
{
    const ConsoleContext& c = *ex.console;
    std::string staff = c.staff ? c.staff->loginId : c.auditStaff;
    if (!ex.tenant || staff.empty())
        return; // no session: the session stage audited what it refused
    std::string outcome = c.auditOutcome.empty() ? outcomeOf(ex.status) : c.auditOutcome;
    std::string detail = c.auditDetail;
    if (ex.failed())
        detail = ex.errorCode + (detail.empty() ? "" : " " + detail);
    try
    {
        _staff->audit(*ex.tenant, staff, route.endpoint.operation, c.auditTarget, outcome, detail);
    }
    catch (const std::exception& e)
    {
        Poco::Logger::get("chukan.audit")
            .error("request %s: could not audit %s: %s", ex.requestId, route.endpoint.operation,
                   std::string(e.what()));
    }
}

} // namespace chukan
