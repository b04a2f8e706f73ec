// ConsoleSessionTest: the session cookie — flags, random tokens stored hashed, idle and absolute
// time-outs on a ManualClock, logout, terminal binding.
#include "adapters/SessionToken.h"
#include "adapters/StaffSessionStore.h"
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

class ConsoleSessionTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleSessionTest);
    CPPUNIT_TEST(testLoginSetsStrictCookieAndStoresOnlyTheHash);
    CPPUNIT_TEST(testEveryLoginGetsFreshRandomTokens);
    CPPUNIT_TEST(testLoginWithAnOldCookieEndsTheOldSession);
    CPPUNIT_TEST(testIdleTimeout);
    CPPUNIT_TEST(testActivityKeepsTheSessionUntilTheAbsoluteLifetime);
    CPPUNIT_TEST(testLogoutEndsTheSession);
    CPPUNIT_TEST(testSessionBoundToItsTerminal);
    CPPUNIT_TEST(testUnknownAndMalformedCookies);
    CPPUNIT_TEST(testSweepEndsIdleSessions);
    CPPUNIT_TEST(testTerminalMustBeRegisteredForTheConsole);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _c.reset(new ConsoleFixture);
        _c->addStaff(ConsoleFixture::CHIBA, "sato.hanako", "reviewer");
    }
    void tearDown() override { _c.reset(); }

    void testLoginSetsStrictCookieAndStoresOnlyTheHash()
    {
        Exchange ex =
            _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD);
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        std::string cookie = ConsoleFixture::header(ex, "Set-Cookie");
        CPPUNIT_ASSERT_EQUAL(std::string("chukan_console="), cookie.substr(0, 15));
        std::string token = cookie.substr(15, cookie.find(';') - 15);
        CPPUNIT_ASSERT(SessionToken::isWellFormed(token)); // 64 hex = 256 bits
        for (const char* flag : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/console"})
            CPPUNIT_ASSERT_MESSAGE(cookie, cookie.find(flag) != std::string::npos);
        CPPUNIT_ASSERT(cookie.find("Max-Age") == std::string::npos); // a browser-session cookie
        CPPUNIT_ASSERT(cookie.find("Expires") == std::string::npos);
        Poco::JSON::Object::Ptr o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("121002"), o->getValue<std::string>("tenant"));
        CPPUNIT_ASSERT_EQUAL(std::string("reviewer"),
                             o->getObject("staff")->getValue<std::string>("role"));
        CPPUNIT_ASSERT(!o->getValue<bool>("passwordChangeRequired"));
        CPPUNIT_ASSERT_EQUAL(900, o->getValue<int>("idleTimeoutSeconds"));
        std::string csrf = o->getValue<std::string>("csrfToken");
        CPPUNIT_ASSERT(SessionToken::isWellFormed(csrf));
        CPPUNIT_ASSERT(csrf != token);
        // The store keeps the SHA-256 of the token, never the token.
        StaffSessionStore sessions(_c->f->store.db());
        CPPUNIT_ASSERT(!sessions.get(ConsoleFixture::code("121002"), token).has_value());
        std::optional<StaffSession> s =
            sessions.get(ConsoleFixture::code("121002"), SessionToken::hash(token));
        CPPUNIT_ASSERT(s.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("sato.hanako"), s->loginId);
        CPPUNIT_ASSERT_EQUAL(_c->chibaTerminal, s->terminalFingerprint);
        // login audited, without the password or the token
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "login", "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), a[0].outcome);
        CPPUNIT_ASSERT(a[0].detail.find(ConsoleFixture::PASSWORD) == std::string::npos);
        CPPUNIT_ASSERT(a[0].detail.find(token) == std::string::npos);
    }

    void testEveryLoginGetsFreshRandomTokens()
    {
        std::set<std::string> seen;
        for (int i = 0; i < 8; ++i)
        {
            ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
            CPPUNIT_ASSERT(seen.insert(s.token).second);
            CPPUNIT_ASSERT(seen.insert(s.csrf).second);
        }
        // 256-bit tokens: every hex digit shows up across 16 of them
        std::set<char> digits;
        for (const std::string& t : seen)
            digits.insert(t.begin(), t.end());
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), digits.size());
    }

    void testLoginWithAnOldCookieEndsTheOldSession()
    {
        ConsoleSession first = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        Exchange again = _c->dispatch(
            _c->request(ConsoleFixture::CHIBA, _c->chibaTerminal, "POST", "/console/api/login",
                        std::string("{\"loginId\":\"sato.hanako\",\"password\":\"") +
                            ConsoleFixture::PASSWORD + "\"}",
                        {}, {{"cookie", "chukan_console=" + first.token}}));
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(again.status));
        std::string cookie = ConsoleFixture::header(again, "Set-Cookie");
        CPPUNIT_ASSERT(cookie.find(first.token) == std::string::npos); // rotated
        Exchange old = _c->call(first, "GET", "/console/api/session");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(old.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), old.errorCode);
    }

    void testIdleTimeout()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        _c->f->clock->advanceSeconds(15 * 60); // exactly the limit: still valid
        CPPUNIT_ASSERT_EQUAL(200,
                             static_cast<int>(_c->call(s, "GET", "/console/api/holds").status));
        _c->f->clock->advanceSeconds(15 * 60 + 1);
        Exchange ex = _c->call(s, "GET", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_TIMEOUT"), ex.errorCode);
        CPPUNIT_ASSERT(ConsoleFixture::header(ex, "Set-Cookie").find("Max-Age=0") !=
                       std::string::npos);
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "session.timeout");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sato.hanako"), a[0].staffId);
        CPPUNIT_ASSERT_EQUAL(std::string("idle"), a[0].detail);
        // ended for good: coming back is not a time-out again but an ended session
        ex = _c->call(s, "GET", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), ex.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             _c->audits(ConsoleFixture::CHIBA, "session.timeout").size());
    }

    void testActivityKeepsTheSessionUntilTheAbsoluteLifetime()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        for (int minutes = 10; minutes <= 480; minutes += 10)
        {
            _c->f->clock->advanceSeconds(10 * 60);
            Exchange ex = _c->call(s, "GET", "/console/api/session");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(minutes), 200, static_cast<int>(ex.status));
        }
        _c->f->clock->advanceSeconds(1);
        Exchange ex = _c->call(s, "GET", "/console/api/session");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_TIMEOUT"), ex.errorCode);
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "session.timeout");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("absolute"), a[0].detail);
    }

    void testLogoutEndsTheSession()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        Exchange ex = _c->call(s, "POST", "/console/api/logout");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(ConsoleFixture::json(ex)->getValue<bool>("loggedOut"));
        std::string cookie = ConsoleFixture::header(ex, "Set-Cookie");
        CPPUNIT_ASSERT(cookie.find("chukan_console=;") == 0);
        CPPUNIT_ASSERT(cookie.find("Max-Age=0") != std::string::npos);
        ex = _c->call(s, "GET", "/console/api/session");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), ex.errorCode);
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "logout", "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), a[0].outcome);
    }

    void testSessionBoundToItsTerminal()
    {
        std::string other = _c->f->addSystem(ConsoleFixture::CHIBA, "terminal-2", {"console"});
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        ConsoleSession stolen = s;
        stolen.fingerprint = other;
        Exchange ex = _c->call(stolen, "GET", "/console/api/session");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), ex.errorCode);
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "session.rejected");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        // the owner at their own terminal carries on
        CPPUNIT_ASSERT_EQUAL(200,
                             static_cast<int>(_c->call(s, "GET", "/console/api/session").status));
    }

    void testUnknownAndMalformedCookies()
    {
        ConsoleSession fake;
        fake.tenant = ConsoleFixture::CHIBA;
        fake.fingerprint = _c->chibaTerminal;
        for (std::string token :
             {SessionToken::generate(), std::string("not-a-token"), std::string(64, 'Z')})
        {
            fake.token = token;
            Exchange ex = _c->call(fake, "GET", "/console/api/session");
            CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
            CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), ex.errorCode);
        }
    }

    void testSweepEndsIdleSessions()
    {
        ConsoleSession s = _c->login(ConsoleFixture::CHIBA, "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(0, _c->staff().sweep(ConsoleFixture::code("121002")));
        _c->f->clock->advanceSeconds(16 * 60);
        CPPUNIT_ASSERT_EQUAL(1, _c->staff().sweep(ConsoleFixture::code("121002")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             _c->audits(ConsoleFixture::CHIBA, "session.timeout").size());
        Exchange ex = _c->call(s, "GET", "/console/api/session");
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), ex.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             _c->audits(ConsoleFixture::CHIBA, "session.timeout").size());
    }

    void testTerminalMustBeRegisteredForTheConsole()
    {
        std::string business = _c->f->addSystem(ConsoleFixture::CHIBA, "juki", {"inquiry"});
        std::string disabled =
            _c->f->addSystem(ConsoleFixture::CHIBA, "terminal-3", {"console"}, {}, false);
        for (const std::string& fp : {business, disabled, std::string(64, 'f')})
        {
            Exchange ex =
                _c->loginReply(ConsoleFixture::CHIBA, "sato.hanako", ConsoleFixture::PASSWORD, fp);
            CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
            CPPUNIT_ASSERT_EQUAL(std::string("TERMINAL_NOT_ALLOWED"), ex.errorCode);
            CPPUNIT_ASSERT(ConsoleFixture::header(ex, "Set-Cookie").empty());
            ex = _c->dispatch(_c->request(ConsoleFixture::CHIBA, fp, "GET", "/console/"));
            CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status)); // static files too
        }
        // O= of a tenant not hosted here
        Exchange ex =
            _c->dispatch(_c->request("131016", _c->chibaTerminal, "GET", "/console/api/session"));
        CPPUNIT_ASSERT_EQUAL(std::string("TERMINAL_NOT_ALLOWED"), ex.errorCode);
        CPPUNIT_ASSERT(_c->audits(ConsoleFixture::CHIBA, "login").empty());
    }

private:
    std::unique_ptr<ConsoleFixture> _c;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleSessionTest);
