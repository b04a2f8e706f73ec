// RecordsCommandTest: chukanctl records verify names the seq and reason of every kind of tampering,
// export writes CSV and JSON without a 個人番号, purge deletes only past retention, verifies first
// and records itself (chain and audit log).
#include "gateway/RecordsCommand.h"
#include "adapters/AuditStore.h"
#include "adapters/RecordStore.h"
#include "adapters/TenantStore.h"
#include "codecs/MyNumber.h"
#include "tests/gateway/CtlStoreFixture.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace chukan;
using namespace Poco::Data::Keywords;

namespace
{

const std::string INSTITUTION = "1210020000000000";
const Poco::Int64 SECOND = 1000000;
const Poco::Int64 START = 1767225600000000LL; // 2026-01-01T00:00:00Z

TenantCode chiba()
{
    return TenantCode::parse("121002").value();
}

ProvisionRecord record(int n)
{
    ProvisionRecord r;
    r.kind = n % 2 ? "inquiry" : "provision";
    r.requesterCode = n % 2 ? INSTITUTION : "3520630000000000";
    r.providerCode = n % 2 ? "3520630000000000" : INSTITUTION;
    r.jimuCode = "JM01000000121000";
    r.procedureCode = "JT01010000000214";
    r.itemCode = "TM00000000000002";
    r.subjectFugo = "FUGO-TEST-" + std::to_string(n);
    r.subjectAtena = n == 3 ? "000000000000777" : "000000000000101";
    r.requestedAt = START + n * SECOND;
    r.providedAt = START + n * SECOND + 500;
    r.outcome = "provided";
    r.nondisclosure = n == 4;
    r.refId = "IQ-TEST-" + std::to_string(n);
    r.createdAt = START + n * SECOND + 900;
    return r;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class RecordsCommandTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RecordsCommandTest);
    CPPUNIT_TEST(testVerifyIntact);
    CPPUNIT_TEST(testVerifyAltered);
    CPPUNIT_TEST(testVerifyDeleted);
    CPPUNIT_TEST(testVerifyInserted);
    CPPUNIT_TEST(testVerifyTruncated);
    CPPUNIT_TEST(testExportCsv);
    CPPUNIT_TEST(testExportJson);
    CPPUNIT_TEST(testExportWithholdsMyNumber);
    CPPUNIT_TEST(testPurgeOnlyPastRetention);
    CPPUNIT_TEST(testPurgeRefusesBrokenChain);
    CPPUNIT_TEST(testUsageErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::CtlStoreFixture);
        CPPUNIT_ASSERT(
            TenantStore(_f->store.db()).add(chiba(), "千葉市", INSTITUTION, START).isOk());
        RecordStore records(_f->store.db());
        for (int n = 1; n <= 5; ++n)
            CPPUNIT_ASSERT(records.append(chiba(), record(n)).isOk());
    }
    void tearDown() override { _f.reset(); }

    test::CtlRun records(const std::vector<std::string>& args)
    {
        RecordsCommand c;
        return _f->run(c, args);
    }

    void sql(const std::string& statement)
    {
        Poco::Data::Session s = _f->store.db().session();
        s << statement, now;
    }

    Poco::Int64 count(const std::string& table)
    {
        Poco::Data::Session s = _f->store.db().session();
        Poco::Int64 n = 0;
        s << "SELECT COUNT(*) FROM " + table, into(n), now;
        return n;
    }

    void testVerifyIntact()
    {
        test::CtlRun r = records({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "121002\tintact\t5 records verified after "
                                                      "checkpoint seq 0, head seq 5 hash "));
        CPPUNIT_ASSERT(contains(r.err, "1 chain, 1 intact, 0 broken, 5 records verified"));
        // One tenant, named as an option or positionally.
        CPPUNIT_ASSERT_EQUAL(0, records({"verify", "--tenant", "121002"}).code);
        CPPUNIT_ASSERT_EQUAL(0, records({"verify", "121002"}).code);
    }

    void testVerifyAltered()
    {
        sql("UPDATE provision_records SET outcome = 'refused' WHERE seq = 3");
        test::CtlRun r = records({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "121002\tBROKEN\tprovision_records of tenant "
                                                      "121002: seq 3: hash mismatch"));
    }

    void testVerifyDeleted()
    {
        sql("DELETE FROM provision_records WHERE seq = 2");
        test::CtlRun r = records({"verify", "--tenant", "121002"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "seq 2: missing (chain jumps from 1 to 3)"));
    }

    void testVerifyInserted()
    {
        // A copy of seq 5 added as seq 6 with a hash of its own: beyond the head.
        sql("INSERT INTO provision_records SELECT tenant_code, 6, kind, requester_code, "
            "provider_code, jimu_code, procedure_code, item_code, subject_fugo, subject_atena, "
            "requested_at, provided_at, outcome, reason, nondisclosure, ref_id, created_at, hash, "
            "hash FROM provision_records WHERE seq = 5");
        test::CtlRun r = records({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "seq 6: beyond the chain head (seq 5)"));

        // Inserted in the middle: everything after moved up one, the chain no longer links.
        sql("DELETE FROM provision_records WHERE seq = 6");
        sql("UPDATE provision_records SET seq = seq + 10 WHERE seq >= 3");
        sql("UPDATE provision_records SET seq = seq - 9 WHERE seq >= 13");
        sql("INSERT INTO provision_records SELECT tenant_code, 3, kind, requester_code, "
            "provider_code, jimu_code, procedure_code, item_code, subject_fugo, subject_atena, "
            "requested_at, provided_at, outcome, reason, nondisclosure, ref_id, created_at, "
            "prev_hash, hash FROM provision_records WHERE seq = 2");
        sql("UPDATE chain_heads SET seq = 6 WHERE chain = 'provision_records'");
        r = records({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "seq 3: hash mismatch"));
    }

    void testVerifyTruncated()
    {
        sql("DELETE FROM provision_records WHERE seq >= 4");
        test::CtlRun r = records({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "seq 4 to 5: missing at the end (the chain "
                                                      "head says seq 5)"));
    }

    void testExportCsv()
    {
        test::CtlRun r = records({"export", "--tenant", "121002"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        std::istringstream lines(r.out);
        std::vector<std::string> rows;
        for (std::string l; std::getline(lines, l);)
            rows.push_back(l);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), rows.size());
        CPPUNIT_ASSERT(contains(rows[0], "seq,kind,requester_code,provider_code"));
        CPPUNIT_ASSERT(contains(rows[1], "1,inquiry,1210020000000000,3520630000000000"));
        CPPUNIT_ASSERT(contains(rows[1], "2026-01-01T00:00:01.000500Z")); // provided_at, exact
        CPPUNIT_ASSERT(contains(r.err, "5 records written"));

        // One resident's disclosure: 不開示 (seq 4) left out.
        r = records({"export", "--tenant", "121002", "--atena", "000000000000101", "--disclosure"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT(contains(r.err, "3 records written"));
        CPPUNIT_ASSERT(!contains(r.out, "IQ-TEST-4"));
        CPPUNIT_ASSERT(!contains(r.out, "IQ-TEST-3"));

        // To a file through FILE.part.
        const std::string file = _f->dir() + "/records.csv";
        r = records({"export", "--tenant", "121002", "--out", file, "--encoding", "cp932"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT(Poco::File(file).exists());
        CPPUNIT_ASSERT(!Poco::File(file + ".part").exists());
    }

    void testExportJson()
    {
        test::CtlRun r = records({"export", "--tenant", "121002", "--format", "json", "--from",
                                  "2026-01-01T09:00:02+09:00"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        Poco::JSON::Parser parser;
        Poco::JSON::Object::Ptr doc = parser.parse(r.out).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("121002"), doc->getValue<std::string>("tenant"));
        CPPUNIT_ASSERT_EQUAL(4, doc->getValue<int>("count"));
        CPPUNIT_ASSERT_EQUAL(0, doc->getValue<int>("withheld"));
        Poco::JSON::Array::Ptr rows = doc->getArray("records");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), rows->size());
        Poco::JSON::Object::Ptr first = rows->getObject(0);
        CPPUNIT_ASSERT_EQUAL(2, first->getValue<int>("seq"));
        CPPUNIT_ASSERT_EQUAL(std::string("FUGO-TEST-2"),
                             first->getValue<std::string>("subject_fugo"));
        CPPUNIT_ASSERT_EQUAL(64, static_cast<int>(first->getValue<std::string>("hash").size()));
        CPPUNIT_ASSERT(rows->getObject(2)->getValue<bool>("nondisclosure"));

        r = records({"export", "--tenant", "121002", "--format", "json", "--encoding", "cp932"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
    }

    void testExportWithholdsMyNumber()
    {
        // A number with a valid check digit, made here (synthetic), in a free-text field.
        const std::string eleven = "98765432101";
        const std::string number = eleven + std::to_string(MyNumber::checkDigit(eleven));
        ProvisionRecord bad = record(6);
        bad.reason = "note " + number;
        CPPUNIT_ASSERT(RecordStore(_f->store.db()).append(chiba(), bad).isOk());
        for (const char* format : {"csv", "json"})
        {
            test::CtlRun r = records({"export", "--tenant", "121002", "--format", format});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
            CPPUNIT_ASSERT_MESSAGE(r.all(), !contains(r.all(), number));
            CPPUNIT_ASSERT(contains(r.err, "seq 6: reason holds a 12-digit run"));
            CPPUNIT_ASSERT(contains(r.out, "IQ-TEST-5")); // the others are still exported
            CPPUNIT_ASSERT(!contains(r.out, "IQ-TEST-6"));
        }
    }

    void testPurgeOnlyPastRetention()
    {
        // Without the test clock, --now is refused.
        test::CtlRun r = records({"purge", "--tenant", "121002", "--now", "2040-01-01T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        CPPUNIT_ASSERT(contains(r.err, "CHUKAN_TEST_CLOCK=1"));

        test::TestClockEnvironment testClock;
        // Within the 7 years (2557 days): nothing goes.
        r = records({"purge", "--tenant", "121002", "--now", "2032-12-31T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "nothing to purge"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), count("provision_records"));

        // A dry run says what would go and changes nothing.
        r = records({"purge", "--tenant", "121002", "--now", "2033-06-01T00:00:00Z", "--dry-run"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "would purge 5 records, seq 1 to 5"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), count("provision_records"));

        r = records({"purge", "--tenant", "121002", "--now", "2033-06-01T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.out, contains(r.out, "purged 5 records, seq 1 to 5"));
        CPPUNIT_ASSERT(contains(r.out, "recorded as seq 6 (chukanctl-20330601T000000Z)"));

        // The purge is itself a record, and the chain still verifies from its checkpoint.
        RecordStore store(_f->store.db());
        std::vector<ProvisionRecord> left = store.query(chiba(), RecordFilter(), 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), left.size());
        CPPUNIT_ASSERT_EQUAL(std::string("purge"), left[0].kind);
        CPPUNIT_ASSERT_EQUAL(INSTITUTION, left[0].requesterCode);
        CPPUNIT_ASSERT(contains(left[0].reason, "purged 5 records, seq 1 to 5"));
        r = records({"verify"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 0, r.code);
        CPPUNIT_ASSERT(contains(r.out, "1 records verified after checkpoint seq 5, head seq 6"));
        // And each run (not the dry run) is in the staff audit log.
        AuditFilter f;
        f.operation = "records.purge";
        std::vector<AuditEntry> audit = AuditStore(_f->store.db()).query(chiba(), f, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), audit.size());
        CPPUNIT_ASSERT_EQUAL(std::string("nothing"), audit[0].outcome);
        CPPUNIT_ASSERT_EQUAL(std::string("chukanctl"), audit[1].staffId);
        CPPUNIT_ASSERT_EQUAL(std::string("purged"), audit[1].outcome);
        CPPUNIT_ASSERT(
            contains(audit[1].detail, "purged 5 records, seq 1 to 5, recorded as seq 6"));
    }

    void testPurgeRefusesBrokenChain()
    {
        sql("UPDATE provision_records SET subject_fugo = 'FUGO-OTHER' WHERE seq = 2");
        test::TestClockEnvironment testClock;
        test::CtlRun r = records({"purge", "--tenant", "121002", "--now", "2040-01-01T00:00:00Z"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.all(), 1, r.code);
        CPPUNIT_ASSERT_MESSAGE(r.err, contains(r.err, "seq 2: hash mismatch"));
        CPPUNIT_ASSERT(contains(r.err, "purge refused"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), count("provision_records"));
        AuditFilter f;
        f.operation = "records.purge";
        std::vector<AuditEntry> audit = AuditStore(_f->store.db()).query(chiba(), f, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), audit.size());
        CPPUNIT_ASSERT_EQUAL(std::string("refused"), audit[0].outcome);
    }

    void testUsageErrors()
    {
        CPPUNIT_ASSERT_EQUAL(2, records({}).code);
        CPPUNIT_ASSERT_EQUAL(2, records({"frobnicate"}).code);
        CPPUNIT_ASSERT_EQUAL(2, records({"verify", "--bogus"}).code);
        test::CtlRun r = records({"export"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        CPPUNIT_ASSERT(contains(r.err, "--tenant CODE is required"));
        r = records({"verify", "--tenant", "121003"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        r = records({"export", "--tenant", "121002", "--format", "xml"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        CPPUNIT_ASSERT(contains(r.err, "--format must be csv or json"));
        r = records({"export", "--tenant", "121002", "--disclosure"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        CPPUNIT_ASSERT(contains(r.err, "needs --atena"));
        r = records({"export", "--tenant", "121002", "--from", "2026-02-30"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        CPPUNIT_ASSERT(contains(r.err, "not a valid date"));
        r = records({"verify", "--progress-every", "0"});
        CPPUNIT_ASSERT_EQUAL(2, r.code);
        const std::string help = RecordsCommand().help();
        CPPUNIT_ASSERT(contains(help, "exit codes: 0 intact / done"));
        CPPUNIT_ASSERT(contains(help, "--format json"));
    }

private:
    std::unique_ptr<test::CtlStoreFixture> _f;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordsCommandTest);
