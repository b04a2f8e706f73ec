// TenantStoreTest: registering tenants, duplicates, and bad institution codes.
#include "adapters/Migrator.h"
#include "adapters/TenantStore.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class TenantStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TenantStoreTest);
    CPPUNIT_TEST(testAddGetList);
    CPPUNIT_TEST(testDuplicateRefused);
    CPPUNIT_TEST(testBadInstitutionCode);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testAddGetList()
    {
        TenantStore t(_store->db());
        CPPUNIT_ASSERT(t.add(chiba(), "千葉市", "1210020000000000", 5).isOk());
        CPPUNIT_ASSERT(t.add(hofu(), "防府市", "3520630000000000", 6).isOk());
        std::optional<TenantRow> row = t.get(chiba());
        CPPUNIT_ASSERT(row.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("千葉市"), row->name);
        CPPUNIT_ASSERT_EQUAL(std::string("1210020000000000"), row->institutionCode);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), row->createdAt);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), t.listAll().size());
    }

    void testDuplicateRefused()
    {
        TenantStore t(_store->db());
        CPPUNIT_ASSERT(t.add(chiba(), "千葉市", "1210020000000000", 5).isOk());
        Status again = t.add(chiba(), "千葉市", "1210020000000000", 5);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, again.code());
    }

    void testBadInstitutionCode()
    {
        TenantStore t(_store->db());
        Status st = t.add(chiba(), "千葉市", "12100", 5);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("機関コード") != std::string::npos);
        CPPUNIT_ASSERT(!t.get(chiba()).has_value());
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }
    static TenantCode hofu() { return TenantCode::parse("352063").value(); }
    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TenantStoreTest);
