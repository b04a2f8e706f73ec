// BulkInquiryStoreTest: bulk jobs and their items — staged unseen, released at once, resumable,
// counted, paged, isolated.
#include "adapters/BulkInquiryStore.h"
#include "adapters/Migrator.h"
#include "adapters/RecordStore.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace chukan;

class BulkInquiryStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BulkInquiryStoreTest);
    CPPUNIT_TEST(testCreateGetDuplicate);
    CPPUNIT_TEST(testStagedItemsAreNotDispatchable);
    CPPUNIT_TEST(testReleaseQueuesAndFinalisesRefused);
    CPPUNIT_TEST(testResumedStagingAddsOnlyMissing);
    CPPUNIT_TEST(testTwoNodesStageTheSameFile);
    CPPUNIT_TEST(testFinishAndCounts);
    CPPUNIT_TEST(testPagesInFileOrderWithResults);
    CPPUNIT_TEST(testRecordedSerials);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testCreateGetDuplicate()
    {
        BulkInquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        std::optional<BulkJob> j = st.get(a(), "BJOB1");
        CPPUNIT_ASSERT(j.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), j->state);
        CPPUNIT_ASSERT_EQUAL(std::string("kenko"), j->systemId);
        CPPUNIT_ASSERT_EQUAL(std::string("key-1"), j->idempotencyKey);
        CPPUNIT_ASSERT_EQUAL(std::string(64, 'd'), j->fileDigest);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), j->total);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100), j->createdAt);
        CPPUNIT_ASSERT_EQUAL(std::string(""), j->report);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, st.create(a(), job("BJOB1"), 101).code());
        CPPUNIT_ASSERT(!st.get(a(), "BJOB2").has_value());
        BulkJob bad = job("");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.create(a(), bad, 1).code());
        bad = job("BJOB3");
        bad.systemId = "";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.create(a(), bad, 1).code());
        CPPUNIT_ASSERT(!st.get(a(), "BJOB3").has_value());
    }

    void testStagedItemsAreNotDispatchable()
    {
        BulkInquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        CPPUNIT_ASSERT(st.stage(a(), {item("BJOB1", 1), item("BJOB1", 2, "NO_FUGO")}, 110).isOk());
        // What the worker dispatches: nothing yet.
        CPPUNIT_ASSERT(InquiryStore(_store->db()).listByState(a(), "queued", 10).empty());
        CPPUNIT_ASSERT(InquiryStore(_store->db()).listByState(a(), "error", 10).empty());
        BulkCounts c = st.counts(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), c.staged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), c.pending());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), c.items());
        std::optional<Inquiry> q = InquiryStore(_store->db()).get(a(), serial("BJOB1", 2));
        CPPUNIT_ASSERT(q.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("staged"), q->state);
        CPPUNIT_ASSERT_EQUAL(std::string("NO_FUGO"), q->errorCode);
        CPPUNIT_ASSERT(!q->completedAt.has_value());
    }

    void testReleaseQueuesAndFinalisesRefused()
    {
        BulkInquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        CPPUNIT_ASSERT(
            st.stage(a(), {item("BJOB1", 1), item("BJOB1", 2, "NO_FUGO"), item("BJOB1", 3)}, 110)
                .isOk());
        CPPUNIT_ASSERT(st.release(a(), "BJOB1", 3, "{\"total\":3}", 120).isOk());
        std::optional<BulkJob> j = st.get(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(std::string("running"), j->state);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"total\":3}"), j->report);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(120), j->updatedAt);
        InquiryStore inquiries(_store->db());
        std::vector<Inquiry> queued = inquiries.listByState(a(), "queued", 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), queued.size());
        CPPUNIT_ASSERT_EQUAL(std::string("BJOB1"), queued[0].batchId);
        std::optional<Inquiry> refused = inquiries.get(a(), serial("BJOB1", 2));
        CPPUNIT_ASSERT_EQUAL(std::string("error"), refused->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(120), refused->completedAt.value());
        CPPUNIT_ASSERT_EQUAL(
            std::string("指定された団体内統合宛名番号「000000000000101」は符号が未取得です。"),
            refused->errorMessage);
        CPPUNIT_ASSERT(!inquiries.get(a(), serial("BJOB1", 1))->completedAt.has_value());
        // Released once: a second release changes nothing (not even a report).
        CPPUNIT_ASSERT(st.release(a(), "BJOB1", 9, "{\"other\":1}", 130).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"total\":3}"), st.get(a(), "BJOB1")->report);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), st.get(a(), "BJOB1")->total);
    }

    void testResumedStagingAddsOnlyMissing()
    {
        BulkInquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        CPPUNIT_ASSERT(st.stage(a(), {item("BJOB1", 1), item("BJOB1", 2)}, 110).isOk());
        // The upload is retried after a crash: the first rows again, then the rest.
        CPPUNIT_ASSERT(
            st.stage(a(), {item("BJOB1", 1), item("BJOB1", 2), item("BJOB1", 3, "NOT_PERMITTED")},
                     120)
                .isOk());
        BulkCounts c = st.counts(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), c.staged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(110),
                             InquiryStore(_store->db()).get(a(), serial("BJOB1", 1))->updatedAt);
        // Many items: more rows than one multi-row INSERT takes.
        std::vector<Inquiry> many;
        for (std::size_t i = 1; i <= 237; ++i)
            many.push_back(item("BJOB1", i, i % 10 == 0 ? "NO_FUGO" : ""));
        CPPUNIT_ASSERT(st.stage(a(), many, 130).isOk());
        c = st.counts(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(237), c.staged);
        CPPUNIT_ASSERT(st.release(a(), "BJOB1", 237, "{}", 140).isOk());
        c = st.counts(a(), "BJOB1");
        // Item 3 kept the code it was first staged with; 10, 20, … 230 are refused.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(24), c.error);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(213), c.queued);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), c.staged);
    }

    void testTwoNodesStageTheSameFile()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        BulkInquiryStore here(_store->db()), there(*other);
        CPPUNIT_ASSERT(here.create(a(), job("BJOB1"), 100).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, there.create(a(), job("BJOB1"), 100).code());
        std::vector<Inquiry> items;
        for (std::size_t i = 1; i <= 120; ++i)
            items.push_back(item("BJOB1", i));
        Status s1, s2;
        std::thread t1([&] { s1 = here.stage(a(), items, 110); });
        std::thread t2([&] { s2 = there.stage(a(), items, 111); });
        t1.join();
        t2.join();
        CPPUNIT_ASSERT_MESSAGE(s1.toString(), s1.isOk());
        CPPUNIT_ASSERT_MESSAGE(s2.toString(), s2.isOk());
        CPPUNIT_ASSERT(here.release(a(), "BJOB1", 120, "{}", 120).isOk());
        CPPUNIT_ASSERT(there.release(a(), "BJOB1", 120, "{}", 121).isOk());
        BulkCounts c = here.counts(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(120), c.items());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(120), c.queued);
    }

    void testFinishAndCounts()
    {
        BulkInquiryStore st(_store->db());
        InquiryStore inquiries(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        CPPUNIT_ASSERT(
            st.stage(a(), {item("BJOB1", 1), item("BJOB1", 2), item("BJOB1", 3, "NO_FUGO")}, 110)
                .isOk());
        // finish() only moves a running job.
        CPPUNIT_ASSERT(st.finish(a(), "BJOB1", 1, 1, 115).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), st.get(a(), "BJOB1")->state);
        CPPUNIT_ASSERT(st.release(a(), "BJOB1", 3, "{}", 120).isOk());
        CPPUNIT_ASSERT(inquiries.transition(a(), serial("BJOB1", 1), "queued", "sent", 130).isOk());
        CPPUNIT_ASSERT(inquiries.transition(a(), serial("BJOB1", 2), "queued", "sent", 130).isOk());
        CPPUNIT_ASSERT(inquiries.setResult(a(), serial("BJOB1", 1), "<r/>", 140).isOk());
        BulkCounts c = st.counts(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c.completed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c.sent);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c.error);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c.pending());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), c.errors());
        CPPUNIT_ASSERT(
            inquiries
                .transition(a(), serial("BJOB1", 2), "sent", "aborted", 150, "TIMEOUT", "no answer")
                .isOk());
        c = st.counts(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), c.pending());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), c.errors());
        CPPUNIT_ASSERT(st.finish(a(), "BJOB1", c.completed, c.errors(), 160).isOk());
        std::optional<BulkJob> j = st.get(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(std::string("done"), j->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), j->done);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), j->failed);
        CPPUNIT_ASSERT(st.finish(a(), "BJOB1", 9, 9, 170).isOk()); // already done: unchanged
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), st.get(a(), "BJOB1")->done);
        // Counts are per job.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), st.counts(a(), "BJOB2").items());
    }

    void testPagesInFileOrderWithResults()
    {
        BulkInquiryStore st(_store->db());
        InquiryStore inquiries(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        std::vector<Inquiry> items;
        for (std::size_t i : {12, 3, 1000, 7, 1})
            items.push_back(item("BJOB1", i));
        CPPUNIT_ASSERT(st.stage(a(), items, 110).isOk());
        CPPUNIT_ASSERT(st.release(a(), "BJOB1", 5, "{}", 120).isOk());
        CPPUNIT_ASSERT(inquiries.transition(a(), serial("BJOB1", 7), "queued", "sent", 130).isOk());
        const std::string result("<結果>\x01</結果>");
        CPPUNIT_ASSERT(inquiries.setResult(a(), serial("BJOB1", 7), result, 140).isOk());
        std::vector<Inquiry> first = st.page(a(), "BJOB1", "", 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), first.size());
        CPPUNIT_ASSERT_EQUAL(serial("BJOB1", 1), first[0].serial);
        CPPUNIT_ASSERT_EQUAL(serial("BJOB1", 3), first[1].serial);
        CPPUNIT_ASSERT_EQUAL(serial("BJOB1", 7), first[2].serial);
        CPPUNIT_ASSERT(result == first[2].result.value());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), first[2].state);
        CPPUNIT_ASSERT(!first[0].result.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000101"), first[0].atenaNo);
        CPPUNIT_ASSERT_EQUAL(std::string("kenko"), first[0].systemId);
        std::vector<Inquiry> rest = st.page(a(), "BJOB1", first.back().serial, 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), rest.size());
        CPPUNIT_ASSERT_EQUAL(serial("BJOB1", 12), rest[0].serial);
        CPPUNIT_ASSERT_EQUAL(serial("BJOB1", 1000), rest[1].serial);
        CPPUNIT_ASSERT(st.page(a(), "BJOB1", rest.back().serial, 3).empty());
    }

    void testRecordedSerials()
    {
        BulkInquiryStore st(_store->db());
        RecordStore records(_store->db());
        for (std::size_t i : {2, 5})
            CPPUNIT_ASSERT(records.append(a(), record(serial("BJOB1", i))).isOk());
        CPPUNIT_ASSERT(records.append(a(), record(serial("BJOB2", 3))).isOk());
        CPPUNIT_ASSERT(records.append(b(), record(serial("BJOB1", 4))).isOk());
        std::set<std::string> got = st.recordedSerials(a(), "BJOB1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), got.size());
        CPPUNIT_ASSERT(got.count(serial("BJOB1", 2)) && got.count(serial("BJOB1", 5)));
    }

    void testTenantIsolation()
    {
        BulkInquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.create(a(), job("BJOB1"), 100).isOk());
        CPPUNIT_ASSERT(st.stage(a(), {item("BJOB1", 1)}, 110).isOk());
        CPPUNIT_ASSERT(!st.get(b(), "BJOB1").has_value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), st.counts(b(), "BJOB1").items());
        CPPUNIT_ASSERT(st.page(b(), "BJOB1", "", 10).empty());
        // Releasing through the other tenant touches nothing of this one.
        CPPUNIT_ASSERT(st.release(b(), "BJOB1", 1, "{}", 120).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), st.get(a(), "BJOB1")->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), st.counts(a(), "BJOB1").staged);
        // The same job id at the other tenant is another job.
        CPPUNIT_ASSERT(st.create(b(), job("BJOB1"), 100).isOk());
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static BulkJob job(const std::string& id)
    {
        BulkJob j;
        j.jobId = id;
        j.systemId = "kenko";
        j.idempotencyKey = "key-1";
        j.fileDigest = std::string(64, 'd');
        j.total = 3;
        return j;
    }

    static std::string serial(const std::string& job, std::size_t record)
    {
        std::string n = std::to_string(record);
        return job + "-" + std::string(7 - n.size(), '0') + n;
    }

    static Inquiry item(const std::string& job, std::size_t record,
                        const std::string& errorCode = "")
    {
        Inquiry q;
        q.serial = serial(job, record);
        q.systemId = "kenko";
        q.batchId = job;
        q.atenaNo = "000000000000101";
        q.jimuCode = "JM01000000121000";
        q.procedureCode = "JT01010000000214";
        q.itemCode = "TM00000000000002";
        q.providerCode = "3520630000000000";
        q.requestedAt = 105;
        q.errorCode = errorCode;
        if (!errorCode.empty())
            q.errorMessage = "指定された団体内統合宛名番号「000000000000101」は符号が未取得です。";
        return q;
    }

    static ProvisionRecord record(const std::string& ref)
    {
        ProvisionRecord r;
        r.kind = "inquiry";
        r.requesterCode = "1210020000000000";
        r.providerCode = "3520630000000000";
        r.jimuCode = "JM01000000121000";
        r.procedureCode = "JT01010000000214";
        r.itemCode = "TM00000000000002";
        r.subjectFugo = "-";
        r.subjectAtena = "000000000000101";
        r.requestedAt = 10;
        r.outcome = "refused";
        r.reason = "NO_FUGO";
        r.refId = ref;
        r.createdAt = 11;
        return r;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BulkInquiryStoreTest);
