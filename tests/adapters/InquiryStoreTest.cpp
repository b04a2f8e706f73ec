// InquiryStoreTest: inquiries by 処理通番 — conditional state changes, results, listing, purge and
// isolation.
#include "adapters/InquiryStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;

class InquiryStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(InquiryStoreTest);
    CPPUNIT_TEST(testAddGetDuplicate);
    CPPUNIT_TEST(testLifecycle);
    CPPUNIT_TEST(testConditionalTransition);
    CPPUNIT_TEST(testResultBeforeMarkedSent);
    CPPUNIT_TEST(testTwoNodesRaceForOneInquiry);
    CPPUNIT_TEST(testListing);
    CPPUNIT_TEST(testPurgeOnlyFinished);
    CPPUNIT_TEST(testResultsExpire);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testAddGetDuplicate()
    {
        InquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-1", "B-1"), 10).isOk());
        std::optional<Inquiry> q = st.get(a(), "S-1");
        CPPUNIT_ASSERT(q.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), q->state);
        CPPUNIT_ASSERT_EQUAL(std::string("B-1"), q->batchId);
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000001"), q->atenaNo);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), q->requestedAt);
        CPPUNIT_ASSERT(!q->result.has_value());
        CPPUNIT_ASSERT(!q->completedAt.has_value());
        Status again = st.add(a(), inquiry("S-1", ""), 11);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, again.code());
        CPPUNIT_ASSERT(again.message().find("S-1") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("B-1"), st.get(a(), "S-1")->batchId); // first one kept
        CPPUNIT_ASSERT(!st.get(a(), "S-2").has_value());
        // Refused by the primary key inside a larger transaction: only that insert is undone.
        Status outer = _store->db().write(
            [&](Poco::Data::Session&)
            {
                Status repeat = st.add(a(), inquiry("S-1", ""), 12);
                CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, repeat.code());
                return st.add(a(), inquiry("S-2", "B-2"), 12);
            });
        CPPUNIT_ASSERT_MESSAGE(outer.toString(), outer.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("B-2"), st.get(a(), "S-2")->batchId);
        CPPUNIT_ASSERT_EQUAL(std::string("B-1"), st.get(a(), "S-1")->batchId);
    }

    void testLifecycle()
    {
        InquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-1", ""), 10).isOk());
        CPPUNIT_ASSERT(st.transition(a(), "S-1", "queued", "sent", 20, "", "", "MSG-1").isOk());
        std::optional<Inquiry> q = st.get(a(), "S-1");
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), q->state);
        CPPUNIT_ASSERT_EQUAL(std::string("MSG-1"), q->messageId);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(20), q->updatedAt);
        const std::string result("09,01,\x00\xff", 8);
        CPPUNIT_ASSERT(st.setResult(a(), "S-1", result, 30).isOk());
        q = st.get(a(), "S-1");
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), q->state);
        CPPUNIT_ASSERT(result == q->result.value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(30), q->completedAt.value());
        CPPUNIT_ASSERT_EQUAL(std::string("MSG-1"), q->messageId);
        // A second result is refused: the inquiry is no longer sent.
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, st.setResult(a(), "S-1", "x", 31).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, st.setResult(a(), "S-9", "x", 31).code());
    }

    void testResultBeforeMarkedSent()
    {
        // The network answered before the sender's UPDATE queued -> sent: the result is kept,
        // and the late UPDATE to 'sent' is refused (so the inquiry is never resent).
        InquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-1", ""), 10).isOk());
        CPPUNIT_ASSERT(st.setResult(a(), "S-1", "early", 20).isOk());
        std::optional<Inquiry> q = st.get(a(), "S-1");
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), q->state);
        CPPUNIT_ASSERT_EQUAL(std::string("early"), q->result.value());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             st.transition(a(), "S-1", "queued", "sent", 21, "", "", "MSG-1").code());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), st.get(a(), "S-1")->state);
    }

    void testConditionalTransition()
    {
        InquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-1", ""), 10).isOk());
        Status wrong = st.transition(a(), "S-1", "sent", "completed", 11);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, wrong.code());
        CPPUNIT_ASSERT_MESSAGE(wrong.message(),
                               wrong.message().find("state is queued, expected sent") !=
                                   std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             st.transition(a(), "S-9", "queued", "sent", 11).code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             st.transition(a(), "S-1", "queued", "lost", 11).code());
        CPPUNIT_ASSERT(st.transition(a(), "S-1", "queued", "error", 12, "E-IPN-01",
                                     "指定された団体内統合宛名番号は符号が未取得です。")
                           .isOk());
        std::optional<Inquiry> q = st.get(a(), "S-1");
        CPPUNIT_ASSERT_EQUAL(std::string("error"), q->state);
        CPPUNIT_ASSERT_EQUAL(std::string("E-IPN-01"), q->errorCode);
        CPPUNIT_ASSERT_EQUAL(std::string("指定された団体内統合宛名番号は符号が未取得です。"),
                             q->errorMessage);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(12), q->completedAt.value());
    }

    void testTwoNodesRaceForOneInquiry()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        InquiryStore st(_store->db());
        for (int i = 0; i < 10; ++i)
            CPPUNIT_ASSERT(st.add(a(), inquiry("S-" + std::to_string(i), "B"), 1).isOk());
        std::atomic<int> won{0}, lost{0};
        auto node = [&](Database& db)
        {
            InquiryStore mine(db);
            for (int i = 0; i < 10; ++i)
            {
                Status s = mine.transition(a(), "S-" + std::to_string(i), "queued", "sent", 2);
                if (s.isOk())
                    ++won;
                else if (s.code() == Status::FAILED_PRECONDITION)
                    ++lost;
            }
        };
        std::thread t1([&] { node(_store->db()); });
        std::thread t2([&] { node(*other); });
        t1.join();
        t2.join();
        CPPUNIT_ASSERT_EQUAL(10, won.load());
        CPPUNIT_ASSERT_EQUAL(10, lost.load());
    }

    void testListing()
    {
        InquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-3", "B-1"), 30).isOk());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-1", "B-1"), 40).isOk());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-2", "B-2"), 20).isOk());
        std::vector<Inquiry> batch = st.listByBatch(a(), "B-1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), batch.size());
        CPPUNIT_ASSERT_EQUAL(std::string("S-1"), batch[0].serial);
        CPPUNIT_ASSERT_EQUAL(std::string("S-3"), batch[1].serial);
        std::vector<Inquiry> queued = st.listByState(a(), "queued", 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), queued.size());
        CPPUNIT_ASSERT_EQUAL(std::string("S-2"), queued[0].serial); // oldest update first
        CPPUNIT_ASSERT_EQUAL(std::string("S-3"), queued[1].serial);
        CPPUNIT_ASSERT(st.listByState(a(), "sent", 10).empty());
        // The worker's listing: the same 処理通番 in the same order, of this tenant only.
        std::vector<std::string> serials = st.serialsByState(a(), "queued", 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), serials.size());
        CPPUNIT_ASSERT_EQUAL(std::string("S-2"), serials[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("S-3"), serials[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("S-1"), serials[2]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), st.serialsByState(a(), "queued", 2).size());
        CPPUNIT_ASSERT(st.serialsByState(b(), "queued", 10).empty());
        CPPUNIT_ASSERT(st.serialsByState(a(), "sent", 10).empty());
    }

    void testPurgeOnlyFinished()
    {
        InquiryStore st(_store->db());
        for (const char* s : {"S-1", "S-2", "S-3", "S-4", "S-5"})
            CPPUNIT_ASSERT(st.add(a(), inquiry(s, ""), 1).isOk());
        CPPUNIT_ASSERT(st.transition(a(), "S-1", "queued", "sent", 2).isOk());
        CPPUNIT_ASSERT(st.setResult(a(), "S-1", "r", 100).isOk()); // completed at 100
        CPPUNIT_ASSERT(
            st.transition(a(), "S-2", "queued", "aborted", 100).isOk());          // aborted at 100
        CPPUNIT_ASSERT(st.transition(a(), "S-3", "queued", "error", 300).isOk()); // too recent
        CPPUNIT_ASSERT(st.transition(a(), "S-4", "queued", "sent", 50).isOk());   // still running
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), st.purgeCompletedBefore(a(), 200));
        CPPUNIT_ASSERT(!st.get(a(), "S-1").has_value());
        CPPUNIT_ASSERT(!st.get(a(), "S-2").has_value());
        CPPUNIT_ASSERT(st.get(a(), "S-3").has_value());
        CPPUNIT_ASSERT(st.get(a(), "S-4").has_value());
        CPPUNIT_ASSERT(st.get(a(), "S-5").has_value());
    }

    void testResultsExpire()
    {
        InquiryStore st(_store->db());
        for (const char* s : {"S-1", "S-2", "S-3", "S-4"})
            CPPUNIT_ASSERT(st.add(a(), inquiry(s, ""), 1).isOk());
        CPPUNIT_ASSERT(st.transition(a(), "S-1", "queued", "sent", 2).isOk());
        CPPUNIT_ASSERT(st.setResult(a(), "S-1", "<結果>payload</結果>", 100).isOk());
        CPPUNIT_ASSERT(
            st.transition(a(), "S-2", "queued", "aborted", 100, "REFUSED", "拒否").isOk());
        CPPUNIT_ASSERT(st.transition(a(), "S-3", "queued", "sent", 50).isOk());   // in flight
        CPPUNIT_ASSERT(st.transition(a(), "S-4", "queued", "error", 300).isOk()); // too recent
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), st.expireResultsBefore(a(), 200, 30, 400));
        std::optional<Inquiry> q = st.get(a(), "S-1");
        CPPUNIT_ASSERT(q.has_value()); // kept: a fetch is answered "expired"
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), q->state);
        CPPUNIT_ASSERT(!q->result.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("EXPIRED"), q->errorCode);
        CPPUNIT_ASSERT_MESSAGE(q->errorMessage,
                               q->errorMessage.find("保存期間（30日）") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100), q->completedAt.value());
        CPPUNIT_ASSERT(InquiryStore::isTerminal(q->state));
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), st.get(a(), "S-2")->state);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), st.get(a(), "S-3")->state);
        CPPUNIT_ASSERT_EQUAL(std::string("error"), st.get(a(), "S-4")->state);
        // A second run (another node) finds nothing; a late result cannot revive it.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), st.expireResultsBefore(a(), 200, 30, 500));
        CPPUNIT_ASSERT(!st.setResult(a(), "S-1", "late", 600).isOk());
        // The expired rows themselves go after the records' retention.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), st.deleteExpiredBefore(a(), 100));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), st.deleteExpiredBefore(a(), 101));
        CPPUNIT_ASSERT(!st.get(a(), "S-1").has_value());
        CPPUNIT_ASSERT(st.get(a(), "S-4").has_value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), st.expireResultsBefore(b(), 1000, 30, 1000));
    }

    void testValidation()
    {
        InquiryStore st(_store->db());
        Inquiry q = inquiry("S-1", "");
        q.providerCode = "1";
        Status s = st.add(a(), q, 1);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, s.code());
        CPPUNIT_ASSERT(s.message().find("inquiry S-1: provider code") != std::string::npos);
        q = inquiry("S-1", "");
        q.atenaNo = "00000000000000A";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.add(a(), q, 1).code());
        CPPUNIT_ASSERT(!st.get(a(), "S-1").has_value());
    }

    void testTenantIsolation()
    {
        InquiryStore st(_store->db());
        CPPUNIT_ASSERT(st.add(a(), inquiry("S-1", "B-1"), 1).isOk());
        CPPUNIT_ASSERT(st.transition(a(), "S-1", "queued", "sent", 2).isOk());
        CPPUNIT_ASSERT(!st.get(b(), "S-1").has_value());
        CPPUNIT_ASSERT(st.listByBatch(b(), "B-1").empty());
        CPPUNIT_ASSERT(st.listByState(b(), "sent", 10).empty());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             st.transition(b(), "S-1", "sent", "aborted", 3).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, st.setResult(b(), "S-1", "forged", 3).code());
        // B's serial space is its own; B's purge leaves A's finished rows.
        CPPUNIT_ASSERT(st.add(b(), inquiry("S-1", "B-1"), 4).isOk());
        CPPUNIT_ASSERT(st.transition(b(), "S-1", "queued", "aborted", 5).isOk());
        CPPUNIT_ASSERT(st.setResult(a(), "S-1", "mine", 6).isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), st.purgeCompletedBefore(b(), 1000));
        std::optional<Inquiry> q = st.get(a(), "S-1");
        CPPUNIT_ASSERT(q.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("completed"), q->state);
        CPPUNIT_ASSERT_EQUAL(std::string("mine"), q->result.value());
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static Inquiry inquiry(const std::string& serial, const std::string& batch)
    {
        Inquiry q;
        q.serial = serial;
        q.systemId = "yobo";
        q.batchId = batch;
        q.atenaNo = "000000000000001";
        q.jimuCode = "JM01000000121000";
        q.procedureCode = "JT01010000000214";
        q.itemCode = "TM00000000000002";
        q.providerCode = "3520630000000000";
        return q;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(InquiryStoreTest);
