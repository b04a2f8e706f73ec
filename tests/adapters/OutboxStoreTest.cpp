// OutboxStoreTest: idempotent queuing, one claim per attempt across nodes, retry and final states, isolation.
#include "adapters/Migrator.h"
#include "adapters/OutboxStore.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class OutboxStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OutboxStoreTest);
    CPPUNIT_TEST(testAddIsIdempotent);
    CPPUNIT_TEST(testClaimOncePerAttempt);
    CPPUNIT_TEST(testRetryAndSent);
    CPPUNIT_TEST(testFailedIsFinal);
    CPPUNIT_TEST(testLargeBodyRoundTrips);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST(testBadInput);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testAddIsIdempotent()
    {
        OutboxStore o(_store->db());
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000001", "first"), 10).isOk());
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000001", "second"), 20).isOk());
        std::optional<OutboxMessage> m = o.get(a(), "m-00000001");
        CPPUNIT_ASSERT(m.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("first"), m->body);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), m->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), m->createdAt);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), o.countByState(a(), "pending"));
    }

    void testClaimOncePerAttempt()
    {
        OutboxStore o(_store->db());
        std::shared_ptr<Database> other = _store->openAnother();
        OutboxStore o2(*other);
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000001", "x"), 10).isOk());
        std::vector<OutboxMessage> d1 = o.due(a(), 10, 10), d2 = o2.due(a(), 10, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), d1.size());
        CPPUNIT_ASSERT(o.claim(a(), d1[0], 1000));
        CPPUNIT_ASSERT(!o2.claim(a(), d2[0], 1000)); // the other node read the same attempt: refused
        CPPUNIT_ASSERT(o.due(a(), 999, 10).empty()); // leased until 1000
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), o.due(a(), 1000, 10).size());
        CPPUNIT_ASSERT_EQUAL(1, o.get(a(), "m-00000001")->attempts);
        // The worker's listing: the same messages and attempts, without their bodies.
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000002", "body two"), 20).isOk());
        std::vector<OutboxMessage> heads = o.dueWithoutBody(a(), 1000, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), heads.size());
        CPPUNIT_ASSERT_EQUAL(std::string("m-00000002"), heads[0].messageId); // due at 20, then 1000
        CPPUNIT_ASSERT(heads[0].body.empty());
        CPPUNIT_ASSERT_EQUAL(1, heads[1].attempts);
        CPPUNIT_ASSERT(o.dueWithoutBody(b(), 1000, 10).empty());
        CPPUNIT_ASSERT(o.claim(a(), heads[1], 2000));
        CPPUNIT_ASSERT_EQUAL(std::string("body two"), o.get(a(), "m-00000002")->body);
    }

    void testRetryAndSent()
    {
        OutboxStore o(_store->db());
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000001", "x"), 10).isOk());
        OutboxMessage m = o.due(a(), 10, 1).front();
        CPPUNIT_ASSERT(o.claim(a(), m, 100));
        CPPUNIT_ASSERT(o.markRetry(a(), "m-00000001", 500, "UNAVAILABLE: network down").isOk());
        CPPUNIT_ASSERT(o.due(a(), 499, 10).empty());
        OutboxMessage again = o.due(a(), 500, 10).front();
        CPPUNIT_ASSERT_EQUAL(std::string("UNAVAILABLE: network down"), again.lastError);
        CPPUNIT_ASSERT(o.claim(a(), again, 600));
        CPPUNIT_ASSERT(o.markSent(a(), "m-00000001", 550).isOk());
        CPPUNIT_ASSERT(o.due(a(), 10000, 10).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), o.get(a(), "m-00000001")->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(550), o.get(a(), "m-00000001")->sentAt.value());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, o.markSent(a(), "m-nothere0", 1).code());
    }

    void testFailedIsFinal()
    {
        OutboxStore o(_store->db());
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000001", "x"), 10).isOk());
        CPPUNIT_ASSERT(o.markFailed(a(), "m-00000001", "PERMIT_REPLAYED").isOk());
        CPPUNIT_ASSERT(o.due(a(), 10000, 10).empty());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), o.countByState(a(), "failed"));
    }

    void testLargeBodyRoundTrips()
    {
        OutboxStore o(_store->db());
        std::string body(300000, '\0');
        for (std::size_t i = 0; i < body.size(); ++i)
            body[i] = static_cast<char>(i * 131 % 256);
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000002", body), 10).isOk());
        CPPUNIT_ASSERT(body == o.get(a(), "m-00000002")->body);
    }

    void testTenantIsolation()
    {
        OutboxStore o(_store->db());
        CPPUNIT_ASSERT(o.add(a(), msg("m-00000001", "for A"), 10).isOk());
        CPPUNIT_ASSERT(!o.get(b(), "m-00000001").has_value());
        CPPUNIT_ASSERT(o.due(b(), 1000, 10).empty());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), o.countByState(b(), "pending"));
        OutboxMessage m = o.due(a(), 10, 1).front();
        CPPUNIT_ASSERT(!o.claim(b(), m, 100));
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, o.markSent(b(), "m-00000001", 5).code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, o.markRetry(b(), "m-00000001", 5, "x").code());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, o.markFailed(b(), "m-00000001", "x").code());
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), o.get(a(), "m-00000001")->state);
        // B may queue the same message id: its own row.
        CPPUNIT_ASSERT(o.add(b(), msg("m-00000001", "for B"), 11).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("for A"), o.get(a(), "m-00000001")->body);
        CPPUNIT_ASSERT_EQUAL(std::string("for B"), o.get(b(), "m-00000001")->body);
    }

    void testBadInput()
    {
        OutboxStore o(_store->db());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, o.add(a(), msg("", "x"), 1).code());
        OutboxMessage m = msg("m-00000003", "x");
        m.destination = "";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, o.add(a(), m, 1).code());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), o.countByState(a(), "pending"));
    }

private:
    static OutboxMessage msg(const std::string& id, const std::string& body)
    {
        OutboxMessage m;
        m.messageId = id;
        m.kind = "ProvisionResponse";
        m.destination = "IPN";
        m.body = body;
        return m;
    }
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }
    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxStoreTest);
