// JobStoreTest: batch jobs — create, lease claim/renew/expiry across nodes, progress, finish and
// isolation.
#include "adapters/JobStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;

class JobStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JobStoreTest);
    CPPUNIT_TEST(testCreateGetList);
    CPPUNIT_TEST(testLease);
    CPPUNIT_TEST(testTwoNodesClaim);
    CPPUNIT_TEST(testProgressAndFinish);
    CPPUNIT_TEST(testPurgeFinished);
    CPPUNIT_TEST(testRenewWithSameValues);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testCreateGetList()
    {
        JobStore js(_store->db());
        CPPUNIT_ASSERT(js.create(a(), "J-2", "bulk-inquiry", 980000, 20).isOk());
        CPPUNIT_ASSERT(js.create(a(), "J-1", "retention", 0, 10).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS,
                             js.create(a(), "J-1", "retention", 0, 11).code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, js.create(a(), "J-3", "", 0, 11).code());
        std::optional<BatchJob> j = js.get(a(), "J-2");
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), j->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(980000), j->total);
        CPPUNIT_ASSERT(j->ownerNode.empty());
        CPPUNIT_ASSERT(!j->leaseUntil.has_value());
        std::vector<BatchJob> all = js.list(a(), "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("J-1"), all[0].jobId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), js.list(a(), "queued").size());
        CPPUNIT_ASSERT(js.list(a(), "running").empty());
    }

    void testLease()
    {
        JobStore js(_store->db());
        CPPUNIT_ASSERT(js.create(a(), "J-1", "bulk-inquiry", 10, 1).isOk());
        CPPUNIT_ASSERT(js.claim(a(), "J-1", "node-a", 100, 10).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("running"), js.get(a(), "J-1")->state);
        Status busy = js.claim(a(), "J-1", "node-b", 200, 50);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, busy.code());
        CPPUNIT_ASSERT(busy.message().find("leased by node node-a") != std::string::npos);
        CPPUNIT_ASSERT(js.claim(a(), "J-1", "node-a", 150, 60).isOk()); // renew
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(150), js.get(a(), "J-1")->leaseUntil.value());
        // node-a stops renewing; after the lease ends node-b takes over and node-a is locked out.
        CPPUNIT_ASSERT(js.claim(a(), "J-1", "node-b", 300, 151).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("node-b"), js.get(a(), "J-1")->ownerNode);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             js.updateProgress(a(), "J-1", "node-a", 5, 0, 152).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, js.claim(a(), "J-9", "node-a", 300, 152).code());
    }

    void testTwoNodesClaim()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        JobStore js(_store->db());
        for (int i = 0; i < 10; ++i)
            CPPUNIT_ASSERT(js.create(a(), "J-" + std::to_string(i), "bulk-inquiry", 1, 1).isOk());
        std::atomic<int> won{0};
        auto node = [&](Database& db, const std::string& name)
        {
            JobStore mine(db);
            for (int i = 0; i < 10; ++i)
                if (mine.claim(a(), "J-" + std::to_string(i), name, 1000, 5).isOk())
                    ++won;
        };
        std::thread t1([&] { node(_store->db(), "node-a"); });
        std::thread t2([&] { node(*other, "node-b"); });
        t1.join();
        t2.join();
        CPPUNIT_ASSERT_EQUAL(10, won.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(10), js.list(a(), "running").size());
    }

    void testProgressAndFinish()
    {
        JobStore js(_store->db());
        CPPUNIT_ASSERT(js.create(a(), "J-1", "bulk-inquiry", 10, 1).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             js.updateProgress(a(), "J-1", "node-a", 1, 0, 2).code());
        CPPUNIT_ASSERT(js.claim(a(), "J-1", "node-a", 100, 2).isOk());
        CPPUNIT_ASSERT(js.updateProgress(a(), "J-1", "node-a", 7, 1, 3).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             js.updateProgress(a(), "J-1", "node-a", -1, 0, 4).code());
        std::optional<BatchJob> j = js.get(a(), "J-1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), j->done);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), j->failed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), j->updatedAt);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             js.finish(a(), "J-1", "node-b", "done", "", 5).code());
        CPPUNIT_ASSERT(
            js.finish(a(), "J-1", "node-a", "failed", "照会ファイル 3 行目: 事務コード不正", 5)
                .isOk());
        j = js.get(a(), "J-1");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), j->state);
        CPPUNIT_ASSERT_EQUAL(std::string("照会ファイル 3 行目: 事務コード不正"), j->error);
        CPPUNIT_ASSERT(j->ownerNode.empty());
        Status again = js.claim(a(), "J-1", "node-a", 100, 6);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, again.code());
        CPPUNIT_ASSERT(again.message().find("already failed") != std::string::npos);
        // A queued job can be aborted without a lease.
        CPPUNIT_ASSERT(js.create(a(), "J-2", "retention", 0, 7).isOk());
        CPPUNIT_ASSERT(js.finish(a(), "J-2", "", "aborted", "operator request", 8).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             js.finish(a(), "J-2", "", "paused", "", 9).code());
    }

    void testRenewWithSameValues()
    {
        // MariaDB reports 0 changed rows for an UPDATE that writes what is there already.
        JobStore js(_store->db());
        CPPUNIT_ASSERT(js.create(a(), "J-1", "retention", 0, 1).isOk());
        CPPUNIT_ASSERT(js.claim(a(), "J-1", "node-a", 100, 2).isOk());
        CPPUNIT_ASSERT(js.claim(a(), "J-1", "node-a", 100, 2).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             js.claim(a(), "J-1", "node-b", 100, 2).code());
        CPPUNIT_ASSERT(js.updateProgress(a(), "J-1", "node-a", 3, 0, 2).isOk());
        CPPUNIT_ASSERT(js.updateProgress(a(), "J-1", "node-a", 3, 0, 2).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION,
                             js.updateProgress(a(), "J-1", "node-b", 3, 0, 2).code());
    }

    void testPurgeFinished()
    {
        JobStore js(_store->db());
        for (const char* id : {"R-1", "R-2", "R-3", "R-4"})
            CPPUNIT_ASSERT(js.create(a(), id, "retention", 0, 1).isOk());
        CPPUNIT_ASSERT(js.create(a(), "B-1", "bulk-inquiry", 1, 1).isOk());
        CPPUNIT_ASSERT(js.finish(a(), "R-1", "", "aborted", "", 10).isOk());
        CPPUNIT_ASSERT(js.claim(a(), "R-2", "n", 100, 10).isOk());
        CPPUNIT_ASSERT(js.finish(a(), "R-2", "n", "done", "", 20).isOk());
        CPPUNIT_ASSERT(js.claim(a(), "R-3", "n", 100, 10).isOk());           // still running
        CPPUNIT_ASSERT(js.finish(a(), "B-1", "", "aborted", "", 10).isOk()); // another kind
        CPPUNIT_ASSERT(js.create(b(), "R-1", "retention", 0, 1).isOk());
        CPPUNIT_ASSERT(js.finish(b(), "R-1", "", "aborted", "", 10).isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), js.purgeFinished(a(), "retention", 20));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), js.purgeFinished(a(), "retention", 21));
        CPPUNIT_ASSERT(js.get(a(), "R-3").has_value());
        CPPUNIT_ASSERT(js.get(a(), "R-4").has_value()); // queued
        CPPUNIT_ASSERT(js.get(a(), "B-1").has_value());
        CPPUNIT_ASSERT(js.get(b(), "R-1").has_value());
    }

    void testTenantIsolation()
    {
        JobStore js(_store->db());
        CPPUNIT_ASSERT(js.create(a(), "J-1", "bulk-inquiry", 10, 1).isOk());
        CPPUNIT_ASSERT(!js.get(b(), "J-1").has_value());
        CPPUNIT_ASSERT(js.list(b(), "").empty());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, js.claim(b(), "J-1", "node-b", 100, 2).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             js.updateProgress(b(), "J-1", "node-b", 1, 1, 2).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, js.finish(b(), "J-1", "", "aborted", "", 2).code());
        std::optional<BatchJob> j = js.get(a(), "J-1");
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), j->state);
        CPPUNIT_ASSERT(j->ownerNode.empty());
        CPPUNIT_ASSERT(js.create(b(), "J-1", "retention", 0, 3).isOk());
        CPPUNIT_ASSERT(js.claim(b(), "J-1", "node-b", 100, 4).isOk());
        CPPUNIT_ASSERT(
            js.claim(a(), "J-1", "node-a", 100, 4).isOk()); // A's job is not leased by B's claim
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(JobStoreTest);
