// ProvisionStoreTest: idempotent receipt by message ID, permit replay refusal, conditional answers,
// isolation.
#include "adapters/ProvisionStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace chukan;

class ProvisionStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProvisionStoreTest);
    CPPUNIT_TEST(testAddGetAndResend);
    CPPUNIT_TEST(testPermitReplayRefused);
    CPPUNIT_TEST(testAnswerIsConditional);
    CPPUNIT_TEST(testLargeResponseRoundTrips);
    CPPUNIT_TEST(testListByState);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testTwoNodesReceiveSameMessage);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testAddGetAndResend()
    {
        ProvisionStore ps(_store->db());
        Result<ProvisionAdd> first = ps.add(a(), request("M-1", "P-1"), 100);
        CPPUNIT_ASSERT_MESSAGE(first.status().toString(), first.isOk());
        CPPUNIT_ASSERT(!first->duplicate);
        CPPUNIT_ASSERT_EQUAL(std::string("received"), first->row.state);
        std::optional<ProvisionRequest> row = ps.get(a(), "M-1");
        CPPUNIT_ASSERT(row.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("P-1"), row->permitId);
        CPPUNIT_ASSERT_EQUAL(std::string("FUGO-X"), row->fugo);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100), row->receivedAt);
        CPPUNIT_ASSERT(!row->answeredAt.has_value());
        CPPUNIT_ASSERT(row->response.empty());

        Result<ProvisionAdd> again = ps.add(a(), request("M-1", "P-1"), 200);
        CPPUNIT_ASSERT(again.isOk());
        CPPUNIT_ASSERT(again->duplicate);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100), again->row.receivedAt);

        const std::string answer("\x00\x01\xff encrypted \x00", 15);
        CPPUNIT_ASSERT(ps.setAnswered(a(), "M-1", "provided", answer, 300).isOk());
        Result<ProvisionAdd> resent = ps.add(a(), request("M-1", "P-1"), 400);
        CPPUNIT_ASSERT(resent->duplicate);
        CPPUNIT_ASSERT_EQUAL(std::string("answered"), resent->row.state);
        CPPUNIT_ASSERT_EQUAL(std::string("provided"), resent->row.outcome);
        CPPUNIT_ASSERT(answer == resent->row.response);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(300), resent->row.answeredAt.value());
    }

    void testPermitReplayRefused()
    {
        ProvisionStore ps(_store->db());
        CPPUNIT_ASSERT(ps.add(a(), request("M-1", "P-1"), 1).isOk());
        Result<ProvisionAdd> replay = ps.add(a(), request("M-2", "P-1"), 2);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, replay.status().code());
        CPPUNIT_ASSERT_MESSAGE(replay.status().message(),
                               replay.status().message().find("permit P-1 already used") !=
                                   std::string::npos);
        CPPUNIT_ASSERT(!ps.get(a(), "M-2").has_value());
        // The same message ID with another permit is not a resend.
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS,
                             ps.add(a(), request("M-1", "P-9"), 3).status().code());
    }

    void testAnswerIsConditional()
    {
        ProvisionStore ps(_store->db());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             ps.setAnswered(a(), "M-0", "provided", "x", 1).code());
        CPPUNIT_ASSERT(ps.add(a(), request("M-1", "P-1"), 1).isOk());
        CPPUNIT_ASSERT(ps.markHeld(a(), "M-1", 2).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, ps.markHeld(a(), "M-1", 3).code());
        CPPUNIT_ASSERT(ps.setAnswered(a(), "M-1", "refused", "", 4).isOk());
        Status second = ps.setAnswered(a(), "M-1", "provided", "y", 5);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, second.code());
        CPPUNIT_ASSERT(second.message().find("state is answered") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("refused"), ps.get(a(), "M-1")->outcome);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             ps.setAnswered(a(), "M-1", "", "", 6).code());
    }

    void testLargeResponseRoundTrips()
    {
        ProvisionStore ps(_store->db());
        std::string big;
        for (int i = 0; i < 200000; ++i)
            big += static_cast<char>(i * 7 % 256);
        CPPUNIT_ASSERT(ps.add(a(), request("M-1", "P-1"), 1).isOk());
        CPPUNIT_ASSERT(ps.setAnswered(a(), "M-1", "provided", big, 2).isOk());
        CPPUNIT_ASSERT(big == ps.get(a(), "M-1")->response);
        CPPUNIT_ASSERT(big == ps.listByState(a(), "answered", 5).at(0).response);
    }

    void testListByState()
    {
        ProvisionStore ps(_store->db());
        CPPUNIT_ASSERT(ps.add(a(), request("M-3", "P-3"), 30).isOk());
        CPPUNIT_ASSERT(ps.add(a(), request("M-1", "P-1"), 10).isOk());
        CPPUNIT_ASSERT(ps.add(a(), request("M-2", "P-2"), 20).isOk());
        CPPUNIT_ASSERT(ps.markHeld(a(), "M-2", 40).isOk());
        std::vector<ProvisionRequest> received = ps.listByState(a(), "received", 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), received.size());
        CPPUNIT_ASSERT_EQUAL(std::string("M-1"), received[0].messageId);
        CPPUNIT_ASSERT_EQUAL(std::string("M-3"), received[1].messageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), ps.listByState(a(), "received", 1).size());
        CPPUNIT_ASSERT_EQUAL(std::string("M-2"), ps.listByState(a(), "held", 10).at(0).messageId);
    }

    void testValidation()
    {
        ProvisionStore ps(_store->db());
        ProvisionRequest r = request("M-1", "P-1");
        r.itemCode = "TM0";
        Status st = ps.add(a(), r, 1).status();
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("M-1") != std::string::npos);
        CPPUNIT_ASSERT(st.message().find("特定個人情報名コード") != std::string::npos);
        r = request("M-1", "");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, ps.add(a(), r, 1).status().code());
        CPPUNIT_ASSERT(!ps.get(a(), "M-1").has_value());
    }

    void testTwoNodesReceiveSameMessage()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        std::atomic<int> fresh{0}, duplicates{0}, failures{0};
        std::string lastFailure;
        auto node = [&](Database& db)
        {
            ProvisionStore ps(db);
            for (int i = 0; i < 10; ++i)
            {
                Result<ProvisionAdd> r =
                    ps.add(a(), request("M-" + std::to_string(i), "P-" + std::to_string(i)), i);
                if (!r && ++failures)
                    lastFailure = r.status().toString();
                else if (r->duplicate)
                    ++duplicates;
                else
                    ++fresh;
            }
        };
        std::thread t1([&] { node(_store->db()); });
        std::thread t2([&] { node(*other); });
        t1.join();
        t2.join();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(lastFailure, 0, failures.load());
        CPPUNIT_ASSERT_EQUAL(10, fresh.load());
        CPPUNIT_ASSERT_EQUAL(10, duplicates.load());
    }

    void testTenantIsolation()
    {
        ProvisionStore ps(_store->db());
        CPPUNIT_ASSERT(ps.add(a(), request("M-1", "P-1"), 1).isOk());
        CPPUNIT_ASSERT(!ps.get(b(), "M-1").has_value());
        CPPUNIT_ASSERT(ps.listByState(b(), "received", 10).empty());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, ps.markHeld(b(), "M-1", 2).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND,
                             ps.setAnswered(b(), "M-1", "provided", "B", 3).code());
        // B may receive the same message ID and permit ID: its own row, not a duplicate or replay.
        Result<ProvisionAdd> mine = ps.add(b(), request("M-1", "P-1"), 4);
        CPPUNIT_ASSERT(mine.isOk());
        CPPUNIT_ASSERT(!mine->duplicate);
        CPPUNIT_ASSERT(ps.setAnswered(b(), "M-1", "provided", "B", 5).isOk());
        std::optional<ProvisionRequest> rowA = ps.get(a(), "M-1");
        CPPUNIT_ASSERT_EQUAL(std::string("received"), rowA->state);
        CPPUNIT_ASSERT(rowA->response.empty());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rowA->receivedAt);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), ps.listByState(a(), "received", 10).size());
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static ProvisionRequest request(const std::string& messageId, const std::string& permitId)
    {
        ProvisionRequest r;
        r.messageId = messageId;
        r.permitId = permitId;
        r.requesterCode = "3520630000000000";
        r.jimuCode = "JM01000000121000";
        r.procedureCode = "JT01010000000214";
        r.itemCode = "TM00000000000002";
        r.fugo = "FUGO-X";
        r.route = "ipn/route/1";
        return r;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProvisionStoreTest);
