// RecordStoreTest: 情報提供等記録 append/query, hash-chain tamper detection (altered, inserted,
// deleted, truncated), concurrent nodes, recorded purges behind a checkpoint, and isolation.
#include "adapters/RecordStore.h"
#include "adapters/Migrator.h"
#include "adapters/Schema.h"
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
    CPPUNIT_TEST(testTruncationDetected);
    CPPUNIT_TEST(testHeadRowGuardsTheEnd);
    CPPUNIT_TEST(testConcurrentNodesAppend);
    CPPUNIT_TEST(testPurgeKeepsChainVerifiable);
    CPPUNIT_TEST(testPurgePlanAndChunks);
    CPPUNIT_TEST(testPurgeRefusesBrokenPrefix);
    CPPUNIT_TEST(testPurgeRecordValidation);
    CPPUNIT_TEST(testConcurrentPurgesDoTheWorkOnce);
    CPPUNIT_TEST(testAppendsDuringPurges);
    CPPUNIT_TEST(testMigrationBackfillsHeads);
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

        // A forged row at the end that links correctly: only the chain head knows it is extra.
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 11");
        insertRaw(a(), tail, rows[9].hash);
        check = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(), "seq 11: beyond the chain head"));
    }

    void testTruncationDetected()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 10");
        Result<ChainCheck> check = rs.verify(a(), 4);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(),
                                        "provision_records of tenant 121002: seq 10: missing at "
                                        "the end (the chain head says seq 10)"));
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq >= 9");
        check = rs.verify(a(), 4); // the rows left end exactly on a page boundary
        CPPUNIT_ASSERT_MESSAGE(
            check.status().message(),
            contains(check.status().message(), "seq 9 to 10: missing at the end"));
        exec("DELETE FROM provision_records WHERE tenant_code = '121002'");
        check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(
            check.status().message(),
            contains(check.status().message(), "seq 1 to 10: missing at the end"));
    }

    void testHeadRowGuardsTheEnd()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        std::vector<ProvisionRecord> rows = rs.query(a(), RecordFilter(), 0, 10);
        // The last row replaced by a self-consistent forgery that links to seq 9.
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 10");
        ProvisionRecord forged = rows[9];
        forged.outcome = "refused";
        insertRaw(a(), forged, rows[8].hash);
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(
            check.status().message(),
            contains(check.status().message(), "seq 10: hash differs from the chain head's"));
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 10");
        insertRaw(a(), rows[9], rows[8].hash);
        CPPUNIT_ASSERT(rs.verify(a()).isOk());

        // Without its head row the chain neither verifies nor grows.
        exec("DELETE FROM chain_heads WHERE tenant_code = '121002' AND chain = "
             "'provision_records'");
        check = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, check.status().code());
        CPPUNIT_ASSERT_MESSAGE(check.status().message(),
                               contains(check.status().message(), "no chain head"));
        Result<Poco::Int64> refused = rs.append(a(), record(11));
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, refused.status().code());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), rs.count(a(), RecordFilter()));
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
        Result<ChainPurge> purged = purge(rs, a(), 5500, 50000);
        CPPUNIT_ASSERT_MESSAGE(purged.status().toString(), purged.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), purged->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), purged->firstSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), purged->lastSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(11), purged->noteSeq);
        // The purge is itself a record, at the end of the chain.
        RecordFilter kind;
        kind.outcome = "purged";
        std::vector<ProvisionRecord> notes = rs.query(a(), kind, 0, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), notes.size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(11), notes[0].seq);
        CPPUNIT_ASSERT_EQUAL(std::string("purge"), notes[0].kind);
        CPPUNIT_ASSERT_EQUAL(std::string("1210020000000000"), notes[0].requesterCode);
        CPPUNIT_ASSERT_EQUAL(std::string("RET-1"), notes[0].refId);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(50000), notes[0].createdAt);
        CPPUNIT_ASSERT_MESSAGE(notes[0].reason,
                               contains(notes[0].reason,
                                        "retention 7 days: purged 5 records, seq "
                                        "1 to 5, created before 1970-01-01T00:00:00Z"));
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(11), check->headSeq);
        // Nothing more to purge: nothing written.
        purged = purge(rs, a(), 5500, 50001);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), purged->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), purged->noteSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), rs.count(a(), RecordFilter()));

        // Only a prefix goes: a younger row (the purge record, seq 11) keeps every later row,
        // even seq 13 created "before" it by a node with a slow clock.
        ProvisionRecord late = record(12);
        late.createdAt = 20000;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(12), rs.append(a(), late).value());
        ProvisionRecord skewed = record(13);
        skewed.createdAt = 1;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(13), rs.append(a(), skewed).value());
        purged = purge(rs, a(), 15000, 60000); // seq 6..10
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), purged->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(14), purged->noteSeq);
        check = rs.verify(a());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), check->verified);

        // Purge everything; the chain goes on from the checkpoint and its own record.
        purged = purge(rs, a(), 100000, 200000);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), purged->purged); // 11..14
        check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(14), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(16), rs.append(a(), record(16)).value());
        check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), check->verified);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(16), check->headSeq);

        // Deleting the first row after the checkpoint is still caught.
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 15");
        Result<ChainCheck> bad = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, bad.status().code());
        CPPUNIT_ASSERT_MESSAGE(bad.status().message(), contains(bad.status().message(), "seq 15:"));
        // So is moving the checkpoint to hide it.
        exec("UPDATE chain_anchors SET seq = 15 WHERE tenant_code = '121002'");
        bad = rs.verify(a());
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, bad.status().code());
        CPPUNIT_ASSERT_MESSAGE(bad.status().message(), contains(bad.status().message(), "seq 16:"));
    }

    void testPurgePlanAndChunks()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        PurgeRequest req = request(9500, 50000);
        Result<ChainPurge> plan = rs.planPurge(a(), req);
        CPPUNIT_ASSERT(plan.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9), plan->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), plan->firstSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9), plan->lastSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), rs.count(a(), RecordFilter())); // nothing changed

        req.maxRows = 4;
        Result<ChainPurge> first = rs.purgeBefore(a(), req);
        CPPUNIT_ASSERT(first.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), first->purged);
        CPPUNIT_ASSERT(first->more);
        Result<ChainPurge> second = rs.purgeBefore(a(), req);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), second->firstSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(8), second->lastSeq);
        CPPUNIT_ASSERT(second->more);
        Result<ChainPurge> third = rs.purgeBefore(a(), req);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), third->purged); // seq 9; seq 10 is younger
        CPPUNIT_ASSERT(!third->more);
        RecordFilter notes;
        notes.outcome = "purged";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), rs.count(a(), notes));
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), check->verified); // 10 and three purge records
    }

    void testPurgeRefusesBrokenPrefix()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 10);
        exec("UPDATE provision_records SET outcome = 'refused' WHERE tenant_code = '121002' AND "
             "seq = 3");
        Result<ChainPurge> refused = purge(rs, a(), 5500, 50000);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, refused.status().code());
        CPPUNIT_ASSERT_MESSAGE(refused.status().message(),
                               contains(refused.status().message(), "seq 3: hash mismatch"));
        CPPUNIT_ASSERT(contains(refused.status().message(), "purge refused"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), rs.count(a(), RecordFilter())); // evidence kept

        // A broken link between the last purged row and the first kept one also stops it.
        exec("UPDATE provision_records SET outcome = 'provided' WHERE tenant_code = '121002' AND "
             "seq = 3");
        CPPUNIT_ASSERT(rs.verify(a()).isOk());
        exec("DELETE FROM provision_records WHERE tenant_code = '121002' AND seq = 6");
        refused = purge(rs, a(), 5500, 50000);
        CPPUNIT_ASSERT_EQUAL(Status::CORRUPTION, refused.status().code());
        CPPUNIT_ASSERT_MESSAGE(refused.status().message(),
                               contains(refused.status().message(), "seq 6: missing"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9), rs.count(a(), RecordFilter()));
    }

    void testPurgeRecordValidation()
    {
        RecordStore rs(_store->db());
        appendN(rs, a(), 3);
        PurgeRequest bad = request(5000, 50000);
        bad.by = "121002"; // not a 機関コード
        Result<ChainPurge> refused = rs.purgeBefore(a(), bad);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, refused.status().code());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), rs.count(a(), RecordFilter()));
        // A purge record has no subject.
        ProvisionRecord r = RecordStore::purgeRecord(request(5000, 50000), ChainPurge());
        CPPUNIT_ASSERT(RecordStore::validate(r).isOk());
        r.subjectAtena = "000000000000001";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, RecordStore::validate(r).code());
    }

    void testConcurrentPurgesDoTheWorkOnce()
    {
        RecordStore setup(_store->db());
        appendN(setup, a(), 30);
        std::shared_ptr<Database> other = _store->openAnother();
        const int threads = 4;
        std::vector<Poco::Int64> purged(threads, -1);
        std::vector<std::string> failures(threads);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back(
                [&, t]
                {
                    RecordStore rs(t % 2 ? *other : _store->db());
                    Result<ChainPurge> p = purge(rs, a(), 25500, 90000 + t);
                    if (p)
                        purged[t] = p->purged;
                    else
                        failures[t] = p.status().toString();
                });
        for (std::thread& t : pool)
            t.join();
        Poco::Int64 total = 0;
        int purgers = 0;
        for (int t = 0; t < threads; ++t)
        {
            CPPUNIT_ASSERT_MESSAGE(failures[t], failures[t].empty());
            total += purged[t];
            purgers += purged[t] > 0 ? 1 : 0;
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(25), total);
        CPPUNIT_ASSERT_EQUAL(1, purgers);
        RecordFilter notes;
        notes.outcome = "purged";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), setup.count(a(), notes));
        Result<ChainCheck> check = setup.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(25), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(31), check->headSeq);
    }

    void testAppendsDuringPurges()
    {
        RecordStore setup(_store->db());
        appendN(setup, a(), 20);
        std::shared_ptr<Database> other = _store->openAnother();
        std::vector<std::string> failures(4);
        std::vector<std::thread> pool;
        for (int t = 0; t < 4; ++t)
            pool.emplace_back(
                [&, t]
                {
                    RecordStore rs(t % 2 ? *other : _store->db());
                    for (int i = 0; i < 10; ++i)
                    {
                        if (t < 2)
                        {
                            ProvisionRecord r = record(100 + t * 10 + i);
                            r.createdAt = 1000000; // young: never purged here
                            Result<Poco::Int64> seq = rs.append(a(), r);
                            if (!seq)
                                failures[t] = seq.status().toString();
                        }
                        else
                        {
                            // Each purger moves the cutoff a little further through the old rows.
                            Result<ChainPurge> p =
                                purge(rs, a(), 1000 * (i + 1) + 500 + 5000 * (t - 2), 2000000);
                            if (!p)
                                failures[t] = p.status().toString();
                        }
                        Result<ChainCheck> check = rs.verify(a(), 3);
                        if (!check)
                            failures[t] = "verify during the race: " + check.status().toString();
                    }
                });
        for (std::thread& t : pool)
            t.join();
        for (const std::string& f : failures)
            CPPUNIT_ASSERT_MESSAGE(f, f.empty());
        Result<ChainCheck> check = setup.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        RecordFilter notes;
        notes.outcome = "purged";
        Poco::Int64 purges = setup.count(a(), notes);
        // 20 old rows + 20 appended + one record per purge that removed something.
        CPPUNIT_ASSERT_EQUAL(40 + purges, check->headSeq);
        CPPUNIT_ASSERT_EQUAL(check->headSeq - check->anchorSeq, check->verified);
    }

    void testMigrationBackfillsHeads()
    {
        // A store written before migration 6: chains without head rows.
        test::TestStore old;
        std::vector<Migration> upTo5;
        for (const Migration& m : Schema::migrations())
            if (m.version < 6)
                upTo5.push_back(m);
        CPPUNIT_ASSERT(Migrator(old.db(), upTo5).migrate().isOk());
        std::string prev = HashChain::genesisHash();
        for (int i = 1; i <= 3; ++i)
        {
            ProvisionRecord r = record(i);
            r.seq = i;
            prev = insertRaw(old.db(), a(), r, prev);
        }
        Poco::Data::Session s = old.db().session();
        s << "INSERT INTO chain_anchors (tenant_code, chain, seq, hash, purged_at) VALUES "
             "('352063', 'provision_records', 7, '" +
                 std::string(64, 'a') + "', 1)",
            now;
        CPPUNIT_ASSERT(Migrator(old.db()).migrate().isOk());
        RecordStore rs(old.db());
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT_MESSAGE(check.status().toString(), check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->headSeq);
        Result<ChainCheck> purgedAway = rs.verify(b()); // every row purged: head = checkpoint
        CPPUNIT_ASSERT_MESSAGE(purgedAway.status().toString(), purgedAway.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), purgedAway->headSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), rs.append(a(), record(4)).value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(8), rs.append(b(), record(8)).value());
        CPPUNIT_ASSERT(rs.verify(a()).isOk());
        std::vector<std::string> tenants = rs.tenants();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), tenants.size());
        CPPUNIT_ASSERT_EQUAL(std::string("121002"), tenants[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("352063"), tenants[1]);
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
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), purge(rs, b(), 1000000, 2000000)->purged);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), rs.count(a(), any));
        Result<ChainCheck> check = rs.verify(a());
        CPPUNIT_ASSERT(check.isOk());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), check->anchorSeq);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), check->verified);
        // Tampering in B does not show up in A's verification, and vice versa.
        CPPUNIT_ASSERT(rs.append(b(), record(3)).isOk());
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

    static PurgeRequest request(Poco::Int64 cutoff, Poco::Int64 at)
    {
        PurgeRequest req;
        req.cutoffMicros = cutoff;
        req.nowMicros = at;
        req.retentionDays = 7;
        req.by = "1210020000000000";
        req.refId = "RET-1";
        return req;
    }

    static Result<ChainPurge> purge(RecordStore& rs, const TenantCode& t, Poco::Int64 cutoff,
                                    Poco::Int64 at)
    {
        return rs.purgeBefore(t, request(cutoff, at));
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
        insertRaw(_store->db(), t, r, prev);
    }

    /// Returns the row's hash.
    static std::string insertRaw(Database& db, const TenantCode& t, const ProvisionRecord& r,
                                 const std::string& prev)
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
        Poco::Data::Session s = db.session();
        s << "INSERT INTO provision_records (tenant_code, seq, kind, requester_code, "
             "provider_code, jimu_code,"
             " procedure_code, item_code, subject_fugo, subject_atena, requested_at, provided_at, "
             "outcome, reason,"
             " nondisclosure, ref_id, created_at, prev_hash, hash)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            use(code), use(seq), use(kind), use(rq), use(pv), use(jm), use(pc), use(it), use(fg),
            use(at), use(req), use(provided), use(oc), use(rsn), use(nd), use(ref), use(created),
            use(p), use(hash), now;
        return hash;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordStoreTest);
