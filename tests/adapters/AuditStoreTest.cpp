// AuditStoreTest: the staff operation log — append/query, chain verification, tamper detection,
// purge, isolation.
#include "adapters/AuditStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace chukan;
using namespace Poco::Data::Keywords;

class AuditStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuditStoreTest);
    CPPUNIT_TEST(testAppendAndQuery);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testTamperDetected);
    CPPUNIT_TEST(testTruncationDetected);
    CPPUNIT_TEST(testConcurrentNodesAppend);
    CPPUNIT_TEST(testPurgeKeepsChainVerifiable);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testAppendAndQuery()
    {
        AuditStore log(_store->db());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), log.append(a(), entry("op-1", "login", 100)).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2),
                             log.append(a(), entry("op-1", "record.search", 200)).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), log.append(a(), entry("rev-1", "login", 300)).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), log.append(a(), entry("op-1", "logout", 400)).value());
        std::vector<AuditEntry> all = log.query(a(), AuditFilter(), 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("record.search"), all[1].operation);
        CPPUNIT_ASSERT_EQUAL(std::string("宛名番号 000000000000001 を検索"), all[1].detail);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(200), all[1].at);
        CPPUNIT_ASSERT_EQUAL(all[0].hash, all[1].prevHash);
        AuditFilter byStaff;
        byStaff.staffId = "op-1";
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), log.query(a(), byStaff, 0, 10).size());
        byStaff.operation = "login";
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), log.query(a(), byStaff, 0, 10).size());
        AuditFilter window;
        window.from = 200;
        window.to = 400;
        std::vector<AuditEntry> mid = log.query(a(), window, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), mid.size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), mid[0].seq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), log.query(a(), AuditFilter(), 3, 10)[0].seq);
        Result<ChainCheck> check = log.verify(a());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), check->verified);
    }

    void testValidation()
    {
        AuditStore log(_store->db());
        Status st = log.append(a(), entry("", "login", 1)).status();
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("staff id") != std::string::npos);
        AuditEntry e = entry("op-1", "login", 1);
        e.detail = std::string(501, 'x');
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, log.append(a(), e).status().code());
        CPPUNIT_ASSERT(log.query(a(), AuditFilter(), 0, 10).empty());
    }

    void testTamperDetected()
    {
        AuditStore log(_store->db());
        for (int i = 1; i <= 6; ++i)
            CPPUNIT_ASSERT(log.append(a(), entry("op-1", "record.search", i * 10)).isOk());
        exec("UPDATE audit_log SET staff_id = 'someone-else' WHERE tenant_code = '121002' AND seq "
             "= 3");
        Result<ChainCheck> check = log.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(
            check.status().message(),
            check.status().message().find("audit_log of tenant 121002: seq 3: hash mismatch") !=
                std::string::npos);
        exec("DELETE FROM audit_log WHERE tenant_code = '121002' AND seq = 3");
        check = log.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT(check.status().message().find("seq 3: missing") != std::string::npos);
    }

    void testTruncationDetected()
    {
        AuditStore log(_store->db());
        for (int i = 1; i <= 6; ++i)
            CPPUNIT_ASSERT(log.append(a(), entry("op-1", "login", i * 10)).isOk());
        exec("DELETE FROM audit_log WHERE tenant_code = '121002' AND seq >= 5");
        Result<ChainCheck> check = log.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               check.status().message().find(
                                   "audit_log of tenant 121002: seq 5 to 6: missing at the end") !=
                                   std::string::npos);
    }

    void testConcurrentNodesAppend()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        std::vector<std::thread> pool;
        std::vector<std::string> failures(3);
        for (int t = 0; t < 3; ++t)
            pool.emplace_back(
                [&, t]
                {
                    AuditStore log(t == 1 ? *other : _store->db());
                    for (int i = 0; i < 10; ++i)
                    {
                        Result<Poco::Int64> seq =
                            log.append(a(), entry("op-" + std::to_string(t), "login", i));
                        if (!seq)
                            failures[t] = seq.status().toString();
                    }
                });
        for (std::thread& t : pool)
            t.join();
        for (const std::string& f : failures)
            CPPUNIT_ASSERT_MESSAGE(f, f.empty());
        Result<ChainCheck> check = AuditStore(_store->db()).verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(30), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(30), check->headSeq);
    }

    void testPurgeKeepsChainVerifiable()
    {
        AuditStore log(_store->db());
        for (int i = 1; i <= 8; ++i)
            CPPUNIT_ASSERT(log.append(a(), entry("op-1", "login", i * 100)).isOk());
        Result<ChainPurge> purged = log.purgeBefore(a(), request(450, 9999));
        CPPUNIT_ASSERT_MESSAGE(purged.status().toString(), purged.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), purged->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9), purged->noteSeq);
        AuditFilter op;
        op.operation = "retention.purge";
        std::vector<AuditEntry> notes = log.query(a(), op, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), notes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("system"), notes[0].staffId);
        CPPUNIT_ASSERT_EQUAL(std::string("purged"), notes[0].outcome);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9999), notes[0].at);
        CPPUNIT_ASSERT_MESSAGE(notes[0].detail,
                               notes[0].detail.find("purged 4 entries, seq 1 to 4") !=
                                   std::string::npos);
        Result<ChainCheck> check = log.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10),
                             log.append(a(), entry("op-1", "logout", 900)).value());
        CPPUNIT_ASSERT(log.verify(a()).isOk());
        Result<ChainPurge> plan = log.planPurge(a(), request(850, 10000));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), plan->purged); // 5..8; the purge entry is younger
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6),
                             static_cast<Poco::Int64>(log.query(a(), AuditFilter(), 0, 20).size()));
    }

    void testTenantIsolation()
    {
        AuditStore log(_store->db());
        CPPUNIT_ASSERT(log.append(a(), entry("op-1", "login", 1)).isOk());
        CPPUNIT_ASSERT(log.append(a(), entry("op-1", "logout", 2)).isOk());
        CPPUNIT_ASSERT(log.query(b(), AuditFilter(), 0, 10).empty());
        AuditFilter byStaff;
        byStaff.staffId = "op-1";
        CPPUNIT_ASSERT(log.query(b(), byStaff, 0, 10).empty());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), log.verify(b())->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), log.append(b(), entry("op-1", "login", 3)).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), log.purgeBefore(b(), request(1000, 2000))->purged);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), log.query(a(), AuditFilter(), 0, 10).size());
        CPPUNIT_ASSERT(log.verify(b()).isOk()); // B's purge entry follows B's checkpoint
        Result<ChainCheck> check = log.verify(a());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), check->verified);
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static PurgeRequest request(Poco::Int64 cutoff, Poco::Int64 at)
    {
        PurgeRequest req;
        req.cutoffMicros = cutoff;
        req.nowMicros = at;
        req.retentionDays = 7;
        req.by = "system";
        req.refId = "RET-1";
        return req;
    }

    static AuditEntry entry(const std::string& staff, const std::string& op, Poco::Int64 at)
    {
        AuditEntry e;
        e.staffId = staff;
        e.at = at;
        e.operation = op;
        e.target = op == "record.search" ? "provision_records" : "";
        e.outcome = "ok";
        e.detail = op == "record.search" ? "宛名番号 000000000000001 を検索" : "";
        return e;
    }

    void exec(const std::string& sql)
    {
        Poco::Data::Session s = _store->db().session();
        s << sql, now;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuditStoreTest);
