// RetentionSweepTest: a retention pass purges records, audit entries, inquiry results and old job
// rows once per slot, on two nodes at once too, and the chains still verify.
#include "adapters/RetentionSweep.h"
#include "adapters/AuditStore.h"
#include "adapters/InquiryStore.h"
#include "adapters/JobStore.h"
#include "adapters/Migrator.h"
#include "adapters/RecordStore.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;

class RetentionSweepTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RetentionSweepTest);
    CPPUNIT_TEST(testPassPurgesEveryKind);
    CPPUNIT_TEST(testSlotRunsOnce);
    CPPUNIT_TEST(testTwoNodesRaceForTheSlot);
    CPPUNIT_TEST(testCrashedNodeIsTakenOver);
    CPPUNIT_TEST(testDryRunAndChunks);
    CPPUNIT_TEST(testCorruptChainFailsOnlyItsStep);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testPassPurgesEveryKind()
    {
        ManualClock clock;
        seed(_store->db(), clock.nowMicros(), 3, 2);
        RetentionSweep sweep(_store->db(), "node-a", clock);
        Result<RetentionReport> r = sweep.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
        CPPUNIT_ASSERT(r->ran);
        CPPUNIT_ASSERT(r->finished);
        CPPUNIT_ASSERT_MESSAGE(r->errors.empty() ? "" : r->errors[0], r->errors.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("retention-20260101T000000Z"), r->jobId);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), r->records.purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), r->records.noteSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), r->audit.purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), r->resultsExpired);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), r->inquiriesDeleted);

        RecordStore records(_store->db());
        Result<ChainCheck> check = records.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->verified); // 2 young + the purge record
        RecordFilter purged;
        purged.outcome = "purged";
        std::vector<ProvisionRecord> notes = records.query(a(), purged, 0, 5);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), notes.size());
        CPPUNIT_ASSERT_EQUAL(r->jobId, notes[0].refId);
        CPPUNIT_ASSERT_EQUAL(INSTITUTION, notes[0].providerCode);
        CPPUNIT_ASSERT(AuditStore(_store->db()).verify(a()).isOk());
        InquiryStore inquiries(_store->db());
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), inquiries.get(a(), "OLD")->state);
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), inquiries.get(a(), "NEW")->state);

        std::optional<BatchJob> job = JobStore(_store->db()).get(a(), r->jobId);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), job->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), job->done); // 3 records, 3 audit entries, 1 result
        CPPUNIT_ASSERT(job->ownerNode.empty());

        // Nine days on: the expired inquiry row itself is past the records' retention and the
        // first job row past its history.
        clock.advanceSeconds(9 * DAY);
        r = sweep.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(r->ran);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), r->inquiriesDeleted);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), r->jobsDeleted);
        CPPUNIT_ASSERT(!inquiries.get(a(), "OLD").has_value());
        // B was not touched.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), records.count(b(), RecordFilter()));
    }

    void testSlotRunsOnce()
    {
        ManualClock clock;
        seed(_store->db(), clock.nowMicros(), 2, 1);
        RetentionSweep first(_store->db(), "node-a", clock), second(_store->db(), "node-b", clock);
        CPPUNIT_ASSERT(first.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE)->ran);
        clock.advanceSeconds(30);
        Result<RetentionReport> again =
            second.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(again.isOk());
        CPPUNIT_ASSERT(!again->ran);
        CPPUNIT_ASSERT(again->finished);
        CPPUNIT_ASSERT_MESSAGE(again->skipped,
                               again->skipped.find("already done") != std::string::npos);
        again = first.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE); // same node too
        CPPUNIT_ASSERT(!again->ran);
        // The next slot runs, finds nothing old and writes no purge record.
        clock.advanceSeconds(HOUR);
        Result<RetentionReport> next =
            second.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(next->ran);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), next->records.purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), next->records.noteSeq);
        RecordFilter purged;
        purged.outcome = "purged";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), RecordStore(_store->db()).count(a(), purged));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), JobStore(_store->db()).list(a(), "done").size());
    }

    void testTwoNodesRaceForTheSlot()
    {
        ManualClock clock;
        std::shared_ptr<Database> other = _store->openAnother();
        for (int round = 0; round < 4; ++round)
        {
            seed(_store->db(), clock.nowMicros(), 5, 0, "R" + std::to_string(round));
            std::vector<Result<RetentionReport>> reports(2, Status::internal("not run"));
            std::atomic<int> ready{0};
            std::vector<std::thread> nodes;
            for (int n = 0; n < 2; ++n)
                nodes.emplace_back(
                    [&, n]
                    {
                        RetentionSweep sweep(n == 0 ? _store->db() : *other,
                                             n == 0 ? "node-a" : "node-b", clock);
                        ++ready;
                        while (ready.load() < 2)
                            std::this_thread::yield();
                        reports[n] = sweep.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
                    });
            for (std::thread& t : nodes)
                t.join();
            int ran = 0;
            Poco::Int64 purged = 0, expired = 0, notes = 0;
            for (const Result<RetentionReport>& r : reports)
            {
                CPPUNIT_ASSERT_MESSAGE(r.status().toString(), r.isOk());
                CPPUNIT_ASSERT_MESSAGE(r->errors.empty() ? "" : r->errors[0], r->errors.empty());
                ran += r->ran ? 1 : 0;
                purged += r->records.purged + r->audit.purged;
                expired += r->resultsExpired;
                notes += r->records.noteSeq > 0 ? 1 : 0;
            }
            CPPUNIT_ASSERT_EQUAL(1, ran);
            CPPUNIT_ASSERT_EQUAL(1, static_cast<int>(notes));
            // 5 records and 5 audit entries, once; from the second round on also the previous
            // round's purge record and entry, now old too.
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(round == 0 ? 10 : 12), purged);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(round == 0 ? 1 : 2), expired);
            RecordStore records(_store->db());
            Result<ChainCheck> check = records.verify(a());
            CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), check->verified); // only this round's record
            Result<ChainCheck> audit = AuditStore(_store->db()).verify(a());
            CPPUNIT_ASSERT_MESSAGE(audit.status().toString(), audit.isOk());
            clock.advanceSeconds(20 * DAY);
        }
    }

    void testCrashedNodeIsTakenOver()
    {
        ManualClock clock;
        seed(_store->db(), clock.nowMicros(), 2, 0);
        JobStore jobs(_store->db());
        // node-a claimed the slot and died.
        std::string id = RetentionSweep::jobId(slot(clock));
        CPPUNIT_ASSERT(jobs.create(a(), id, "retention", 0, clock.nowMicros()).isOk());
        CPPUNIT_ASSERT(
            jobs.claim(a(), id, "node-a", clock.nowMicros() + LEASE, clock.nowMicros()).isOk());
        RetentionSweep b(_store->db(), "node-b", clock);
        Result<RetentionReport> r = b.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(!r->ran);
        CPPUNIT_ASSERT(!r->finished);
        CPPUNIT_ASSERT_MESSAGE(r->skipped,
                               r->skipped.find("leased by node node-a") != std::string::npos);
        clock.advanceSeconds(LEASE / 1000000 + 1); // the lease runs out
        r = b.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(r->ran);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), r->records.purged);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), jobs.get(a(), id)->state);

        // A job left running in an earlier slot is closed when a later pass runs.
        clock.advanceSeconds(HOUR);
        std::string stale = RetentionSweep::jobId(slot(clock));
        CPPUNIT_ASSERT(jobs.create(a(), stale, "retention", 0, clock.nowMicros()).isOk());
        CPPUNIT_ASSERT(
            jobs.claim(a(), stale, "node-a", clock.nowMicros() + LEASE, clock.nowMicros()).isOk());
        clock.advanceSeconds(HOUR);
        r = b.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(r->ran);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), r->jobsAbandoned);
        std::optional<BatchJob> closed = jobs.get(a(), stale);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), closed->state);
        CPPUNIT_ASSERT_MESSAGE(closed->error, closed->error.find("abandoned") != std::string::npos);
    }

    void testDryRunAndChunks()
    {
        ManualClock clock;
        RecordStore records(_store->db());
        for (int i = 0; i < 10; ++i)
            CPPUNIT_ASSERT(
                records.append(a(), record(clock.nowMicros() - 20 * DAY * SECOND, i)).isOk());
        RetentionSweep sweep(_store->db(), "node-a", clock, 4);
        Result<ChainPurge> plan = sweep.purgeRecords(a(), INSTITUTION, 10, "manual", true);
        CPPUNIT_ASSERT(plan.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), plan->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), records.count(a(), RecordFilter()));
        Result<ChainPurge> done = sweep.purgeRecords(a(), INSTITUTION, 10, "manual");
        CPPUNIT_ASSERT_MESSAGE(done.status().toString(), done.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), done->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), done->firstSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), done->lastSeq);
        RecordFilter notes;
        notes.outcome = "purged";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), records.count(a(), notes)); // one per chunk: 4, 4, 2
        Result<ChainCheck> check = records.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->verified);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             sweep.purgeRecords(a(), INSTITUTION, 0, "manual").status().code());
        Result<ChainPurge> audit = sweep.purgeAudit(a(), 5, "manual", "admin", true);
        CPPUNIT_ASSERT(audit.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), audit->purged);
    }

    void testCorruptChainFailsOnlyItsStep()
    {
        ManualClock clock;
        seed(_store->db(), clock.nowMicros(), 3, 0);
        {
            Poco::Data::Session s = _store->db().session();
            s << "UPDATE provision_records SET reason = 'x' WHERE tenant_code = '121002' AND seq = "
                 "2",
                Poco::Data::Keywords::now;
        }
        RetentionSweep sweep(_store->db(), "node-a", clock);
        Result<RetentionReport> r = sweep.runSlot(a(), INSTITUTION, periods(), slot(clock), LEASE);
        CPPUNIT_ASSERT(r->ran);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), r->errors.size());
        CPPUNIT_ASSERT_MESSAGE(r->errors[0], r->errors[0].find("records: provision_records of "
                                                               "tenant 121002: seq 2: hash "
                                                               "mismatch") == 0);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), r->records.purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), r->audit.purged); // the other steps still ran
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), r->resultsExpired);
        std::optional<BatchJob> job = JobStore(_store->db()).get(a(), r->jobId);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), job->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), job->failed);
        CPPUNIT_ASSERT(job->error.find("seq 2: hash mismatch") != std::string::npos);
    }

