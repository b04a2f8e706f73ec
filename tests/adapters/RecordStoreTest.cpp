// RecordStoreTest: 情報提供等記録 append/query, hash-chain tamper detection, concurrent nodes,
// purge and isolation.
#include "adapters/RecordStore.h"
#include "adapters/Migrator.h"
#include "tests/support/TestStore.h"

#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace chukan;
using namespace Poco::Data::Keywords;

class RecordStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RecordStoreTest);
    CPPUNIT_TEST(testAppendAndQuery);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testVerifyPagesThroughChain);
    CPPUNIT_TEST(testAlteredRowDetected);
    CPPUNIT_TEST(testDeletedRowDetected);
    CPPUNIT_TEST(testForgedRowsDetected);
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
        RecordStore rs(_store->db());
        for (int i = 1; i <= 6; ++i)
        {
            ProvisionRecord r = record(i);
            r.subjectAtena = i % 2 ? "000000000000001" : "000000000000002";
            r.outcome = i == 3 ? "refused" : "provided";
            r.jimuCode = i <= 4 ? "JM01000000121000" : "JM01000000122000";
            if (i == 6)
                r.requesterCode = "1000000000000006";
            Result<Poco::Int64> seq = rs.append(a(), r);
            CPPUNIT_ASSERT_MESSAGE(seq.status().toString(), seq.isOk());
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(i), seq.value());
        }
        std::vector<ProvisionRecord> all = rs.query(a(), RecordFilter(), 0, 100);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), all.size());
        CPPUNIT_ASSERT_EQUAL(HashChain::genesisHash(), all[0].prevHash);
        CPPUNIT_ASSERT_EQUAL(all[0].hash, all[1].prevHash);
        CPPUNIT_ASSERT_EQUAL(std::string("provision"), all[0].kind);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1000), all[0].createdAt);
        CPPUNIT_ASSERT(!all[0].providedAt.has_value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2002), all[1].providedAt.value());
        CPPUNIT_ASSERT(all[1].nondisclosure);
        CPPUNIT_ASSERT_EQUAL(std::string("前回と同じ"), all[1].reason);

        RecordFilter f;
        f.subjectAtena = "000000000000001";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), rs.count(a(), f));
        f.outcome = "refused";
        std::vector<ProvisionRecord> refused = rs.query(a(), f, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), refused.size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), refused[0].seq);

        RecordFilter window;
        window.from = 2000;
        window.to = 5000;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), rs.count(a(), window)); // created 2000, 3000, 4000
        RecordFilter jimu;
        jimu.jimuCode = "JM01000000122000";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), rs.count(a(), jimu));
        RecordFilter inst;
        inst.institutionCode = "1000000000000006"; // as requester
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rs.count(a(), inst));
        inst.institutionCode = "1210020000000000"; // as provider
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), rs.count(a(), inst));

        std::vector<ProvisionRecord> page = rs.query(a(), RecordFilter(), 2, 3);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), page.size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), page[0].seq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), page[2].seq);
    }

    void testValidation()
    {
        RecordStore rs(_store->db());
        ProvisionRecord r = record(1);
        r.kind = "gossip";
        Status st = rs.append(a(), r).status();
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("kind") != std::string::npos);
        r = record(1);
        r.jimuCode = "JM01";
        st = rs.append(a(), r).status();
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("事務コード") != std::string::npos);
        CPPUNIT_ASSERT(st.message().find("REF-1") != std::string::npos);
        r = record(1);
        r.subjectAtena = "12345";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, rs.append(a(), r).status().code());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), rs.count(a(), RecordFilter()));
    }

    void testVerifyPagesThroughChain()
    {
        RecordStore rs(_store->db());
        Result<ChainCheck> empty = rs.verify(a());
        CPPUNIT_ASSERT(empty.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), empty->verified);
        CPPUNIT_ASSERT_EQUAL(HashChain::genesisHash(), empty->headHash);
        appendN(rs, a(), 23);
        Result<ChainCheck> check = rs.verify(a(), 5); // 5 pages of 5, the last short
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(23), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(23), check->headSeq);
        CPPUNIT_ASSERT_EQUAL(rs.query(a(), RecordFilter(), 22, 1)[0].hash, check->headHash);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(23), rs.verify(a(), 23)->verified); // a full last page
    }

    void testAlteredRowDetected()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        exec("UPDATE provision_records SET outcome = 'refused' WHERE tenant_code = '121002' AND "
             "seq = 5");
        Result<ChainCheck> check = rs.verify(a(), 3);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(), "seq 5:"));
        CPPUNIT_ASSERT(contains(check.status().message(), "altered"));
        CPPUNIT_ASSERT(contains(check.status().message(), "provision_records of tenant 121002"));
    }

    void testDeletedRowDetected()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq IN (6, 7)");
        Result<ChainCheck> check = rs.verify(a(), 4);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(), "seq 6 to 7: missing"));
        CPPUNIT_ASSERT(contains(check.status().message(), "deleted"));
        // Deleting the first row is caught too.
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 1");
        Result<ChainCheck> first = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, first.status().code());
        CPPUNIT_ASSERT_MESSAGE(first.status().message(),
                               contains(first.status().message(), "seq 1:"));
    }

    void testForgedRowsDetected()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        std::vector<ProvisionRecord> rows = rs.query(a(), RecordFilter(), 0, 10);
        // Replace seq 5 by a forgery that is self-consistent and links to seq 4.
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 5");
        ProvisionRecord forged = rows[4];
        forged.outcome = "refused";
        insertRaw(a(), forged, rows[3].hash);
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(), "seq 6:"));
        CPPUNIT_ASSERT(contains(check.status().message(), "inserted or reordered"));

        // A forged row at the end with a made-up prev_hash (self-consistent hash).
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 5");
        insertRaw(a(), rows[4], rows[3].hash); // restore the original
        CPPUNIT_ASSERT(rs.verify(a()).isOk());
        ProvisionRecord tail = rows[9];
        tail.seq = 11;
        insertRaw(a(), tail, std::string(64, 'f'));
        check = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(), "seq 11:"));
    }

    void testConcurrentNodesAppend()
    {
        std::shared_ptr<Database> other = _store->openAnother();
        const int threads = 4, perThread = 15;
        std::vector<std::thread> pool;
        std::vector<std::string> failures(threads);
        for (int t = 0; t < threads; ++t)
            pool.emplace_back(
                [&, t]
                {
                    RecordStore rs(t % 2 ? *other : _store->db());
                    for (int i = 0; i < perThread; ++i)
                    {
                        Result<Poco::Int64> seq = rs.append(a(), record(t * 100 + i));
                        if (!seq)
                            failures[t] = seq.status().toString();
                    }
                });
        for (std::thread& t : pool)
            t.join();
        for (const std::string& f : failures)
            CPPUNIT_ASSERT_MESSAGE(f, f.empty());
        RecordStore rs(_store->db());
        Result<ChainCheck> check = rs.verify(a(), 7);
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(threads * perThread), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(threads * perThread), check->headSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(threads * perThread), rs.count(a(), RecordFilter()));
    }

    void testPurgeKeepsChainVerifiable()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10); // created_at 1000 .. 10000
        Result<Poco::Int64> purged = rs.purgeBefore(a(), 5500, 99);
        CPPUNIT_ASSERT_MESSAGE(purged.status().toString(), purged.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), purged.value());
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0),
                             rs.purgeBefore(a(), 5500, 100).value()); // nothing more

        // Only a prefix goes: a younger row (seq 12, created 1) does not let 11 go early.
        ProvisionRecord late = record(11);
        late.createdAt = 20000;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(11), rs.append(a(), late).value());
        ProvisionRecord skewed = record(12);
        skewed.createdAt = 1;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(12), rs.append(a(), skewed).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), rs.purgeBefore(a(), 15000, 101).value()); // seq 6..10
        check = rs.verify(a());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), check->verified);

        // Purge everything; appends continue from the anchor.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), rs.purgeBefore(a(), 30000, 102).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), rs.verify(a())->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(13), rs.append(a(), record(13)).value());
        check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(13), check->headSeq);

        // Deleting the first row after the anchor is still caught.
        CPPUNIT_ASSERT(rs.append(a(), record(14)).isOk());
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 13");
        Result<ChainCheck> bad = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, bad.status().code());
        CPPUNIT_ASSERT_MESSAGE(bad.status().message(), contains(bad.status().message(), "seq 13:"));
    }

    void testTenantIsolation()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 3);
        RecordFilter any;
        CPPUNIT_ASSERT(rs.query(b(), any, 0, 100).empty());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), rs.count(b(), any));
        RecordFilter byAtena;
        byAtena.subjectAtena = "000000000000001";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), rs.count(b(), byAtena));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), rs.verify(b())->verified);
        // B's chain is its own: it starts at seq 1 from the genesis value.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rs.append(b(), record(1)).value());
        CPPUNIT_ASSERT_EQUAL(HashChain::genesisHash(), rs.query(b(), any, 0, 1)[0].prevHash);
        // B's purge removes only B's rows and B's anchor.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rs.purgeBefore(b(), 1000000, 5).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), rs.count(a(), any));
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->verified);
        // Tampering in B does not show up in A's verification, and vice versa.
        CPPUNIT_ASSERT(rs.append(b(), record(2)).isOk());
        exec("UPDATE provision_records SET reason = 'x' WHERE tenant_code = '352063'");
        CPPUNIT_ASSERT(rs.verify(a()).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, rs.verify(b()).status().code());
    }

