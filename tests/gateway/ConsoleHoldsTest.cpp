// ConsoleHoldsTest: the 保留 queue through the console — content for reviewers only, four eyes,
// refusals with reviewer codes, decisions out through ProvisionService and audited.
#include "adapters/HoldStore.h"
#include "adapters/OutboxStore.h"
#include "adapters/RecordStore.h"
#include "tests/gateway/ConsoleFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using test::ConsoleFixture;
using test::ConsoleSession;

class ConsoleHoldsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleHoldsTest);
    CPPUNIT_TEST(testQueueWithoutContent);
    CPPUNIT_TEST(testDetailShowsWhatWouldBeProvided);
    CPPUNIT_TEST(testFourEyesTwoDifferentReviewers);
    CPPUNIT_TEST(testOneReviewerWhenFourEyesIsOff);
    CPPUNIT_TEST(testRefusalNeedsAReviewerCode);
    CPPUNIT_TEST(testDecidedHoldIsAConflict);
    CPPUNIT_TEST(testPastTheDeadline);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _c.reset(new ConsoleFixture);
        _c->addStaff(ConsoleFixture::HOFU, "sato.hanako", "reviewer");
        _c->addStaff(ConsoleFixture::HOFU, "suzuki.ichiro", "reviewer");
        _c->addStaff(ConsoleFixture::HOFU, "yamada.taro", "operator");
        _hold = _c->heldProvision("MSG-00000010");
    }
    void tearDown() override { _c.reset(); }

    void testQueueWithoutContent()
    {
        ConsoleSession op = _c->login(ConsoleFixture::HOFU, "yamada.taro");
        Exchange ex = _c->call(op, "GET", "/console/api/holds");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        Poco::JSON::Object::Ptr o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT(o->getValue<bool>("fourEyes"));
        Poco::JSON::Array::Ptr holds = o->getArray("holds");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), holds->size());
        Poco::JSON::Object::Ptr h = holds->getObject(0);
        CPPUNIT_ASSERT_EQUAL(_hold, h->getValue<std::string>("holdId"));
        CPPUNIT_ASSERT_EQUAL(std::string(ConsoleFixture::CHIBA_INST),
                             h->getValue<std::string>("requesterCode"));
        CPPUNIT_ASSERT_EQUAL(std::string("千葉市"), h->getValue<std::string>("requesterName"));
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000002"), h->getValue<std::string>("itemCode"));
        CPPUNIT_ASSERT(!h->getValue<bool>("awaitingSecondReviewer"));
        CPPUNIT_ASSERT(ex.replyBody.find("接種記録") ==
                       std::string::npos); // no content in the queue
        // the operator may not see the content
        CPPUNIT_ASSERT_EQUAL(std::string("FORBIDDEN"),
                             _c->call(op, "GET", "/console/api/holds/" + _hold).errorCode);
        Exchange reasons = _c->call(op, "GET", "/console/api/holds/reasons");
        CPPUNIT_ASSERT(reasons.replyBody.find("REJECTED_BY_REVIEWER") != std::string::npos);
        CPPUNIT_ASSERT(reasons.replyBody.find("DV") == std::string::npos);
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::HOFU, "hold.list", "yamada.taro");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1 pending"), a[0].detail);
    }

    void testDetailShowsWhatWouldBeProvided()
    {
        ConsoleSession r = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        Exchange ex = _c->call(r, "GET", "/console/api/holds/" + _hold);
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        Poco::JSON::Object::Ptr o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), o->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("MSG-00000010"), o->getValue<std::string>("messageId"));
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000777"), o->getValue<std::string>("atenaNo"));
        Poco::JSON::Array::Ptr items = o->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), items->size());
        CPPUNIT_ASSERT_EQUAL(std::string("<接種記録><回数>2</回数></接種記録>"),
                             items->getObject(0)->getValue<std::string>("data"));
        CPPUNIT_ASSERT(ex.replyBody.find("FUGO-") == std::string::npos); // 符号 never shown
        std::vector<AuditEntry> a = _c->audits(ConsoleFixture::HOFU, "hold.view", "sato.hanako");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(_hold, a[0].target);
        CPPUNIT_ASSERT(a[0].detail.find("接種記録") ==
                       std::string::npos); // no content in the audit log
        CPPUNIT_ASSERT_EQUAL(
            404, static_cast<int>(_c->call(r, "GET", "/console/api/holds/H-MSG-NONE").status));
    }

    void testFourEyesTwoDifferentReviewers()
    {
        ConsoleSession a = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        ConsoleSession b = _c->login(ConsoleFixture::HOFU, "suzuki.ichiro");
        Exchange ex = decide(a, "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        Poco::JSON::Object::Ptr o = ConsoleFixture::json(ex);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), o->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("sato.hanako"), o->getValue<std::string>("firstReviewer"));
        CPPUNIT_ASSERT(o->getValue<bool>("awaitingSecondReviewer"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), outboxPending()); // nothing left yet
        // the same reviewer again
        ex = decide(a, "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL(403, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("SAME_REVIEWER"), ex.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), hold()->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), outboxPending());
        // the list shows who gave the first approval
        Exchange list = _c->call(b, "GET", "/console/api/holds");
        Poco::JSON::Object::Ptr h = ConsoleFixture::json(list)->getArray("holds")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("sato.hanako"), h->getValue<std::string>("firstReviewer"));
        CPPUNIT_ASSERT(h->getValue<bool>("awaitingSecondReviewer"));
        // a second, different reviewer releases it through the provision path
        ex = decide(b, "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ex.replyBody, 200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("approved"),
                             ConsoleFixture::json(ex)->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("suzuki.ichiro"), hold()->decidedBy);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), outboxPending());
        std::optional<OutboxMessage> out =
            OutboxStore(_c->f->store.db()).get(hofu(), "R-MSG-00000010");
        CPPUNIT_ASSERT(out.has_value());
        CPPUNIT_ASSERT(out->body.find("回数") == std::string::npos); // sealed to the requester
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("provided"));
        CPPUNIT_ASSERT(RecordStore(_c->f->store.db()).verify(hofu()).isOk());
        // audited: first approval, refused repeat, release
        std::vector<AuditEntry> audit = _c->audits(ConsoleFixture::HOFU, "hold.decide");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), audit.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sato.hanako"), audit[0].staffId);
        CPPUNIT_ASSERT_EQUAL(std::string("provide (first approval)"), audit[0].detail);
        CPPUNIT_ASSERT_EQUAL(std::string("denied"), audit[1].outcome);
        CPPUNIT_ASSERT_EQUAL(std::string("suzuki.ichiro"), audit[2].staffId);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), audit[2].outcome);
        CPPUNIT_ASSERT_EQUAL(_hold, audit[2].target);
        CPPUNIT_ASSERT(AuditStore(_c->f->store.db()).verify(hofu()).isOk());
    }

    void testOneReviewerWhenFourEyesIsOff()
    {
        _c->f->services->settings.holdFourEyes = false;
        ConsoleSession a = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        Exchange ex = decide(a, "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("approved"),
                             ConsoleFixture::json(ex)->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), outboxPending());
        CPPUNIT_ASSERT(!ConsoleFixture::json(_c->call(a, "GET", "/console/api/holds"))
                            ->getValue<bool>("fourEyes"));
    }

    void testRefusalNeedsAReviewerCode()
    {
        ConsoleSession a = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        for (const char* body :
             {"{\"decision\":\"refuse\"}",
              "{\"decision\":\"refuse\",\"reasonCode\":\"DV_SUPPORT\"}", "{\"decision\":\"maybe\"}",
              "{\"decision\":\"provide\",\"reasonCode\":\"REJECTED_BY_REVIEWER\"}", "{}",
              "not json"})
        {
            Exchange ex = decide(a, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, static_cast<int>(ex.status));
            CPPUNIT_ASSERT_EQUAL(std::string("INVALID_ARGUMENT"), ex.errorCode);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), hold()->state);
        Exchange ex =
            decide(a, "{\"decision\":\"refuse\",\"reasonCode\":\"REJECTED_OUT_OF_SCOPE\"}");
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"),
                             ConsoleFixture::json(ex)->getValue<std::string>("state"));
        std::optional<OutboxMessage> out =
            OutboxStore(_c->f->store.db()).get(hofu(), "R-MSG-00000010");
        CPPUNIT_ASSERT(out->body.find("<ReasonCode>REJECTED_OUT_OF_SCOPE</ReasonCode>") !=
                       std::string::npos);
        CPPUNIT_ASSERT(out->body.find("<Payload>") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records("refused"));
        std::vector<AuditEntry> audit = _c->audits(ConsoleFixture::HOFU, "hold.decide");
        CPPUNIT_ASSERT_EQUAL(std::string("refuse REJECTED_OUT_OF_SCOPE"), audit.back().detail);
    }

    void testDecidedHoldIsAConflict()
    {
        ConsoleSession a = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        ConsoleSession b = _c->login(ConsoleFixture::HOFU, "suzuki.ichiro");
        decide(a, "{\"decision\":\"refuse\",\"reasonCode\":\"REJECTED_BY_REVIEWER\"}");
        Exchange ex = decide(b, "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL(409, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(std::string("CONFLICT"), ex.errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), hold()->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), outboxPending());
    }

    void testPastTheDeadline()
    {
        ConsoleSession a = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        _c->f->clock->advanceSeconds(73 * 3600);
        a = _c->login(ConsoleFixture::HOFU, "sato.hanako");
        Exchange ex = decide(a, "{\"decision\":\"provide\"}");
        CPPUNIT_ASSERT_EQUAL(409, static_cast<int>(ex.status));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), outboxPending());
    }

private:
    static TenantCode hofu() { return ConsoleFixture::code("352063"); }

    Exchange decide(const ConsoleSession& s, const std::string& body)
    {
        return _c->call(s, "POST", "/console/api/holds/" + _hold + "/decision", body);
    }
    std::optional<Hold> hold() { return HoldStore(_c->f->store.db()).get(hofu(), _hold); }
    Poco::Int64 outboxPending()
    {
        return OutboxStore(_c->f->store.db()).countByState(hofu(), "pending");
    }
    Poco::Int64 records(const std::string& outcome)
    {
        RecordFilter f;
        f.outcome = outcome;
        return RecordStore(_c->f->store.db()).count(hofu(), f);
    }

    std::unique_ptr<ConsoleFixture> _c;
    std::string _hold;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleHoldsTest);
