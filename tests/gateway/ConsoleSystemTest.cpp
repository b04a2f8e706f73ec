// ConsoleSystemTest: システム管理 — /console/api/jobs and /console/api/stats show the session's
// tenant's own batch jobs and counts, never another institution's, and are audited.
#include "adapters/JobStore.h"
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

class ConsoleSystemTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleSystemTest);
    CPPUNIT_TEST(testJobsAreTheTenantsOwn);
    CPPUNIT_TEST(testStatsAreTheTenantsOwn);
    CPPUNIT_TEST(testBadQueryRefusedAndAudited);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _c.reset(new ConsoleFixture);
        _c->addStaff(ConsoleFixture::CHIBA, "c.auditor", "auditor");
        _c->addStaff(ConsoleFixture::HOFU, "h.admin", "administrator");
        _c->heldProvision(); // at 防府市: a held provision record and a hold
        JobStore jobs(_c->f->store.db());
        Poco::Int64 now = _c->f->clock->nowMicros();
        CPPUNIT_ASSERT(jobs.create(ConsoleFixture::code(ConsoleFixture::HOFU), "JOB-HOFU-1",
                                   "bulk-inquiry", 7, now));
        CPPUNIT_ASSERT(jobs.create(ConsoleFixture::code(ConsoleFixture::CHIBA), "JOB-CHIBA-1",
                                   "retention", 1, now));
    }
    void tearDown() override { _c.reset(); }

    void testJobsAreTheTenantsOwn()
    {
        ConsoleSession chiba = _c->login(ConsoleFixture::CHIBA, "c.auditor");
        Exchange ex = _c->call(chiba, "GET", "/console/api/jobs");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 200, static_cast<int>(ex.status));
        Poco::JSON::Object::Ptr o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT_EQUAL(std::string(ConsoleFixture::CHIBA),
                             o->getValue<std::string>("tenant"));
        Poco::JSON::Array::Ptr list = o->getArray("jobs");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), list->size());
        CPPUNIT_ASSERT_EQUAL(std::string("JOB-CHIBA-1"),
                             list->getObject(0)->getValue<std::string>("job"));
        CPPUNIT_ASSERT(ex.replyBody.find("JOB-HOFU-1") == std::string::npos);
        // a kind filter that only 防府市's job has: nothing
        ex = _c->call(chiba, "GET", "/console/api/jobs", "", {{"kind", "bulk-inquiry"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), ConsoleFixture::json(ex)->getArray("jobs")->size());

        ConsoleSession hofu = _c->login(ConsoleFixture::HOFU, "h.admin");
        ex = _c->call(hofu, "GET", "/console/api/jobs", "", {{"state", "queued"}});
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        list = ConsoleFixture::json(ex)->getArray("jobs");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), list->size());
        CPPUNIT_ASSERT_EQUAL(std::string("JOB-HOFU-1"),
                             list->getObject(0)->getValue<std::string>("job"));
        CPPUNIT_ASSERT_EQUAL(7, list->getObject(0)->getValue<int>("total"));
        CPPUNIT_ASSERT(ex.replyBody.find("JOB-CHIBA-1") == std::string::npos);
    }

    void testStatsAreTheTenantsOwn()
    {
        ConsoleSession hofu = _c->login(ConsoleFixture::HOFU, "h.admin");
        Exchange ex = _c->call(hofu, "GET", "/console/api/stats");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 200, static_cast<int>(ex.status));
        Poco::JSON::Object::Ptr o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT_EQUAL(std::string(ConsoleFixture::HOFU), o->getValue<std::string>("tenant"));
        CPPUNIT_ASSERT(o->getArray("records")->size() > 0);
        CPPUNIT_ASSERT(o->getObject("totals")->getValue<int>("provisions") > 0);
        CPPUNIT_ASSERT_EQUAL(1, o->getObject("totals")->getValue<int>("holds"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(ConsoleFixture::CHIBA_INST),
            o->getArray("records")->getObject(0)->getValue<std::string>("counterpartCode"));
        CPPUNIT_ASSERT(ex.replyBody.find("000000000000777") == std::string::npos);

        ConsoleSession chiba = _c->login(ConsoleFixture::CHIBA, "c.auditor");
        ex = _c->call(chiba, "GET", "/console/api/stats");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT_EQUAL(std::string(ConsoleFixture::CHIBA),
                             o->getValue<std::string>("tenant"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), o->getArray("records")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), o->getArray("holds")->size());
        CPPUNIT_ASSERT_EQUAL(0, o->getObject("totals")->getValue<int>("provisions"));

        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::HOFU, "system.stats", "h.admin");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), a[0].outcome);
    }

    void testBadQueryRefusedAndAudited()
    {
        ConsoleSession chiba = _c->login(ConsoleFixture::CHIBA, "c.auditor");
        Exchange ex = _c->call(chiba, "GET", "/console/api/stats", "",
                               {{"from", "2026-02-01"}, {"to", "2026-01-01"}});
        CPPUNIT_ASSERT_EQUAL(400, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), ex.errorCode);
        ex = _c->call(chiba, "GET", "/console/api/jobs", "", {{"state", "sleeping"}});
        CPPUNIT_ASSERT_EQUAL(400, static_cast<int>(ex.status));
        CPPUNIT_ASSERT(ex.replyBody.find("state") != std::string::npos);
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::CHIBA, "system.jobs", "c.auditor");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("invalid"), a[0].outcome);
    }

private:
    std::unique_ptr<ConsoleFixture> _c;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleSystemTest);