private:
    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }
    static bool contains(const std::string& s, const char* what)
    {
        return s.find(what) != std::string::npos;
    }

    static ProvisionRecord record(int i)
    {
        ProvisionRecord r;
        r.kind = "provision";
        r.requesterCode = "3520630000000000";
        r.providerCode = "1210020000000000";
        r.jimuCode = "JM01000000121000";
        r.procedureCode = "JT01010000000214";
        r.itemCode = "TM00000000000002";
        r.subjectFugo = "FUGO-" + std::to_string(i);
        r.subjectAtena = "000000000000001";
        r.requestedAt = 1000 * i - 1;
        if (i % 2 == 0)
            r.providedAt = 1000 * i + 2;
        r.outcome = "provided";
        r.reason = i % 2 == 0 ? "前回と同じ" : "";
        r.nondisclosure = i % 2 == 0;
        r.refId = "REF-" + std::to_string(i);
        r.createdAt = 1000 * i;
        return r;
    }

    static void appendN(RecordStore& rs, const TenantCode& t, int n)
    {
        for (int i = 1; i <= n; ++i)
            CPPUNIT_ASSERT(rs.append(t, record(i)).isOk());
    }

    void exec(const std::string& sql)
    {
        Poco::Data::Session s = _store->db().session();
        s << sql, now;
    }

    /// Writes a row the way an attacker with SQL access would: hash computed, chain not consulted.
    void insertRaw(const TenantCode& t, const ProvisionRecord& r, const std::string& prev)
    {
        std::vector<ChainValue> v = {ChainValue::str(r.kind),
                                     ChainValue::str(r.requesterCode),
                                     ChainValue::str(r.providerCode),
                                     ChainValue::str(r.jimuCode),
                                     ChainValue::str(r.procedureCode),
                                     ChainValue::str(r.itemCode),
                                     ChainValue::str(r.subjectFugo),
                                     ChainValue::str(r.subjectAtena),
                                     ChainValue::integer(r.requestedAt),
                                     ChainValue::optInteger(r.providedAt),
                                     ChainValue::str(r.outcome),
                                     ChainValue::str(r.reason),
                                     ChainValue::integer(r.nondisclosure ? 1 : 0),
                                     ChainValue::str(r.refId),
                                     ChainValue::integer(r.createdAt)};
        std::string hash = HashChain::computeHash("provision_records", t.str(), r.seq, v, prev);
        std::string code = t.str(), kind = r.kind, rq = r.requesterCode, pv = r.providerCode,
                    jm = r.jimuCode, pc = r.procedureCode, it = r.itemCode, fg = r.subjectFugo,
                    at = r.subjectAtena, oc = r.outcome, rsn = r.reason, ref = r.refId, p = prev;
        Poco::Int64 seq = r.seq, req = r.requestedAt, created = r.createdAt;
        Poco::Nullable<Poco::Int64> provided;
        if (r.providedAt)
            provided = *r.providedAt;
        int nd = r.nondisclosure ? 1 : 0;
        Poco::Data::Session s = _store->db().session();
        s << "INSERT INTO provision_records (tenant_code, seq, kind, requester_code, "
             "provider_code, jimu_code,"
             " procedure_code, item_code, subject_fugo, subject_atena, requested_at, provided_at, "
             "outcome, reason,"
             " nondisclosure, ref_id, created_at, prev_hash, hash)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            use(code), use(seq), use(kind), use(rq), use(pv), use(jm), use(pc), use(it), use(fg),
            use(at), use(req), use(provided), use(oc), use(rsn), use(nd), use(ref), use(created),
            use(p), use(hash), now;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordStoreTest);
