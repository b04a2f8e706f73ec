// RetentionJobTest: the worker's retention job runs one pass per tenant and slot across nodes,
// logs it with IDs and counts, counts it in /metrics, and leaves the chains verifiable.
#include "gateway/RetentionJob.h"
#include "adapters/AuditStore.h"
#include "adapters/JobStore.h"
#include "adapters/Migrator.h"
#include "adapters/RecordStore.h"
#include "gateway/GatewayServices.h"
#include "tests/support/TestStore.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Mutex.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace chukan;

namespace
{

const Poco::Int64 SECOND = 1000000;
const Poco::Int64 DAY = 86400 * SECOND;
const std::string INSTITUTION = "1210020000000000";

/// Keeps the messages logged to it.
class CaptureChannel : public Poco::Channel
{
public:
    void log(const Poco::Message& m) override
    {
        Poco::FastMutex::ScopedLock lock(_mutex);
        lines.push_back(m.getText());
    }
    std::vector<std::string> matching(const std::string& part)
    {
        Poco::FastMutex::ScopedLock lock(_mutex);
        std::vector<std::string> out;
        for (const std::string& l : lines)
            if (l.find(part) != std::string::npos)
                out.push_back(l);
        return out;
    }
    std::vector<std::string> lines;

private:
    Poco::FastMutex _mutex;
};

TenantCode chiba()
{
    return TenantCode::parse("121002").value();
}

Settings nodeSettings(const std::string& node)
{
    Settings s;
    s.nodeId = node;
    s.schemasDir = std::string(CHUKAN_SOURCE_DIR) + "/conf/schemas";
    s.tenants.push_back(TenantProfile{chiba(), INSTITUTION, "", "", "", ""});
    s.recordsRetentionDays = 10;
    s.auditRetentionDays = 5;
    s.retentionIntervalSeconds = 3600;
    return s;
}

ProvisionRecord record(int n, Poco::Int64 at)
{
    ProvisionRecord r;
    r.kind = "provision";
    r.requesterCode = "3520630000000000";
    r.providerCode = INSTITUTION;
    r.jimuCode = "JM01000000121000";
    r.procedureCode = "JT01010000000214";
    r.itemCode = "TM00000000000002";
    r.subjectFugo = "FUGO-TEST-" + std::to_string(n);
    r.subjectAtena = "000000000000" + std::to_string(100 + n);
    r.requestedAt = at;
    r.providedAt = at;
    r.outcome = "provided";
    r.refId = "IQ-TEST-" + std::to_string(n);
    r.createdAt = at;
    return r;
}

} // namespace

class RetentionJobTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RetentionJobTest);
    CPPUNIT_TEST(testRunsOncePerSlotAndLogs);
    CPPUNIT_TEST(testTwoNodesRacingDoTheWorkOnce);
    CPPUNIT_TEST(testNodeTakesOverAnExpiredLease);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
        _clock = std::make_shared<ManualClock>();
        _channel = new CaptureChannel;
        Poco::Logger::get("chukan.retention").setChannel(_channel);
        Poco::Logger::get("chukan.retention").setLevel(Poco::Message::PRIO_DEBUG);
    }
    void tearDown() override
    {
        Poco::Logger::get("chukan.retention").setChannel(nullptr);
        _store.reset();
    }

    /// count records created 20 days ago and 2 now; 3 audit entries 8 days ago.
    void seed(int count)
    {
        RecordStore records(_store->db());
        const Poco::Int64 now = _clock->nowMicros();
        for (int i = 0; i < count; ++i)
            CPPUNIT_ASSERT(records.append(chiba(), record(i, now - 20 * DAY + i * SECOND)).isOk());
        for (int i = 0; i < 2; ++i)
            CPPUNIT_ASSERT(records.append(chiba(), record(50 + i, now - i * SECOND)).isOk());
        AuditStore audit(_store->db());
        for (int i = 0; i < 3; ++i)
        {
            AuditEntry e;
            e.staffId = "staff-" + std::to_string(i);
            e.at = now - 8 * DAY + i * SECOND;
            e.operation = "record.search";
            e.outcome = "ok";
            CPPUNIT_ASSERT(audit.append(chiba(), e).isOk());
        }
    }

    std::vector<ProvisionRecord> purgeRecords()
    {
        std::vector<ProvisionRecord> out;
        for (const ProvisionRecord& r :
             RecordStore(_store->db()).query(chiba(), RecordFilter(), 0, 1000))
            if (r.kind == "purge")
                out.push_back(r);
        return out;
    }

    std::vector<BatchJob> retentionJobs()
    {
        std::vector<BatchJob> out;
        for (const BatchJob& j : JobStore(_store->db()).list(chiba(), ""))
            if (j.kind == "retention")
                out.push_back(j);
        return out;
    }

    void testRunsOncePerSlotAndLogs()
    {
        seed(4);
        GatewayServices services(nodeSettings("node-a"), _clock, _store->shared(), nullptr);
        RetentionJob job(services);

        CPPUNIT_ASSERT_EQUAL(7, job.runDue()); // 4 records + 3 audit entries
        std::vector<ProvisionRecord> notes = purgeRecords();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), notes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("retention-20260101T000000Z"), notes[0].refId);
        CPPUNIT_ASSERT_EQUAL(INSTITUTION, notes[0].requesterCode);
        CPPUNIT_ASSERT(notes[0].reason.find("purged 4 records, seq 1 to 4") != std::string::npos);

        Result<ChainCheck> check = RecordStore(_store->db()).verify(chiba());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->verified); // 2 young + the purge record
        Result<ChainCheck> audit = AuditStore(_store->db()).verify(chiba());
        CPPUNIT_ASSERT_MESSAGE(audit.status().toString(), audit.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), audit->anchorSeq);

        // Recorded: the slot's job row is done by this node, with the count of rows touched.
        std::vector<BatchJob> jobs = retentionJobs();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), jobs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("done"), jobs[0].state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), jobs[0].done);

        // Logged with IDs and counts only.
        std::vector<std::string> lines = _channel->matching("retention tenant 121002");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size());
        CPPUNIT_ASSERT(lines[0].find("retention-20260101T000000Z on node node-a") !=
                       std::string::npos);
        CPPUNIT_ASSERT(lines[0].find("records purged 4 (seq 1-4, recorded as seq 7)") !=
                       std::string::npos);
        CPPUNIT_ASSERT(lines[0].find("audit entries purged 3") != std::string::npos);
        CPPUNIT_ASSERT(lines[0].find("FUGO") == std::string::npos);
        CPPUNIT_ASSERT(lines[0].find("000000000000") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            std::uint64_t(4),
            services.metrics.value("chukan_retention_purged_total", "what=\"records\""));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), services.metrics.value("chukan_retention_runs_total",
                                                                      "outcome=\"done\""));

        // The same slot again: nothing (the node remembers the finished slot).
        _clock->advanceSeconds(120);
        CPPUNIT_ASSERT_EQUAL(0, job.runDue());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), retentionJobs().size());

        // The next slot runs again; nothing is old enough, so nothing is written to the chain.
        _clock->advanceSeconds(3600);
        CPPUNIT_ASSERT_EQUAL(0, job.runDue());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), retentionJobs().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), purgeRecords().size());

        // Eleven days on the two young records and the purge record are past 10 days.
        _clock->advanceSeconds(11 * 86400);
        CPPUNIT_ASSERT(job.runDue() >= 3);
        notes = purgeRecords();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), notes.size()); // the first one is purged itself
        CPPUNIT_ASSERT(notes[0].reason.find("seq 5 to 7") != std::string::npos);
        CPPUNIT_ASSERT(RecordStore(_store->db()).verify(chiba()).isOk());
    }

    void testTwoNodesRacingDoTheWorkOnce()
    {
        seed(30);
        // Two gateway nodes: their own settings, metrics and Database handle, one store.
        GatewayServices a(nodeSettings("node-a"), _clock, _store->shared(), nullptr);
        GatewayServices b(nodeSettings("node-b"), _clock, _store->openAnother(), nullptr);
        RetentionJob jobA(a), jobB(b);
        int workA = -1, workB = -1;
        std::thread ta([&] { workA = jobA.runDue(); });
        std::thread tb([&] { workB = jobB.runDue(); });
        ta.join();
        tb.join();

        // Exactly one of them did the slot's work.
        CPPUNIT_ASSERT_EQUAL(33, workA + workB);
        CPPUNIT_ASSERT(workA == 0 || workB == 0);
        CPPUNIT_ASSERT_EQUAL(
            std::uint64_t(30),
            a.metrics.value("chukan_retention_purged_total", "what=\"records\"") +
                b.metrics.value("chukan_retention_purged_total", "what=\"records\""));
        CPPUNIT_ASSERT_EQUAL(
            std::uint64_t(1),
            a.metrics.value("chukan_retention_runs_total", "outcome=\"done\"") +
                b.metrics.value("chukan_retention_runs_total", "outcome=\"done\""));
        std::vector<ProvisionRecord> notes = purgeRecords();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), notes.size());
        CPPUNIT_ASSERT(notes[0].reason.find("purged 30 records, seq 1 to 30") != std::string::npos);
        std::vector<BatchJob> jobs = retentionJobs();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), jobs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("done"), jobs[0].state);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _channel->matching("records purged 30").size());

        Result<ChainCheck> check = RecordStore(_store->db()).verify(chiba());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(30), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(33), check->headSeq);
        CPPUNIT_ASSERT(AuditStore(_store->db()).verify(chiba()).isOk());

        // Both again, one after the other, later in the same slot: no more work, no new rows.
        _clock->advanceSeconds(120);
        CPPUNIT_ASSERT_EQUAL(0, jobA.runDue() + jobB.runDue());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), purgeRecords().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), retentionJobs().size());
    }

    void testNodeTakesOverAnExpiredLease()
    {
        seed(3);
        // A node that crashed holding this slot's lease for ten minutes.
        JobStore jobs(_store->db());
        const std::string id = "retention-20260101T000000Z";
        const Poco::Int64 now = _clock->nowMicros();
        CPPUNIT_ASSERT(jobs.create(chiba(), id, "retention", 0, now).isOk());
        CPPUNIT_ASSERT(jobs.claim(chiba(), id, "node-dead", now + 600 * SECOND, now).isOk());

        GatewayServices b(nodeSettings("node-b"), _clock, _store->openAnother(), nullptr);
        RetentionJob job(b);
        CPPUNIT_ASSERT_EQUAL(0, job.runDue());
        CPPUNIT_ASSERT(purgeRecords().empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1),
                             b.metrics.value("chukan_retention_runs_total", "outcome=\"skipped\""));

        // Before the lease ends: still not taken.
        _clock->advanceSeconds(300);
        CPPUNIT_ASSERT_EQUAL(0, job.runDue());
        // After it ended (the node looks again every minute): taken over, the work done once.
        _clock->advanceSeconds(360);
        CPPUNIT_ASSERT_EQUAL(6, job.runDue());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), purgeRecords().size());
        std::optional<BatchJob> done = jobs.get(chiba(), id);
        CPPUNIT_ASSERT_EQUAL(std::string("done"), done->state);
        CPPUNIT_ASSERT(RecordStore(_store->db()).verify(chiba()).isOk());
    }

private:
    std::unique_ptr<test::TestStore> _store;
    std::shared_ptr<ManualClock> _clock;
    Poco::AutoPtr<CaptureChannel> _channel;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RetentionJobTest);
