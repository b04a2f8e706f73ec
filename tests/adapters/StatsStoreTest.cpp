// StatsStoreTest: queue depths per state and tenant, record counts grouped by Japan-time day and
// codes (boundaries at 00:00 JST), holds joined with their request's codes.
#include "adapters/StatsStore.h"
#include "adapters/HoldStore.h"
#include "adapters/InquiryStore.h"
#include "adapters/JobStore.h"
#include "adapters/Migrator.h"
#include "adapters/OutboxStore.h"
#include "adapters/ProvisionStore.h"
#include "adapters/RecordStore.h"
#include "tests/support/TestStore.h"

#include <Poco/DateTime.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class StatsStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StatsStoreTest);
    CPPUNIT_TEST(testQueueDepths);
    CPPUNIT_TEST(testRecordCountsByDay);
    CPPUNIT_TEST(testHolds);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testQueueDepths()
    {
        Database& db = _store->db();
        OutboxStore outbox(db);
        CPPUNIT_ASSERT(outbox.add(a(), message("OUT-1"), 10).isOk());
        CPPUNIT_ASSERT(outbox.add(a(), message("OUT-2"), 10).isOk());
        CPPUNIT_ASSERT(outbox.markSent(a(), "OUT-1", 20).isOk());
        CPPUNIT_ASSERT(outbox.add(b(), message("OUT-3"), 10).isOk());
        InquiryStore inquiries(db);
        for (int i = 1; i <= 3; ++i)
            CPPUNIT_ASSERT(inquiries.add(a(), inquiry("S-" + std::to_string(i)), 10).isOk());
        CPPUNIT_ASSERT(
            inquiries.transition(a(), "S-1", "queued", "sent", 20, "", "", "IQ-S-1").isOk());
        HoldStore holds(db);
        CPPUNIT_ASSERT(holds.add(a(), hold("H-1"), 10).isOk());
        CPPUNIT_ASSERT(holds.add(a(), hold("H-2"), 10).isOk());
        CPPUNIT_ASSERT(holds.decide(a(), "H-2", "rejected", "rev-1", "REJECTED_OTHER", 20).isOk());
        JobStore jobs(db);
        CPPUNIT_ASSERT(jobs.create(a(), "B-1", "bulk-inquiry", 5, 10).isOk());
        CPPUNIT_ASSERT(jobs.claim(a(), "B-1", "node-1", 1000, 20).isOk());
        CPPUNIT_ASSERT(jobs.create(a(), "B-2", "bulk-inquiry", 5, 10).isOk()); // queued
        CPPUNIT_ASSERT(jobs.create(a(), "R-1", "retention", 0, 10).isOk());
        CPPUNIT_ASSERT(jobs.claim(a(), "R-1", "node-1", 1000, 20).isOk()); // not a bulk job

        StatsStore stats(db);
        QueueDepths d = stats.queueDepths(a());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), d.outboxPending);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), d.inquiriesQueued);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), d.inquiriesInFlight);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), d.holdsPending);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), d.bulkJobsRunning);
        QueueDepths other = stats.queueDepths(b());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), other.outboxPending);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), other.inquiriesQueued + other.inquiriesInFlight +
                                                 other.holdsPending + other.bulkJobsRunning);
    }

    void testRecordCountsByDay()
    {
        RecordStore records(_store->db());
        const Poco::Int64 day1 = jstMidnight(2026, 4, 1), day2 = jstMidnight(2026, 4, 2);
        const Poco::Int64 minute = 60LL * 1000000;
        int n = 0;
        auto add = [&](const TenantCode& t, const std::string& kind, const std::string& outcome,
                       Poco::Int64 at)
        {
            ProvisionRecord r = record(++n, kind, outcome, at);
            CPPUNIT_ASSERT(records.append(t, r).isOk());
        };
        add(a(), "provision", "provided", day1 + minute);
        add(a(), "provision", "provided", day2 - 1); // 23:59:59.999999 JST: still day 1
        add(a(), "provision", "refused", day1 + 2 * minute);
        add(a(), "inquiry", "completed", day1 + 3 * minute);
        add(a(), "provision", "provided", day2);          // 00:00 JST: day 2
        add(a(), "provision", "provided", day1 - 1);      // before the range
        add(b(), "provision", "provided", day1 + minute); // another tenant

        std::vector<RecordCount> counts =
            StatsStore(_store->db()).recordCounts(a(), day1, day2 + 86400LL * 1000000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), counts.size());
        // Ordered by day, kind, codes, outcome.
        CPPUNIT_ASSERT_EQUAL(day1, counts[0].dayStart);
        CPPUNIT_ASSERT_EQUAL(std::string("inquiry"), counts[0].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("3520630000000000"),
                             counts[0].counterpartCode); // provider
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), counts[0].outcome);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), counts[0].count);
        CPPUNIT_ASSERT_EQUAL(std::string("provision"), counts[1].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("provided"), counts[1].outcome);
        CPPUNIT_ASSERT_EQUAL(std::string("1000000000000006"),
                             counts[1].counterpartCode); // requester
        CPPUNIT_ASSERT_EQUAL(std::string("JM01000000121000"), counts[1].jimuCode);
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000002"), counts[1].itemCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), counts[1].count);
        CPPUNIT_ASSERT_EQUAL(std::string("refused"), counts[2].outcome);
        CPPUNIT_ASSERT_EQUAL(day2, counts[3].dayStart);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), counts[3].count);
        CPPUNIT_ASSERT(
            StatsStore(_store->db())
                .recordCounts(a(), day2 + 86400LL * 1000000, day2 + 2 * 86400LL * 1000000)
                .empty());
    }

    void testHolds()
    {
        Database& db = _store->db();
        const Poco::Int64 day1 = jstMidnight(2026, 4, 1), second = 1000000;
        ProvisionStore provisions(db);
        HoldStore holds(db);
        for (const char* id : {"H-1", "H-2", "H-3"})
        {
            ProvisionRequest p;
            p.messageId = std::string("M-") + id;
            p.permitId = std::string("P-") + id;
            p.requesterCode = "1000000000000006";
            p.jimuCode = "JM01000000121000";
            p.procedureCode = "JT01010000000214";
            p.itemCode = "TM00000000000002";
            p.fugo = "FUGO-X";
            p.route = "ipn";
            CPPUNIT_ASSERT(provisions.add(a(), p, day1).isOk());
            Hold h = hold(id);
            h.deadline = day1 + 1000 * second;
            CPPUNIT_ASSERT(holds.add(a(), h, day1 + 10 * second).isOk());
        }
        CPPUNIT_ASSERT(
            holds.decide(a(), "H-1", "approved", "rev-1", "", day1 + 130 * second).isOk());
        CPPUNIT_ASSERT(
            holds.decide(a(), "H-3", "rejected", "rev-2", "REJECTED_OTHER", day1 + 70 * second)
                .isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), holds.expireDue(a(), day1 + 2000 * second).size());
        std::vector<HoldTiming> list = StatsStore(db).holds(a(), day1, day1 + 86400LL * 1000000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), list.size());
        CPPUNIT_ASSERT_EQUAL(std::string("approved"), list[0].state);
        CPPUNIT_ASSERT(list[0].decidedByReviewer);
        CPPUNIT_ASSERT_EQUAL(day1 + 130 * second, *list[0].decidedAt);
        CPPUNIT_ASSERT_EQUAL(std::string("JM01000000121000"), list[0].jimuCode);
        CPPUNIT_ASSERT_EQUAL(std::string("TM00000000000002"), list[0].itemCode);
        CPPUNIT_ASSERT_EQUAL(std::string("1000000000000006"), list[0].requesterCode);
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), list[1].state);
        CPPUNIT_ASSERT(!list[1].decidedByReviewer); // decided by the system
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), list[2].state);
        CPPUNIT_ASSERT(list[2].decidedByReviewer);
        CPPUNIT_ASSERT(StatsStore(db).holds(b(), day1, day1 + 86400LL * 1000000).empty());
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static Poco::Int64 jstMidnight(int y, int m, int d)
    {
        return Poco::DateTime(y, m, d).timestamp().epochMicroseconds() -
               StatsStore::JST_OFFSET_MICROS;
    }

    static OutboxMessage message(const std::string& id)
    {
        OutboxMessage m;
        m.messageId = id;
        m.kind = "ProvisionResponse";
        m.destination = "IPN";
        m.body = "<x/>";
        return m;
    }

    static Inquiry inquiry(const std::string& serial)
    {
        Inquiry q;
        q.serial = serial;
        q.systemId = "juki";
        q.atenaNo = "000000000000001";
        q.jimuCode = "JM01000000121000";
        q.procedureCode = "JT01010000000214";
        q.itemCode = "TM00000000000002";
        q.providerCode = "3520630000000000";
        return q;
    }

    static Hold hold(const std::string& id)
    {
        Hold h;
        h.holdId = id;
        h.messageId = "M-" + id;
        h.reason = "DV等支援措置";
        h.deadline = 1000000000;
        return h;
    }

    static ProvisionRecord record(int i, const std::string& kind, const std::string& outcome,
                                  Poco::Int64 at)
    {
        ProvisionRecord r;
        r.kind = kind;
        r.requesterCode = kind == "inquiry" ? "1210020000000000" : "1000000000000006";
        r.providerCode = kind == "inquiry" ? "3520630000000000" : "1210020000000000";
        r.jimuCode = "JM01000000121000";
        r.procedureCode = "JT01010000000214";
        r.itemCode = "TM00000000000002";
        r.subjectFugo = "FUGO-" + std::to_string(i);
        r.subjectAtena = "000000000000001";
        r.requestedAt = at - 1;
        r.outcome = outcome;
        r.refId = "REF-" + std::to_string(i);
        r.createdAt = at;
        return r;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatsStoreTest);
