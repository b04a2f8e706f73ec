// ConsoleTenantTest: staff of 千葉市 (121002) addressing 防府市 (352063) holds, records, staff and
// sessions by id get 404/401 and learn nothing.
#include "adapters/HoldStore.h"
#include "adapters/RecordStore.h"
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

class ConsoleTenantTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleTenantTest);
    CPPUNIT_TEST(testHoldOfAnotherInstitution);
    CPPUNIT_TEST(testRecordsOfAnotherInstitution);
    CPPUNIT_TEST(testStaffOfAnotherInstitution);
    CPPUNIT_TEST(testAuditOfAnotherInstitution);
    CPPUNIT_TEST(testSessionAndLoginOfAnotherInstitution);
    CPPUNIT_TEST(testTenantNeverFromUrlOrBody);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _c.reset(new ConsoleFixture);
        for (const char* t : {ConsoleFixture::CHIBA, ConsoleFixture::HOFU})
        {
            std::string p = t == std::string(ConsoleFixture::CHIBA) ? "c." : "h.";
            _c->addStaff(t, p + "operator", "operator");
            _c->addStaff(t, p + "reviewer", "reviewer");
            _c->addStaff(t, p + "auditor", "auditor");
            _c->addStaff(t, p + "admin", "administrator");
        }
        _hold = _c->heldProvision(); // at 防府市
    }
    void tearDown() override { _c.reset(); }

    void testHoldOfAnotherInstitution()
    {
        ConsoleSession spy = _c->login(ConsoleFixture::CHIBA, "c.reviewer");
        Exchange ex = _c->call(spy, "GET", "/console/api/holds/" + _hold);
        CPPUNIT_ASSERT_EQUAL(404, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(ex.replyBody.find("接種記録") == std::string::npos);
        CPPUNIT_ASSERT(ex.replyBody.find("000000000000777") == std::string::npos);
        ex = _c->call(spy, "POST", "/console/api/holds/" + _hold + "/decision",
                      "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL(404, static_cast<int>(ex.status));
        ex = _c->call(spy, "POST", "/console/api/holds/" + _hold + "/decision",
                      "{\"decision\":\"refuse\",\"reasonCode\":\"REJECTED_BY_REVIEWER\"}");
        CPPUNIT_ASSERT_EQUAL(404, static_cast<int>(ex.status));
        ex = _c->call(spy, "GET", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), ConsoleFixture::json(ex)->getArray("holds")->size());
        std::optional<Hold> h =
            HoldStore(_c->f->store.db()).get(ConsoleFixture::code("352063"), _hold);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), h->state);
        CPPUNIT_ASSERT(h->firstReviewer.empty());
        // the owner sees it
        ConsoleSession owner = _c->login(ConsoleFixture::HOFU, "h.reviewer");
        CPPUNIT_ASSERT_EQUAL(
            200, static_cast<int>(_c->call(owner, "GET", "/console/api/holds/" + _hold).status));
        // the attempts are in 千葉市's audit log, not 防府市's
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "hold.decide", "c.reviewer");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("not_found"), a[0].outcome);
        CPPUNIT_ASSERT(_c->audits(ConsoleFixture::HOFU, "hold.decide").empty());
    }

    void testRecordsOfAnotherInstitution()
    {
        // 防府市 has records of resident 777 (the held provision)
        RecordFilter all;
        CPPUNIT_ASSERT(RecordStore(_c->f->store.db()).count(ConsoleFixture::code("352063"), all) >
                       0);
        ConsoleSession spy = _c->login(ConsoleFixture::CHIBA, "c.operator");
        Exchange ex =
            _c->call(spy, "GET", "/console/api/records", "", {{"atena", "000000000000777"}});
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(0, ConsoleFixture::json(ex)->getValue<int>("total"));
        ex = _c->call(spy, "GET", "/console/api/records");
        CPPUNIT_ASSERT_EQUAL(0, ConsoleFixture::json(ex)->getValue<int>("total"));
        ex = _c->call(spy, "GET", "/console/api/records.csv", "",
                      {{"institution", ConsoleFixture::HOFU_INST}});
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(ex.replyBody.find("000000000000777") == std::string::npos);
        ex = _c->call(spy, "GET", "/console/api/disclosure", "", {{"atena", "000000000000777"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), ConsoleFixture::json(ex)->getArray("records")->size());
        CPPUNIT_ASSERT_EQUAL(0, ConsoleFixture::json(ex)->getValue<int>("withheld"));
        ConsoleSession owner = _c->login(ConsoleFixture::HOFU, "h.operator");
        ex = _c->call(owner, "GET", "/console/api/records", "", {{"atena", "000000000000777"}});
        CPPUNIT_ASSERT(ConsoleFixture::json(ex)->getValue<int>("total") > 0);
    }

    void testStaffOfAnotherInstitution()
    {
        ConsoleSession spy = _c->login(ConsoleFixture::CHIBA, "c.admin");
        for (const char* verb : {"disable", "enable", "reset", "role"})
        {
            std::string body = std::string(verb) == "role" ? "{\"role\":\"administrator\"}" : "{}";
            Exchange ex =
                _c->call(spy, "POST", std::string("/console/api/staff/h.reviewer/") + verb, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(verb, 404, static_cast<int>(ex.status));
            CPPUNIT_ASSERT(ex.replyBody.find("oneTimePassword") == std::string::npos);
        }
        std::optional<StaffAccount> a =
            _c->staff().account(ConsoleFixture::code("352063"), "h.reviewer");
        CPPUNIT_ASSERT(a->enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("reviewer"), a->role);
        CPPUNIT_ASSERT(!a->mustChangePassword);
        Exchange list = _c->call(spy, "GET", "/console/api/staff");
        CPPUNIT_ASSERT(list.replyBody.find("h.reviewer") == std::string::npos);
        CPPUNIT_ASSERT(list.replyBody.find("c.reviewer") != std::string::npos);
        // the same login id in both institutions is two accounts
        _c->addStaff(ConsoleFixture::HOFU, "c.reviewer", "auditor");
        CPPUNIT_ASSERT_EQUAL(
            std::string("reviewer"),
            _c->staff().account(ConsoleFixture::code("121002"), "c.reviewer")->role);
    }

    void testAuditOfAnotherInstitution()
    {
        _c->login(ConsoleFixture::HOFU, "h.admin");
        ConsoleSession spy = _c->login(ConsoleFixture::CHIBA, "c.auditor");
        Exchange ex = _c->call(spy, "GET", "/console/api/audit", "", {{"staff", "h.admin"}});
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), ConsoleFixture::json(ex)->getArray("entries")->size());
        ex = _c->call(spy, "GET", "/console/api/audit", "", {{"pageSize", "200"}});
        Poco::JSON::Array::Ptr entries = ConsoleFixture::json(ex)->getArray("entries");
        CPPUNIT_ASSERT(entries->size() >= 2); // 千葉市's own: the login and the first search
        for (std::size_t i = 0; i < entries->size(); ++i)
        {
            std::string staff =
                entries->getObject(static_cast<unsigned>(i))->getValue<std::string>("staff");
            CPPUNIT_ASSERT_MESSAGE(staff, staff.compare(0, 2, "c.") == 0);
        }
    }

    void testSessionAndLoginOfAnotherInstitution()
    {
        // a 千葉市 terminal cannot log in 防府市 staff
        Exchange ex = _c->loginReply(ConsoleFixture::CHIBA, "h.reviewer", ConsoleFixture::PASSWORD);
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        // a 防府市 session cookie presented at a 千葉市 terminal
        ConsoleSession hofu = _c->login(ConsoleFixture::HOFU, "h.reviewer");
        ConsoleSession moved = hofu;
        moved.tenant = ConsoleFixture::CHIBA;
        moved.fingerprint = _c->chibaTerminal;
        ex = _c->call(moved, "GET", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(401, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SESSION_INVALID"), ex.errorCode);
        // a 防府市 terminal certificate claiming O=121002
        ConsoleSession forged = hofu;
        forged.tenant = ConsoleFixture::CHIBA;
        ex = _c->call(forged, "GET", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("TERMINAL_NOT_ALLOWED"), ex.errorCode);
    }

    void testTenantNeverFromUrlOrBody()
    {
        ConsoleSession spy = _c->login(ConsoleFixture::CHIBA, "c.reviewer");
        Exchange ex = _c->call(spy, "GET", "/console/api/holds", "", {{"tenant", "352063"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), ConsoleFixture::json(ex)->getArray("holds")->size());
        ex = _c->call(spy, "POST", "/console/api/holds/" + _hold + "/decision",
                      "{\"decision\":\"provide\",\"tenant\":\"352063\"}");
        CPPUNIT_ASSERT_EQUAL(404, static_cast<int>(ex.status));
        ex = _c->call(spy, "GET", "/console/api/session");
        CPPUNIT_ASSERT_EQUAL(std::string("121002"),
                             ConsoleFixture::json(ex)->getValue<std::string>("tenant"));
    }

private:
    std::unique_ptr<ConsoleFixture> _c;
    std::string _hold;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleTenantTest);
