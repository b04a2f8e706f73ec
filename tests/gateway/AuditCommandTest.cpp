// AuditCommandTest: chukanctl audit verify finds an altered, deleted or truncated entry by seq, and
// audit purge removes only entries past retention, verifies them first and records itself.
#include "gateway/AuditCommand.h"
#include "adapters/AuditStore.h"
#include "tests/gateway/CtlStoreFixture.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using namespace Poco::Data::Keywords;

namespace
{

const Poco::Int64 START = 1767225600000000LL; // 2026-01-01T00:00:00Z

TenantCode hofu()
{
    return TenantCode::parse("352063").value();
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class AuditCommandTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuditCommandTest);
    CPPUNIT_TEST(testVerifyIntactAndBroken);
    CPPUNIT_TEST(testVerifyTruncated);
    CPPUNIT_TEST(testPurge);
    CPPUNIT_TEST(testUsageErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::CtlStoreFixture);
        AuditStore audit(_f->store.db());
        for (int i = 1; i <= 4; ++i)
        {
            AuditEntry e;
            e.staffId = "staff-" + std::to_string(i);
            e.at = START + i * 1000000LL;
            e.operation = "hold.view";
            e.target = "H-" + std::to_string(i);
            e.outcome = "ok";
            CPPUNIT_ASSERT(audit.append(hofu(), e).isOk());
        }
    }
    void tearDown() override { _f.reset(); }

    test::CtlRun audit(const std::vector<std::string>& args)
    {
        AuditCommand c;
        return _f->run(c, args);
    }

    void sql(const std::string& statement)
    {
        Poco::Data::Session s = _f->store.db().session();
        s << statement, now;
    }

    void testVerifyIntactAndBroken()
    {
        test::CtlRun r = audit({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "352063\tintact\t4 entries verified after "
                                                      "checkpoint seq 0, head seq 4"));
        CPPUNIT_ASSERT_EQUAL(0, audit({"verify", "352063"}).code);

        sql("UPDATE audit_log SET outcome = 'denied' WHERE seq = 2");
        r = audit({"verify", "--tenant", "352063"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "352063\tBROKEN\taudit_log of tenant 352063: "
                                                      "seq 2: hash mismatch"));

        sql("DELETE FROM audit_log WHERE seq = 2");
        r = audit({"verify"});
        CPPUNIT_ASSERT_EQUAL(1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "seq 2: missing"));
    }

    void testVerifyTruncated()
    {
        sql("DELETE FROM audit_log WHERE seq = 4");
        test::CtlRun r = audit({"verify"});
        CPPUNIT_ASSERT_EQUAL(1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "seq 4: missing at the end"));
    }

    void testPurge()
    {
        test::TestClockEnvironment testClock;
        test::CtlRun r = audit({"purge", "--tenant", "352063", "--now", "2030-01-01T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT(contains(r.out, "nothing to purge"));

        r = audit({"purge", "--tenant", "352063", "--now", "2034-01-01T00:00:00Z", "--dry-run"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "would purge 4 entries, seq 1 to 4"));

        r = audit({"purge", "--tenant", "352063", "--now", "2034-01-01T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "purged 4 entries, seq 1 to 4"));
        CPPUNIT_ASSERT(contains(r.out, "recorded as seq 5"));
        std::vector<AuditEntry> left =
            AuditStore(_f->store.db()).query(hofu(), AuditFilter(), 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), left.size());
        CPPUNIT_ASSERT_EQUAL(std::string("retention.purge"), left[0].operation);
        CPPUNIT_ASSERT_EQUAL(std::string("chukanctl"), left[0].staffId);
        r = audit({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT(contains(r.out, "1 entries verified after checkpoint seq 4, head seq 5"));
    }

    void testUsageErrors()
    {
        CPPUNIT_ASSERT_EQUAL(2, audit({}).code);
        CPPUNIT_ASSERT_EQUAL(2, audit({"purge"}).code);
        CPPUNIT_ASSERT_EQUAL(2, audit({"verify", "12"}).code);
        CPPUNIT_ASSERT_EQUAL(2, audit({"verify", "352063", "extra"}).code);
        test::CtlRun r = audit({"purge", "--tenant", "352063", "--now", "2034-01-01T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL(2, r.code); // --now needs the test clock
        CPPUNIT_ASSERT(contains(AuditCommand().help(), "exit codes"));
    }

private:
    std::unique_ptr<test::CtlStoreFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuditCommandTest);
