// ConsoleAuthorizationTest: every role × every console endpoint, allowed or 403 as
// docs/console-api.md says, each call audited.
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

namespace
{

/// docs/console-api.md, "Endpoints": method, path, permission, audit operation ("" = not audited).
struct DocumentedEndpoint
{
    const char* method;
    const char* path;
    const char* permission; ///< "" for login
    const char* audited;
};

const DocumentedEndpoint kEndpoints[] = {
    {"POST", "/console/api/login", "", "login"},
    {"POST", "/console/api/logout", "session", "logout"},
    {"GET", "/console/api/session", "session", ""},
    {"POST", "/console/api/password", "session", "password.change"},
    {"GET", "/console/api/holds", "hold.list", "hold.list"},
    {"GET", "/console/api/holds/reasons", "hold.list", ""},
    {"GET", "/console/api/holds/{holdId}", "hold.view", "hold.view"},
    {"POST", "/console/api/holds/{holdId}/decision", "hold.decide", "hold.decide"},
    {"GET", "/console/api/records", "record.search", "record.search"},
    {"GET", "/console/api/records.csv", "record.export", "record.export"},
    {"GET", "/console/api/disclosure", "record.disclosure", "record.disclosure"},
    {"GET", "/console/api/audit", "audit.read", "audit.read"},
    {"GET", "/console/api/audit/verify", "audit.read", "audit.verify"},
    {"GET", "/console/api/staff", "staff.admin", "staff.list"},
    {"POST", "/console/api/staff", "staff.admin", "staff.add"},
    {"POST", "/console/api/staff/{loginId}/disable", "staff.admin", "staff.disable"},
    {"POST", "/console/api/staff/{loginId}/enable", "staff.admin", "staff.enable"},
    {"POST", "/console/api/staff/{loginId}/reset", "staff.admin", "staff.reset"},
    {"POST", "/console/api/staff/{loginId}/role", "staff.admin", "staff.role"},
    {"GET", "/console/api/jobs", "system.view", "system.jobs"},
    {"GET", "/console/api/stats", "system.view", "system.stats"},
};

/// docs/console-api.md, "Roles and permissions": which roles hold each permission.
const std::map<std::string, std::set<std::string>> kMatrix = {
    {"session", {"operator", "reviewer", "auditor", "administrator"}},
    {"hold.list", {"operator", "reviewer"}},
    {"hold.view", {"reviewer"}},
    {"hold.decide", {"reviewer"}},
    {"record.search", {"operator", "reviewer", "auditor"}},
    {"record.export", {"operator", "auditor"}},
    {"record.disclosure", {"operator", "auditor"}},
    {"audit.read", {"auditor"}},
    {"staff.admin", {"administrator"}},
    {"system.view", {"auditor", "administrator"}},
};

const char* kRoles[] = {"operator", "reviewer", "auditor", "administrator"};

std::string replace(std::string s, const std::string& from, const std::string& to)
{
    std::size_t at = s.find(from);
    if (at != std::string::npos)
        s.replace(at, from.size(), to);
    return s;
}

} // namespace

class ConsoleAuthorizationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleAuthorizationTest);
    CPPUNIT_TEST(testRouteTableIsTheDocumentedOne);
    CPPUNIT_TEST(testEveryRoleOnEveryEndpoint);
    CPPUNIT_TEST(testPasswordChangeRequiredBlocksAllButSessionEndpoints);
    CPPUNIT_TEST(testUnknownPathAndWrongMethod);
    CPPUNIT_TEST(testNoSessionNoAccess);
    CPPUNIT_TEST(testSecurityHeadersOnEveryReply);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _c.reset(new ConsoleFixture); }
    void tearDown() override { _c.reset(); }

    void testRouteTableIsTheDocumentedOne()
    {
        std::vector<ConsoleRoutes::Endpoint> routes = _c->routes->endpoints();
        CPPUNIT_ASSERT_EQUAL(sizeof(kEndpoints) / sizeof(kEndpoints[0]), routes.size());
        for (std::size_t i = 0; i < routes.size(); ++i)
        {
            const DocumentedEndpoint& d = kEndpoints[i];
            const ConsoleRoutes::Endpoint& r = routes[i];
            std::string where = std::string(d.method) + " " + d.path;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(d.method), r.method);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(d.path), r.pattern);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                where, std::string(d.permission),
                std::string(r.permission ? RolePermissions::permissionName(*r.permission) : ""));
            // login audits itself (StaffService::login); the others through the route table
            if (std::string(d.path) != "/console/api/login")
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(d.audited).size() > 0, r.audited);
                if (r.audited)
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string(d.audited), r.operation);
            }
        }
    }

    void testEveryRoleOnEveryEndpoint()
    {
        _c->addStaff(ConsoleFixture::CHIBA, "target.user", "operator");
        int n = 0;
        for (const char* role : kRoles)
            for (const DocumentedEndpoint& d : kEndpoints)
            {
                if (std::string(d.permission).empty())
                    continue; // login: no session yet (ConsoleSessionTest)
                std::string who = std::string(role).substr(0, 3) + ".user" + std::to_string(++n);
                _c->addStaff(ConsoleFixture::CHIBA, who, role);
                ConsoleSession s = _c->login(ConsoleFixture::CHIBA, who);
                std::string path =
                    replace(replace(d.path, "{holdId}", "H-MSG-NONE"), "{loginId}", "target.user");
                Exchange ex = _c->call(s, d.method, path, bodyFor(d.path, n), queryFor(d.path));
                bool allowed = kMatrix.at(d.permission).count(role) > 0;
                std::string where = std::string(role) + " " + d.method + " " + path + " → " +
                                    std::to_string(ex.status) + " " + ex.replyBody;
                if (allowed)
                {
                    CPPUNIT_ASSERT_MESSAGE(where, ex.status != 401 && ex.status != 403);
                    CPPUNIT_ASSERT_MESSAGE(where, ex.status < 500);
                }
                else
                {
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, 403, static_cast<int>(ex.status));
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::string("FORBIDDEN"), ex.errorCode);
                }
                if (std::string(d.audited).empty())
                    continue;
                std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, d.audited, who);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t(1), a.size());
                CPPUNIT_ASSERT_MESSAGE(where + " audited as " + a[0].outcome,
                                       allowed ? a[0].outcome != "denied"
                                               : a[0].outcome == "denied");
                CPPUNIT_ASSERT_MESSAGE(where, a[0].at == _c->f->clock->nowMicros());
            }
        CPPUNIT_ASSERT(AuditStore(_c->f->store.db()).verify(ConsoleFixture::code("121002")).isOk());
    }

    void testPasswordChangeRequiredBlocksAllButSessionEndpoints()
    {
        for (const char* role : kRoles)
        {
            std::string who = std::string("otp.") + role;
            std::string otp = _c->addStaff(ConsoleFixture::CHIBA, who, role, true);
            CPPUNIT_ASSERT(!otp.empty());
            ConsoleSession s = _c->login(ConsoleFixture::CHIBA, who, otp);
            for (const DocumentedEndpoint& d : kEndpoints)
            {
                std::string p = d.permission;
                if (p.empty() || p == "session" || !kMatrix.at(p).count(role))
                    continue;
                std::string path =
                    replace(replace(d.path, "{holdId}", "H-MSG-NONE"), "{loginId}", "nobody");
                Exchange ex = _c->call(s, d.method, path, bodyFor(d.path, 0), queryFor(d.path));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " " + path,
                                             std::string("PASSWORD_CHANGE_REQUIRED"), ex.errorCode);
                CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
            }
            Exchange info = _c->call(s, "GET", "/console/api/session");
            CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(info.status));
            CPPUNIT_ASSERT(ConsoleFixture::json(info)->getValue<bool>("passwordChangeRequired"));
        }
    }

    void testUnknownPathAndWrongMethod()
    {
        _c->addStaff(ConsoleFixture::CHIBA, "op.one", "operator");
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "op.one");
        Exchange ex = _c->call(s, "GET", "/console/api/nothing");
        CPPUNIT_ASSERT_EQUAL(404, static_cast<int>(ex.status));
        ex = _c->call(s, "DELETE", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(405, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("METHOD_NOT_ALLOWED"), ex.errorCode);
        ex = _c->call(s, "GET", "/console/api/login");
        CPPUNIT_ASSERT_EQUAL(405, static_cast<int>(ex.status));
    }

    void testNoSessionNoAccess()
    {
        for (const DocumentedEndpoint& d : kEndpoints)
        {
            if (std::string(d.permission).empty())
                continue;
            std::string path = replace(replace(d.path, "{holdId}", "H-1"), "{loginId}", "x");
            Exchange ex = _c->dispatch(
                _c->request(ConsoleFixture::CHIBA, _c->chibaTerminal, d.method, path, "{}"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 401, static_cast<int>(ex.status));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("NOT_LOGGED_IN"), ex.errorCode);
        }
    }

    void testSecurityHeadersOnEveryReply()
    {
        Exchange ex = _c->dispatch(
            _c->request(ConsoleFixture::CHIBA, _c->chibaTerminal, "GET", "/console/api/holds"));
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(
            ConsoleFixture::header(ex, "Content-Security-Policy").find("default-src 'self'") !=
            std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("nosniff"),
                             ConsoleFixture::header(ex, "X-Content-Type-Options"));
        CPPUNIT_ASSERT_EQUAL(std::string("DENY"), ConsoleFixture::header(ex, "X-Frame-Options"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), ConsoleFixture::header(ex, "Cache-Control"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-referrer"),
                             ConsoleFixture::header(ex, "Referrer-Policy"));
    }

private:
    /// A valid body for each state-changing endpoint, so an allowed call gets past validation.
    static std::string bodyFor(const std::string& pattern, int n)
    {
        if (pattern == "/console/api/password")
            return "{\"currentPassword\":\"" + std::string(ConsoleFixture::PASSWORD) +
                   "\",\"newPassword\":\"Another-Pass-2027#\"}";
        if (pattern == "/console/api/holds/{holdId}/decision")
            return "{\"decision\":\"refuse\",\"reasonCode\":\"REJECTED_BY_REVIEWER\"}";
        if (pattern == "/console/api/staff")
            return "{\"loginId\":\"new.user" + std::to_string(n) +
                   "\",\"name\":\"新規 職員\",\"role\":\"operator\"}";
        if (pattern == "/console/api/staff/{loginId}/disable")
            return "{\"reason\":\"transfer\"}";
        if (pattern == "/console/api/staff/{loginId}/role")
            return "{\"role\":\"auditor\"}";
        return "";
    }

    static std::map<std::string, std::string> queryFor(const std::string& pattern)
    {
        if (pattern == "/console/api/disclosure")
            return {{"atena", "000000000000101"}};
        if (pattern == "/console/api/stats")
            return {{"from", "2026-01-01"}, {"to", "2026-01-31"}};
        if (pattern == "/console/api/jobs")
            return {{"state", "done"}};
        return {};
    }

    std::unique_ptr<ConsoleFixture> _c;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleAuthorizationTest);
