// ConsoleCsrfTest: every state-changing console call needs its session's X-CSRF-Token and a
// same-site origin; refused calls change nothing.
#include "adapters/HoldStore.h"
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <functional>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

class ConsoleCsrfTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleCsrfTest);
    CPPUNIT_TEST(testEveryPostNeedsTheToken);
    CPPUNIT_TEST(testRefusedCallsChangeNothing);
    CPPUNIT_TEST(testForeignOriginAndCrossSiteRefused);
    CPPUNIT_TEST(testConfiguredOrigins);
    CPPUNIT_TEST(testLoginFromForeignOriginRefused);
    CPPUNIT_TEST(testGetNeedsNoToken);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _c.reset(new ConsoleFixture);
        _c->addStaff(ConsoleFixture::HOFU, "admin", "administrator");
        _c->addStaff(ConsoleFixture::HOFU, "sato.hanako", "reviewer");
        _c->addStaff(ConsoleFixture::HOFU, "suzuki.ichiro", "reviewer");
    }
    void tearDown() override { _c.reset(); }

    void testEveryPostNeedsTheToken()
    {
        ConsoleSession admin = _c->login(ConsoleFixture::HOFU, "admin");
        ConsoleSession other = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        for (const ConsoleRoutes::Endpoint& e : _c->routes->endpoints())
        {
            if (e.method != "POST" || !e.permission)
                continue;
            std::string path = e.pattern;
            std::size_t open = path.find('{');
            if (open != std::string::npos)
                path.replace(open, path.find('}') - open + 1,
                             path.find("holdId") != std::string::npos ? "H-X" : "sato.hanako");
            for (const char* token : {"", "wrong", "other"})
            {
                std::map<std::string, std::string> headers;
                if (std::string(token) == "wrong")
                    headers["x-csrf-token"] = std::string(64, '0');
                else if (std::string(token) == "other")
                    headers["x-csrf-token"] = other.csrf; // another session's token
                else
                    headers["x-csrf-token"] = "";
                Exchange ex = _c->call(admin, "POST", path, "{}", {}, headers);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(path + " " + token, 403, static_cast<int>(ex.status));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("CSRF_REJECTED"), ex.errorCode);
            }
            // no header at all
            Exchange ex =
                _c->dispatch(_c->request(ConsoleFixture::HOFU, admin.fingerprint, "POST", path,
                                         "{}", {}, {{"cookie", "chukan_console=" + admin.token}}));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("CSRF_REJECTED"), ex.errorCode);
        }
        // the refusals are in the audit log as denied
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::HOFU, "staff.add", "admin");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), a.size());
        for (const AuditEntry& e : a)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("denied"), e.outcome);
            CPPUNIT_ASSERT(e.detail.find("CSRF_REJECTED") == 0);
        }
    }

    void testRefusedCallsChangeNothing()
    {
        std::string holdId = _c->heldProvision();
        ConsoleSession admin = _c->login(ConsoleFixture::HOFU, "admin");
        ConsoleSession reviewer = _c->login(ConsoleFixture::HOFU, "suzuki.ichiro");
        ConsoleSession target = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        std::map<std::string, std::string> forged{{"x-csrf-token", std::string(64, 'a')}};
        auto refused =
            [&](const ConsoleSession& s, const std::string& path, const std::string& body)
        {
            Exchange ex = _c->call(s, "POST", path, body, {}, forged);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("CSRF_REJECTED"), ex.errorCode);
        };
        refused(admin, "/console/api/staff",
                "{\"loginId\":\"intruder\",\"name\":\"x\",\"role\":\"administrator\"}");
        refused(admin, "/console/api/staff/sato.hanako/disable", "{\"reason\":\"other\"}");
        refused(admin, "/console/api/staff/sato.hanako/role", "{\"role\":\"operator\"}");
        refused(admin, "/console/api/staff/sato.hanako/reset", "");
        refused(reviewer, "/console/api/holds/" + holdId + "/decision",
                "{\"decision\":\"provide\"}");
        refused(target, "/console/api/password",
                std::string("{\"currentPassword\":\"") + ConsoleFixture::PASSWORD +
                    "\",\"newPassword\":\"Neue-Passw0rt-2026\"}");
        refused(target, "/console/api/logout", "");

        CPPUNIT_ASSERT(!_c->staff().account(ConsoleFixture::code("352063"), "intruder"));
        std::optional<StaffAccount> a =
            _c->staff().account(ConsoleFixture::code("352063"), "sato.hanako");
        CPPUNIT_ASSERT(a->enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("reviewer"), a->role);
        CPPUNIT_ASSERT(!a->mustChangePassword);
        std::optional<Hold> h =
            HoldStore(_c->f->store.db()).get(ConsoleFixture::code("352063"), holdId);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), h->state);
        CPPUNIT_ASSERT(h->firstReviewer.empty());
        // the target's session and password are as they were
        CPPUNIT_ASSERT_EQUAL(
            200, static_cast<int>(_c->call(target, "GET", "/console/api/session").status));
        _c->login(ConsoleFixture::HOFU, "sato.hanako");
    }

    void testForeignOriginAndCrossSiteRefused()
    {
        ConsoleSession admin = _c->login(ConsoleFixture::HOFU, "admin");
        const std::string body = "{\"loginId\":\"new.one\",\"name\":\"x\",\"role\":\"operator\"}";
        for (std::map<std::string, std::string> h :
             {std::map<std::string, std::string>{{"origin", "https://evil.example"}},
              std::map<std::string, std::string>{{"origin", "http://chukan.test:8443"}},
              std::map<std::string, std::string>{{"origin", "null"}},
              std::map<std::string, std::string>{{"sec-fetch-site", "cross-site"}}})
        {
            Exchange ex = _c->call(admin, "POST", "/console/api/staff", body, {}, h);
            CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
            CPPUNIT_ASSERT_EQUAL(std::string("CSRF_REJECTED"), ex.errorCode);
        }
        CPPUNIT_ASSERT(!_c->staff().account(ConsoleFixture::code("352063"), "new.one"));
        Exchange ok =
            _c->call(admin, "POST", "/console/api/staff", body, {},
                     {{"origin", "https://chukan.test:8443"}, {"sec-fetch-site", "same-origin"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.replyBody, 201, static_cast<int>(ok.status));
    }

    void testConfiguredOrigins()
    {
        _c->f->services->settings.console.origins = {"https://console.example.lg.jp"};
        ConsoleSession admin = _c->login(ConsoleFixture::HOFU, "admin");
        Exchange ex = _c->call(admin, "POST", "/console/api/logout", "", {},
                               {{"origin", "https://chukan.test:8443"}});
        CPPUNIT_ASSERT_EQUAL(std::string("CSRF_REJECTED"), ex.errorCode);
        ex = _c->call(admin, "POST", "/console/api/logout", "", {},
                      {{"origin", "https://console.example.lg.jp"}});
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
    }

    void testLoginFromForeignOriginRefused()
    {
        Exchange ex = _c->dispatch(
            _c->request(ConsoleFixture::HOFU, _c->hofuTerminal, "POST", "/console/api/login",
                        std::string("{\"loginId\":\"admin\",\"password\":\"") +
                            ConsoleFixture::PASSWORD + "\"}",
                        {}, {{"origin", "https://evil.example"}}));
        CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("CSRF_REJECTED"), ex.errorCode);
        CPPUNIT_ASSERT(ConsoleFixture::header(ex, "Set-Cookie").empty());
        CPPUNIT_ASSERT(!_c->staff().account(ConsoleFixture::code("352063"), "admin")->lastLoginAt);
    }

    void testGetNeedsNoToken()
    {
        ConsoleSession s = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        Exchange ex = _c->dispatch(_c->request(
            ConsoleFixture::HOFU, s.fingerprint, "GET", "/console/api/holds", "", {},
            {{"cookie", "chukan_console=" + s.token}, {"origin", "https://evil.example"}}));
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
    }

private:
    std::unique_ptr<ConsoleFixture> _c;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleCsrfTest);
