// HoldStoreTest: held provisions — pending list, single decision, four-eyes approval, expiry and
// isolation.
#include "adapters/HoldStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;

class HoldStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HoldStoreTest);
    CPPUNIT_TEST(testAddGetListPending);
    CPPUNIT_TEST(testDecideOnce);
    CPPUNIT_TEST(testFourEyes);
    CPPUNIT_TEST(testDeadline);
    CPPUNIT_TEST(testTwoNodesDecide);
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

    void testAddGetListPending()
    {
        HoldStore hs(_store->db());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-1", 3000), 10).isOk());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-2", 1000), 10).isOk());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-3", 2000), 10).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, hs.add(a(), hold("H-1", 3000), 11).code());
        std::optional<Hold> h = hs.get(a(), "H-1");
        CPPUNIT_ASSERT(h.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), h->state);
        CPPUNIT_ASSERT_EQUAL(std::string("M-H-1"), h->messageId);
        CPPUNIT_ASSERT_EQUAL(std::string("DV等支援措置"), h->reason);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), h->createdAt);
        CPPUNIT_ASSERT(h->firstReviewer.empty());
        CPPUNIT_ASSERT(!h->decidedAt.has_value());
        std::vector<Hold> pending = hs.listPending(a(), 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), pending.size());
        CPPUNIT_ASSERT_EQUAL(std::string("H-2"), pending[0].holdId);
        CPPUNIT_ASSERT_EQUAL(std::string("H-3"), pending[1].holdId);
    }

    void testDecideOnce()
    {
        HoldStore hs(_store->db());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-1", 1000), 10).isOk());
        CPPUNIT_ASSERT(hs.decide(a(), "H-1", "rejected", "rev-1", "内容確認の結果", 20).isOk());
        std::optional<Hold> h = hs.get(a(), "H-1");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), h->state);
        CPPUNIT_ASSERT_EQUAL(std::string("rev-1"), h->decidedBy);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(20), h->decidedAt.value());
        CPPUNIT_ASSERT_EQUAL(std::string("内容確認の結果"), h->decisionReason);
        Status again = hs.decide(a(), "H-1", "approved", "rev-2", "", 30);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, again.code());
        CPPUNIT_ASSERT(again.message().find("already rejected by rev-1") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             hs.decide(a(), "H-9", "approved", "rev-2", "", 30).code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             hs.decide(a(), "H-1", "maybe", "rev-2", "", 30).code());
        CPPUNIT_ASSERT(hs.listPending(a(), 10).empty());
    }

    void testFourEyes()
    {
        HoldStore hs(_store->db());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-1", 1000), 10).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             hs.decide(a(), "H-1", "approved", "rev-1", "", 20, true).code());
        CPPUNIT_ASSERT(hs.recordFirstApproval(a(), "H-1", "rev-1", 21).isOk());
        CPPUNIT_ASSERT(hs.recordFirstApproval(a(), "H-1", "rev-1", 22).isOk()); // idempotent
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             hs.recordFirstApproval(a(), "H-1", "rev-3", 22).code());
        Status self = hs.decide(a(), "H-1", "approved", "rev-1", "", 23, true);
        CPPUNIT_ASSERT_EQUAL(Status::PERMISSION_DENIED, self.code());
        CPPUNIT_ASSERT(self.message().find("rev-1") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), hs.get(a(), "H-1")->state);
        CPPUNIT_ASSERT(hs.decide(a(), "H-1", "approved", "rev-2", "二人目の承認", 24, true).isOk());
        std::optional<Hold> h = hs.get(a(), "H-1");
        CPPUNIT_ASSERT_EQUAL(std::string("approved"), h->state);
        CPPUNIT_ASSERT_EQUAL(std::string("rev-1"), h->firstReviewer);
        CPPUNIT_ASSERT_EQUAL(std::string("rev-2"), h->decidedBy);
        // Without four eyes one reviewer suffices.
        CPPUNIT_ASSERT(hs.add(a(), hold("H-2", 1000), 10).isOk());
        CPPUNIT_ASSERT(hs.decide(a(), "H-2", "approved", "rev-1", "", 25).isOk());
    }

    void testDeadline()
    {
        HoldStore hs(_store->db());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-1", 100), 10).isOk());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-2", 200), 10).isOk());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-3", 300), 10).isOk());
        CPPUNIT_ASSERT(hs.decide(a(), "H-2", "rejected", "rev-1", "", 150).isOk());
        Status late = hs.decide(a(), "H-1", "approved", "rev-1", "", 101);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, late.code());
        CPPUNIT_ASSERT(late.message().find("deadline") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             hs.recordFirstApproval(a(), "H-1", "rev-1", 101).code());
        std::vector<std::string> expired = hs.expireDue(a(), 250);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), expired.size()); // H-2 was decided, H-3 not yet due
        CPPUNIT_ASSERT_EQUAL(std::string("H-1"), expired[0]);
        std::optional<Hold> h = hs.get(a(), "H-1");
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), h->state);
        CPPUNIT_ASSERT_EQUAL(std::string("system"), h->decidedBy);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(250), h->decidedAt.value());
        CPPUNIT_ASSERT(hs.expireDue(a(), 250).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), hs.get(a(), "H-3")->state);
    }

    void testTwoNodesDecide()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        HoldStore hs(_store->db());
        for (int i = 0; i < 10; ++i)
            CPPUNIT_ASSERT(hs.add(a(), hold("H-" + std::to_string(i), 1000), 1).isOk());
        std::atomic<int> won{0};
        auto node = [&](Database& db, const std::string& decision)
        {
            HoldStore mine(db);
            for (int i = 0; i < 10; ++i)
                if (mine.decide(a(), "H-" + std::to_string(i), decision, "rev-" + decision, "", 5)
                        .isOk())
                    ++won;
        };
        std::thread t1([&] { node(_store->db(), "approved"); });
        std::thread t2([&] { node(*other, "rejected"); });
        t1.join();
        t2.join();
        CPPUNIT_ASSERT_EQUAL(10, won.load());
        CPPUNIT_ASSERT(hs.listPending(a(), 100).empty());
    }

    void testValidation()
    {
        HoldStore hs(_store->db());
        Hold h = hold("H-1", 1000);
        h.reason = "";
        Status st = hs.add(a(), h, 10);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("hold H-1: reason") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             hs.add(a(), hold("H-1", 5), 10).code()); // past deadline
        CPPUNIT_ASSERT(!hs.get(a(), "H-1").has_value());
    }

    void testTenantIsolation()
    {
        HoldStore hs(_store->db());
        CPPUNIT_ASSERT(hs.add(a(), hold("H-1", 100), 10).isOk());
        CPPUNIT_ASSERT(!hs.get(b(), "H-1").has_value());
        CPPUNIT_ASSERT(hs.listPending(b(), 10).empty());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             hs.recordFirstApproval(b(), "H-1", "rev-b", 20).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             hs.decide(b(), "H-1", "approved", "rev-b", "", 20).code());
        CPPUNIT_ASSERT(hs.expireDue(b(), 1000).empty());
        std::optional<Hold> h = hs.get(a(), "H-1");
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), h->state);
        CPPUNIT_ASSERT(h->firstReviewer.empty());
        // B's own hold with the same id is separate.
        CPPUNIT_ASSERT(hs.add(b(), hold("H-1", 500), 10).isOk());
        CPPUNIT_ASSERT(hs.decide(b(), "H-1", "approved", "rev-b", "", 20).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), hs.get(a(), "H-1")->state);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), hs.expireDue(a(), 1000).size());
        CPPUNIT_ASSERT_EQUAL(std::string("approved"), hs.get(b(), "H-1")->state);
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static Hold hold(const std::string& id, Poco::Int64 deadline)
    {
        Hold h;
        h.holdId = id;
        h.messageId = "M-" + id;
        h.reason = "DV等支援措置";
        h.deadline = deadline;
        return h;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HoldStoreTest);
