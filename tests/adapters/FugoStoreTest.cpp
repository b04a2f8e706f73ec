// FugoStoreTest: the atena ↔ 符号 map, its uniqueness rules and tenant isolation.
#include "adapters/FugoStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class FugoStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FugoStoreTest);
    CPPUNIT_TEST(testRequestThenObtain);
    CPPUNIT_TEST(testConflictsRefused);
    CPPUNIT_TEST(testBadAtena);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testRequestThenObtain()
    {
        FugoStore f(_store->db());
        CPPUNIT_ASSERT(f.markRequested(a(), "000000000000001", 10).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("requested"), f.findByAtena(a(), "000000000000001")->state);
        CPPUNIT_ASSERT(f.markRequested(a(), "000000000000001", 11).isOk()); // idempotent
        CPPUNIT_ASSERT(f.putObtained(a(), "000000000000001", "FUGO-A-1", 20).isOk());
        std::optional<FugoRow> row = f.findByFugo(a(), "FUGO-A-1");
        CPPUNIT_ASSERT(row.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("000000000000001"), row->atenaNo);
        CPPUNIT_ASSERT_EQUAL(std::string("obtained"), row->state);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), row->requestedAt);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(20), row->obtainedAt.value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), f.countObtained(a()));
        CPPUNIT_ASSERT(f.putObtained(a(), "000000000000001", "FUGO-A-1", 21).isOk()); // same again: fine
    }

    void testConflictsRefused()
    {
        FugoStore f(_store->db());
        CPPUNIT_ASSERT(f.putObtained(a(), "000000000000001", "FUGO-1", 1).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, f.putObtained(a(), "000000000000001", "FUGO-2", 2).code());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, f.putObtained(a(), "000000000000002", "FUGO-1", 2).code());
        CPPUNIT_ASSERT_EQUAL(std::string("FUGO-1"), f.findByAtena(a(), "000000000000001")->fugo);
        CPPUNIT_ASSERT(!f.findByAtena(a(), "000000000000002").has_value());
    }

    void testBadAtena()
    {
        FugoStore f(_store->db());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, f.markRequested(a(), "12345", 1).code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, f.putObtained(a(), "00000000000000x", "F", 1).code());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), f.countObtained(a()));
    }

    void testTenantIsolation()
    {
        FugoStore f(_store->db());
        CPPUNIT_ASSERT(f.putObtained(a(), "000000000000001", "FUGO-A", 1).isOk());
        CPPUNIT_ASSERT(!f.findByAtena(b(), "000000000000001").has_value());
        CPPUNIT_ASSERT(!f.findByFugo(b(), "FUGO-A").has_value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), f.countObtained(b()));
        // B may use the same atena number and even the same 符号 string: separate rows.
        CPPUNIT_ASSERT(f.putObtained(b(), "000000000000001", "FUGO-A", 2).isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), f.findByAtena(a(), "000000000000001")->obtainedAt.value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), f.findByAtena(b(), "000000000000001")->obtainedAt.value());
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }
    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FugoStoreTest);
