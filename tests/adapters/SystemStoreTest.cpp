// SystemStoreTest: the connected-system allow-list — registration, validation, lookup by
// certificate, isolation.
#include "adapters/SystemStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;

class SystemStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SystemStoreTest);
    CPPUNIT_TEST(testAddGetList);
    CPPUNIT_TEST(testDuplicates);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testEnable);
    CPPUNIT_TEST(testTenantIsolation);
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
        SystemStore ss(_store->db());
        CPPUNIT_ASSERT(ss.add(a(), system("yobo", 'a'), 10).isOk());
        CPPUNIT_ASSERT(ss.add(a(), system("juki", 'b'), 11).isOk());
        std::optional<ConnectedSystem> s = ss.get(a(), "yobo");
        CPPUNIT_ASSERT(s.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("予防接種システム"), s->name);
        CPPUNIT_ASSERT(s->enabled);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), s->operations.size());
        CPPUNIT_ASSERT(s->operations.count("replica.register") == 1);
        CPPUNIT_ASSERT(s->jimuCodes.count("JM01000000121000") == 1);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), s->createdAt);
        std::optional<ConnectedSystem> byFp = ss.findByFingerprint(a(), std::string(64, 'b'));
        CPPUNIT_ASSERT_EQUAL(std::string("juki"), byFp->systemId);
        CPPUNIT_ASSERT(!ss.findByFingerprint(a(), std::string(64, 'c')).has_value());
        std::vector<ConnectedSystem> all = ss.list(a());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("juki"), all[0].systemId);
    }

    void testDuplicates()
    {
        SystemStore ss(_store->db());
        CPPUNIT_ASSERT(ss.add(a(), system("yobo", 'a'), 10).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, ss.add(a(), system("yobo", 'b'), 11).code());
        Status fp = ss.add(a(), system("zeimu", 'a'), 11);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, fp.code());
        CPPUNIT_ASSERT(fp.message().find("fingerprint") != std::string::npos);
    }

    void testValidation()
    {
        SystemStore ss(_store->db());
        ConnectedSystem s = system("yobo", 'a');
        s.certFingerprint = std::string(64, 'A');
        Status st = ss.add(a(), s, 1);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("connected system yobo: certificate fingerprint") !=
                       std::string::npos);
        s = system("yobo", 'a');
        s.jimuCodes.insert("JM01");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, ss.add(a(), s, 1).code());
        s = system("yobo", 'a');
        s.operations.insert("Inquiry,all");
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, ss.add(a(), s, 1).code());
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, ss.add(a(), system("Yobo!", 'a'), 1).code());
        CPPUNIT_ASSERT(ss.list(a()).empty());
    }

    void testEnable()
    {
        SystemStore ss(_store->db());
        CPPUNIT_ASSERT(ss.add(a(), system("yobo", 'a'), 10).isOk());
        CPPUNIT_ASSERT(ss.setEnabled(a(), "yobo", false).isOk());
        CPPUNIT_ASSERT(!ss.get(a(), "yobo")->enabled);
        CPPUNIT_ASSERT(!ss.findByFingerprint(a(), std::string(64, 'a'))->enabled);
        CPPUNIT_ASSERT(ss.setEnabled(a(), "yobo", true).isOk());
        CPPUNIT_ASSERT(ss.get(a(), "yobo")->enabled);
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, ss.setEnabled(a(), "nope", true).code());
    }

    void testTenantIsolation()
    {
        SystemStore ss(_store->db());
        CPPUNIT_ASSERT(ss.add(a(), system("yobo", 'a'), 10).isOk());
        CPPUNIT_ASSERT(!ss.get(b(), "yobo").has_value());
        CPPUNIT_ASSERT(!ss.findByFingerprint(b(), std::string(64, 'a')).has_value());
        CPPUNIT_ASSERT(ss.list(b()).empty());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, ss.setEnabled(b(), "yobo", false).code());
        CPPUNIT_ASSERT(ss.get(a(), "yobo")->enabled);
        // B may register its own system with the same id and certificate.
        CPPUNIT_ASSERT(ss.add(b(), system("yobo", 'a'), 11).isOk());
        CPPUNIT_ASSERT(ss.setEnabled(b(), "yobo", false).isOk());
        CPPUNIT_ASSERT(ss.get(a(), "yobo")->enabled);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10),
                             ss.findByFingerprint(a(), std::string(64, 'a'))->createdAt);
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static ConnectedSystem system(const std::string& id, char fp)
    {
        ConnectedSystem s;
        s.systemId = id;
        s.name = "予防接種システム";
        s.certFingerprint = std::string(64, fp);
        s.operations = {"replica.register", "inquiry"};
        s.jimuCodes = {"JM01000000121000"};
        return s;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SystemStoreTest);