private:
    static constexpr Poco::Int64 SECOND = 1000000;
    static constexpr Poco::Int64 HOUR = 3600;
    static constexpr Poco::Int64 DAY = 86400;
    static constexpr Poco::Int64 LEASE = 600 * SECOND;
    static const std::string INSTITUTION;

    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }
    static Poco::Int64 slot(const ManualClock& c)
    {
        return c.nowMicros() - c.nowMicros() % (HOUR * SECOND);
    }

    static RetentionPeriods periods()
    {
        RetentionPeriods p;
        p.recordsDays = 10;
        p.auditDays = 5;
        p.inquiryResultDays = 1;
        p.historyDays = 7;
        return p;
    }

    static ProvisionRecord record(Poco::Int64 at, int i)
    {
        ProvisionRecord r;
        r.kind = "provision";
        r.requesterCode = "3520630000000000";
        r.providerCode = INSTITUTION;
        r.jimuCode = "JM01000000121000";
        r.procedureCode = "JT01010000000214";
        r.itemCode = "TM00000000000002";
        r.subjectFugo = "FUGO-" + std::to_string(i);
        r.subjectAtena = "000000000000001";
        r.requestedAt = at;
        r.providedAt = at;
        r.outcome = "provided";
        r.refId = "REF-" + std::to_string(i);
        r.createdAt = at;
        return r;
    }

    /// `old` records and audit entries 20 days old, `young` one day old, and an inquiry result
    /// completed two days ago (OLD) and one completed now (NEW); one record for tenant B.
    static void seed(Database& db, Poco::Int64 now, int old, int young, const std::string& tag = "")
    {
        RecordStore records(db);
        AuditStore audit(db);
        for (int i = 0; i < old + young; ++i)
        {
            Poco::Int64 at = now - (i < old ? 20 : 1) * DAY * SECOND;
            CPPUNIT_ASSERT(records.append(a(), record(at, i)).isOk());
            AuditEntry e;
            e.staffId = "op-1";
            e.at = at;
            e.operation = "login";
            e.outcome = "ok";
            CPPUNIT_ASSERT(audit.append(a(), e).isOk());
        }
        if (tag.empty() && old + young > 0)
            CPPUNIT_ASSERT(records.append(b(), record(now - 20 * DAY * SECOND, 99)).isOk());
        InquiryStore inquiries(db);
        for (const char* serial : {"OLD", "NEW"})
        {
            Inquiry q;
            q.serial = tag + serial;
            q.systemId = "kenko";
            q.atenaNo = "000000000000001";
            q.jimuCode = "JM01000000121000";
            q.procedureCode = "JT01010000000214";
            q.itemCode = "TM00000000000002";
            q.providerCode = "3520630000000000";
            Poco::Int64 at = std::string(serial) == "OLD" ? now - 2 * DAY * SECOND : now;
            CPPUNIT_ASSERT(inquiries.add(a(), q, at).isOk());
            CPPUNIT_ASSERT(inquiries.transition(a(), q.serial, "queued", "sent", at).isOk());
            CPPUNIT_ASSERT(inquiries.setResult(a(), q.serial, "<結果/>", at).isOk());
        }
    }

    std::unique_ptr<test::TestStore> _store;
};

const std::string RetentionSweepTest::INSTITUTION = "1210020000000000";

CPPUNIT_TEST_SUITE_REGISTRATION(RetentionSweepTest);
