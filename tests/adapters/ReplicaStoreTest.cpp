// ReplicaStoreTest: 副本 versions — idempotent puts, stale/conflicting versions, batches and their
// races with other nodes, tombstones, provision lookup, export paging, isolation.
#include "adapters/ReplicaStore.h"
#include "adapters/Migrator.h"
#include "codecs/PayloadPacking.h"
#include "tests/support/TestStore.h"

#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

using namespace chukan;

class ReplicaStoreTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReplicaStoreTest);
    CPPUNIT_TEST(testPutVersions);
    CPPUNIT_TEST(testIdempotentAndConflicts);
    CPPUNIT_TEST(testPutBatch);
    CPPUNIT_TEST(testPutBatchChunked);
    CPPUNIT_TEST(testPutBatchRowsEqualPutRows);
    CPPUNIT_TEST(testPutBatchLongPayloads);
    CPPUNIT_TEST(testPutBatchAmongManyRecords);
    CPPUNIT_TEST(testPutBatchRacesPut);
    CPPUNIT_TEST(testPutBatchRacesPutRepeatableRead);
    CPPUNIT_TEST(testPutBatchWaitsForAnotherNode);
    CPPUNIT_TEST(testNilPayload);
    CPPUNIT_TEST(testPayloadsStoredPacked);
    CPPUNIT_TEST(testTombstone);
    CPPUNIT_TEST(testFindCurrent);
    CPPUNIT_TEST(testExportPaging);
    CPPUNIT_TEST(testValidation);
    CPPUNIT_TEST(testTenantIsolation);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _store.reset(new test::TestStore);
        CPPUNIT_ASSERT(Migrator(_store->db()).migrate().isOk());
    }
    void tearDown() override { _store.reset(); }

    void testPutVersions()
    {
        ReplicaStore rs(_store->db());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 1, "<v>1</v>"), 10).isOk());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 3, "<v>3</v>"), 20).isOk());
        std::optional<ReplicaItem> cur = rs.current(a(), "R-1");
        CPPUNIT_ASSERT(cur.has_value());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), cur->version);
        CPPUNIT_ASSERT_EQUAL(std::string("<v>3</v>"), cur->payload.value());
        CPPUNIT_ASSERT(cur->isCurrent);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(20), cur->updatedAt);
        std::vector<ReplicaItem> all = rs.versions(a(), "R-1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), all.size());
        CPPUNIT_ASSERT(!all[0].isCurrent);
        CPPUNIT_ASSERT(all[1].isCurrent);
        CPPUNIT_ASSERT_EQUAL(std::string("<v>1</v>"), all[0].payload.value());
    }

    void testPutBatch()
    {
        ReplicaStore rs(_store->db());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 1, "<v>1</v>"), 10).isOk());
        CPPUNIT_ASSERT(rs.put(a(), item("R-2", 4, "<v>4</v>"), 10).isOk());
        // R-1 unchanged, R-2 changed (-> version 5), R-3 new (-> version 1); versions given are
        // ignored.
        std::vector<ReplicaItem> batch{item("R-1", 0, "<v>1</v>"), item("R-2", 0, "<v>5</v>"),
                                       item("R-3", 0, "<v>new</v>")};
        Result<std::vector<bool>> stored = rs.putBatch(a(), batch, 20);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        CPPUNIT_ASSERT(!stored.value()[0]);
        CPPUNIT_ASSERT(stored.value()[1]);
        CPPUNIT_ASSERT(stored.value()[2]);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rs.current(a(), "R-1")->version);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), rs.current(a(), "R-1")->updatedAt);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), rs.current(a(), "R-2")->version);
        CPPUNIT_ASSERT_EQUAL(std::string("<v>5</v>"), rs.current(a(), "R-2")->payload.value());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), rs.versions(a(), "R-2").size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rs.current(a(), "R-3")->version);
        // The same batch again changes nothing.
        stored = rs.putBatch(a(), batch, 30);
        CPPUNIT_ASSERT(stored.isOk());
        for (bool s : stored.value())
            CPPUNIT_ASSERT(!s);
        // One bad item refuses the whole batch: nothing of it is stored.
        std::vector<ReplicaItem> bad{item("R-4", 0, "<v>4</v>"),
                                     item(std::string(65, 'x'), 0, "<v/>")};
        Result<std::vector<bool>> refused = rs.putBatch(a(), bad, 40);
        CPPUNIT_ASSERT(!refused.isOk());
        CPPUNIT_ASSERT(!rs.current(a(), "R-4").has_value());
    }

    void testPutBatchChunked()
    {
        // More records than one IN (…) read and one multi-row INSERT hold, of every kind: new,
        // unchanged, changed, after a tombstone, nil payloads, another tenant's same ids.
        ReplicaStore rs(_store->db());
        const int n = 1203;
        auto id = [](int i) { return "R-" + std::to_string(i); };
        std::vector<ReplicaItem> first;
        for (int i = 0; i < n; i += 2)
            first.push_back(item(id(i), 0, "<v>" + std::to_string(i) + "</v>"));
        Result<std::vector<bool>> stored = rs.putBatch(a(), first, 10);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        CPPUNIT_ASSERT(rs.put(b(), item(id(0), 7, "<b/>"), 10).isOk());
        CPPUNIT_ASSERT(rs.remove(a(), id(4), 2, "juki", 11).isOk());
        std::vector<ReplicaItem> batch;
        for (int i = 0; i < n; ++i)
        {
            std::string payload = "<v>" + std::to_string(i) + "</v>";
            if (i % 6 == 2)
                payload += "<changed/>";
            ReplicaItem it = item(id(i), 0, payload);
            if (i % 10 == 5)
            {
                it.payload.reset();
                it.nilReason = "not-applicable";
            }
            batch.push_back(it);
        }
        stored = rs.putBatch(a(), batch, 20);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(n), stored.value().size());
        for (int i = 0; i < n; ++i)
        {
            // Even ids were stored before: unchanged unless i % 6 == 2 or the tombstone (4).
            bool expectStored = i % 2 == 1 || i % 6 == 2 || i == 4;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id(i), expectStored, bool(stored.value()[i]));
            std::vector<ReplicaItem> all = rs.versions(a(), id(i));
            Poco::Int64 expectVersion = i == 4 ? 3 : (i % 2 == 0 && expectStored ? 2 : 1);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id(i), std::size_t(expectVersion), all.size());
            int currents = 0;
            for (const ReplicaItem& v : all)
                currents += v.isCurrent ? 1 : 0;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id(i), 1, currents);
            CPPUNIT_ASSERT(all.back().isCurrent);
            CPPUNIT_ASSERT_EQUAL(expectVersion, all.back().version);
            CPPUNIT_ASSERT(batch[i].payload == all.back().payload);
            CPPUNIT_ASSERT_EQUAL(batch[i].nilReason, all.back().nilReason);
            CPPUNIT_ASSERT(!all.back().deleted);
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), rs.current(b(), id(0))->version);
        // The same again changes nothing; a record id twice in one batch is refused whole.
        stored = rs.putBatch(a(), batch, 30);
        CPPUNIT_ASSERT(stored.isOk());
        for (bool s : stored.value())
            CPPUNIT_ASSERT(!s);
        std::vector<ReplicaItem> twice{item("R-new", 0, "<a/>"), item("R-new", 0, "<b/>")};
        Result<std::vector<bool>> refused = rs.putBatch(a(), twice, 40);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, refused.status().code());
        CPPUNIT_ASSERT(!rs.current(a(), "R-new").has_value());
    }

    void testPutBatchRowsEqualPutRows()
    {
        // putBatch binds each value itself on SQLite (not through Poco's binder): every column
        // of its rows, the SQL type included, must be what put() writes for the same item.
        ReplicaStore rs(_store->db());
        std::vector<ReplicaItem> batch;
        ReplicaItem full = item("R-full", 0, "<v>全角 &amp; bytes \x01</v>");
        full.datasetKey = "set-1";
        full.publishFrom = 100;
        full.publishTo = 200;
        full.autoAnswer = false;
        batch.push_back(full);
        ReplicaItem nil = item("R-nil", 0, "");
        nil.payload.reset();
        nil.nilReason = "not-applicable";
        batch.push_back(nil);
        batch.push_back(item("R-empty", 0, "")); // an empty payload is stored as NULL by both
        ReplicaItem binary = item("R-binary", 0, std::string("a\0b\xff", 4));
        batch.push_back(binary);
        Result<std::vector<bool>> stored = rs.putBatch(a(), batch, 20);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        for (ReplicaItem it : batch)
        {
            it.version = 1;
            CPPUNIT_ASSERT(rs.put(b(), it, 20).isOk());
            ReplicaItem viaBatch = rs.current(a(), it.recordId).value();
            ReplicaItem viaPut = rs.current(b(), it.recordId).value();
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), viaBatch.version);
            CPPUNIT_ASSERT_EQUAL(viaPut.atenaNo, viaBatch.atenaNo);
            CPPUNIT_ASSERT_EQUAL(viaPut.itemCode, viaBatch.itemCode);
            CPPUNIT_ASSERT_EQUAL(viaPut.datasetKey, viaBatch.datasetKey);
            CPPUNIT_ASSERT(viaPut.payload == viaBatch.payload);
            CPPUNIT_ASSERT_EQUAL(viaPut.nilReason, viaBatch.nilReason);
            CPPUNIT_ASSERT(viaPut.publishFrom == viaBatch.publishFrom);
            CPPUNIT_ASSERT(viaPut.publishTo == viaBatch.publishTo);
            CPPUNIT_ASSERT_EQUAL(viaPut.autoAnswer, viaBatch.autoAnswer);
            CPPUNIT_ASSERT_EQUAL(viaPut.isCurrent, viaBatch.isCurrent);
            CPPUNIT_ASSERT_EQUAL(viaPut.deleted, viaBatch.deleted);
            CPPUNIT_ASSERT_EQUAL(viaPut.sourceSystem, viaBatch.sourceSystem);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(20), viaBatch.updatedAt);
        }
        CPPUNIT_ASSERT(rs.current(a(), "R-binary")->payload == binary.payload);
        CPPUNIT_ASSERT(!rs.current(a(), "R-empty")->payload.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("set-1"), rs.current(a(), "R-full")->datasetKey);
        CPPUNIT_ASSERT(!rs.current(a(), "R-full")->autoAnswer);
        if (_store->db().backend() != Database::SQLITE)
            return;
        // SQLite keeps a type per value: the same types, column by column, for both tenants.
        Poco::Data::Session s = _store->db().session();
        for (const ReplicaItem& it : batch)
        {
            std::string types[2];
            for (int t = 0; t < 2; ++t)
            {
                std::string code = (t == 0 ? a() : b()).str(), id = it.recordId;
                s << "SELECT typeof(tenant_code) || typeof(record_id) || typeof(version) ||"
                     " typeof(atena_no) || typeof(item_code) || typeof(dataset_key) ||"
                     " typeof(payload) || typeof(nil_reason) || typeof(publish_from) ||"
                     " typeof(publish_to) || typeof(auto_answer) || typeof(is_current) ||"
                     " typeof(deleted) || typeof(source_system) || typeof(updated_at)"
                     " FROM replica_items WHERE tenant_code = ? AND record_id = ?",
                    Poco::Data::Keywords::use(code), Poco::Data::Keywords::use(id),
                    Poco::Data::Keywords::into(types[t]), Poco::Data::Keywords::now;
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(it.recordId, types[1], types[0]);
            CPPUNIT_ASSERT(!types[0].empty());
        }
    }

    void testPutBatchLongPayloads()
    {
        // putBatch's read must bring back whole payloads of every length (on MariaDB the C API
        // fetches the first bytes, then the rest of a longer value; BlobColumn reads 65,535 at
        // a time): an unchanged long payload is unchanged, one differing in its last byte is not.
        ReplicaStore rs(_store->db());
        std::vector<ReplicaItem> batch;
        for (std::size_t length : {1, 255, 256, 257, 4000, 65535, 65536, 70001})
        {
            std::string payload(length, 'p');
            for (std::size_t i = 0; i < length; i += 97)
                payload[i] = static_cast<char>('a' + i % 26);
            batch.push_back(item("R-" + std::to_string(length), 0, payload));
        }
        Result<std::vector<bool>> stored = rs.putBatch(a(), batch, 10);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        stored = rs.putBatch(a(), batch, 20);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        for (std::size_t i = 0; i < batch.size(); ++i)
            CPPUNIT_ASSERT_MESSAGE(batch[i].recordId, !stored.value()[i]);
        for (ReplicaItem& it : batch)
            it.payload->back() = 'Z';
        stored = rs.putBatch(a(), batch, 30);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        for (std::size_t i = 0; i < batch.size(); ++i)
        {
            CPPUNIT_ASSERT_MESSAGE(batch[i].recordId, stored.value()[i]);
            std::optional<ReplicaItem> cur = rs.current(a(), batch[i].recordId);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), cur->version);
            CPPUNIT_ASSERT(cur->payload == batch[i].payload);
        }
    }

    void testPutBatchAmongManyRecords()
    {
        // MariaDB's read first looks for current rows over the span of the batch's ids, then
        // reads them by that range, by id, or every id when the span holds more than it takes
        // (kProbeRows = 4,000): each way, of every kind of item, gives the same result.
        ReplicaStore rs(_store->db());
        auto id = [](int i)
        {
            std::string n = std::to_string(i);
            return "R-" + std::string(5 - n.size(), '0') + n;
        };
        std::vector<ReplicaItem> all;
        for (int i = 0; i < 9000; i += 2)
            all.push_back(item(id(i), 0, "<v>" + std::to_string(i) + "</v>"));
        Result<std::vector<bool>> stored = rs.putBatch(a(), all, 10);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        CPPUNIT_ASSERT(rs.remove(a(), id(4000), 2, "juki", 11).isOk());
        // Scattered over 0 … 8999 (more stored records in their span than the first read takes),
        // over 2 … 875 (fewer, but most not the batch's), and neighbours (most the batch's):
        // unchanged, changed, new, after a tombstone.
        for (int step : {997, 97, 1})
        {
            std::vector<ReplicaItem> batch;
            std::vector<bool> expect;
            std::vector<Poco::Int64> versions;
            for (int i = 0; i < 9000 && batch.size() < 10; i += step)
            {
                // Neighbours around the tombstone; no id twice across the three batches.
                int j = i + (step == 1 ? 3990 : (step == 97 ? 2 : 0));
                bool present = j % 2 == 0, change = j % 3 == 0;
                std::string payload = "<v>" + std::to_string(j) + "</v>";
                if (change)
                    payload += "<changed/>";
                batch.push_back(item(id(j), 0, payload));
                bool tomb = j == 4000;
                expect.push_back(!present || change || tomb);
                versions.push_back(!present ? 1 : (tomb ? 3 : (change ? 2 : 1)));
            }
            if (step == 1)
            {
                batch.push_back(item(id(4000), 0, "<v>4000</v>"));
                expect.push_back(true);
                versions.push_back(3);
            }
            stored = rs.putBatch(a(), batch, 20);
            CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
            for (std::size_t k = 0; k < batch.size(); ++k)
            {
                const std::string& rid = batch[k].recordId;
                CPPUNIT_ASSERT_EQUAL_MESSAGE(rid, bool(expect[k]), bool(stored.value()[k]));
                std::optional<ReplicaItem> cur = rs.current(a(), rid);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(rid, versions[k], cur->version);
                CPPUNIT_ASSERT_MESSAGE(rid, cur->payload == batch[k].payload);
            }
            stored = rs.putBatch(a(), batch, 30);
            CPPUNIT_ASSERT(stored.isOk());
            for (bool again : stored.value())
                CPPUNIT_ASSERT(!again);
        }
        // More ids read by id than one IN (…) holds (500): 600 stored records among 1,800 in
        // their span, each given new content, every one a new version.
        std::vector<ReplicaItem> many;
        std::vector<Poco::Int64> before;
        for (int j = 0; many.size() < 600; j += 6)
        {
            many.push_back(item(id(j), 0, "<again>" + std::to_string(j) + "</again>"));
            before.push_back(rs.current(a(), id(j))->version);
        }
        stored = rs.putBatch(a(), many, 40);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        for (std::size_t k = 0; k < many.size(); ++k)
        {
            CPPUNIT_ASSERT_MESSAGE(many[k].recordId, stored.value()[k]);
            std::optional<ReplicaItem> cur = rs.current(a(), many[k].recordId);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(many[k].recordId, before[k] + 1, cur->version);
            CPPUNIT_ASSERT(cur->payload == many[k].payload);
        }
        stored = rs.putBatch(a(), many, 50);
        CPPUNIT_ASSERT(stored.isOk());
        for (bool again : stored.value())
            CPPUNIT_ASSERT(!again);
    }

    void testPutBatchRacesPut() { racePutBatchWithPut(false); }

    void testPutBatchRacesPutRepeatableRead()
    {
        // The same race with both nodes' connections at REPEATABLE READ (MariaDB's server default;
        // Database sets READ COMMITTED on every pooled connection, so the test sets it back): reads
        // then see the transaction's snapshot, not what another node committed since.
        racePutBatchWithPut(true);
    }

    void testPutBatchWaitsForAnotherNode()
    {
        // MariaDB: another node's transaction stores a version of a record and has not committed
        // when putBatch reads, so putBatch does not see it. Whether the record was new (putBatch
        // would store version 1) or had a current version (which the other node demoted),
        // putBatch waits for that node's commit and then refuses the batch; the record keeps one
        // current row, the other node's.
        if (!test::TestStore::isMariaDb())
            return; // SQLite: one writer at a time, putBatch reads after the other committed
        ReplicaStore here(_store->db());
        CPPUNIT_ASSERT(here.putBatch(a(), {item("R-old", 0, "<v>1</v>")}, 1).isOk());
        std::shared_ptr<Database> otherDb = _store->openAnother();
        struct Case
        {
            std::string id;
            std::vector<std::string> otherNode; // its statements, committed after putBatch waits
        };
        const std::string insert =
            "INSERT INTO replica_items (tenant_code, record_id, version, atena_no, item_code, "
            "dataset_key, payload, nil_reason, publish_from, publish_to, auto_answer, is_current, "
            "deleted, source_system, updated_at) VALUES ('121002', '%s', 7, '000000000000001', "
            "'TM00000000000002', '', NULL, 'none', NULL, NULL, 1, 1, 0, 'yobo', 2)";
        auto insertOf = [&](const std::string& id)
        { return Poco::replace(insert, std::string("%s"), id); };
        for (const Case& c :
             {Case{"R-new", {insertOf("R-new")}},
              Case{"R-old",
                   {"UPDATE replica_items SET is_current = 0 WHERE tenant_code = '121002' AND "
                    "record_id = 'R-old' AND version = 1",
                    insertOf("R-old")}}})
        {
            Poco::Data::Session other = otherDb->session();
            other.begin();
            for (const std::string& sql : c.otherNode)
                other << sql, Poco::Data::Keywords::now;
            std::atomic<bool> done{false};
            Result<std::vector<bool>> stored = Status::internal("not run");
            std::string thrown;
            std::thread batcher(
                [&]
                {
                    try
                    {
                        stored = here.putBatch(a(), {item(c.id, 0, "<v>batch</v>")}, 3);
                    }
                    catch (const std::exception& e)
                    {
                        thrown = describe(e);
                    }
                    done = true;
                });
            // Until putBatch waits for the other node's locks (or, wrongly, finished without).
            for (int waiting = 0; !done && waiting == 0;)
            {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                Poco::Data::Session s = _store->db().session();
                s << "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'",
                    Poco::Data::Keywords::into(waiting), Poco::Data::Keywords::now;
            }
            other.commit();
            other.setFeature("autoCommit", true);
            batcher.join();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.id, std::string(), thrown);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.id + ": " + stored.status().toString(),
                                         Status::ALREADY_EXISTS, stored.status().code());
            std::vector<ReplicaItem> all = here.versions(a(), c.id);
            int currents = 0;
            for (const ReplicaItem& v : all)
                currents += v.isCurrent ? 1 : 0;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.id + ": current rows", 1, currents);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), here.current(a(), c.id)->version);
            CPPUNIT_ASSERT(here.current(a(), c.id)->isCurrent);
        }
    }

    void racePutBatchWithPut(bool repeatableRead)
    {
        // Two nodes (two pools, so two connections on MariaDB): one stores batches of the same
        // records over and over with new content while the other put()s explicit, much higher
        // versions of them. Whatever the interleaving, afterwards every record has exactly one
        // current row, it is its highest version, and every version put() reported stored is
        // there with the content it was given.
        ReplicaStore here(_store->db());
        std::shared_ptr<Database> otherDb = _store->openAnother();
        ReplicaStore there(*otherDb);
        if (repeatableRead && !test::TestStore::isMariaDb())
            return; // SQLite has one isolation: serializable writers
        if (repeatableRead)
            for (Database* db : {&_store->db(), otherDb.get()})
            {
                Poco::Data::Session s = db->session(); // the pool's one idle connection
                s << "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", Poco::Data::Keywords::now;
            }
        const int n = 60, rounds = 8;
        auto id = [](int i) { return "R-" + std::to_string(i); };
        std::vector<ReplicaItem> seed;
        for (int i = 0; i < n; i += 2) // even records exist before the race, odd ones are new
            seed.push_back(item(id(i), 0, "<v>seed</v>"));
        CPPUNIT_ASSERT(here.putBatch(a(), seed, 1).isOk());

        std::mutex mutex;
        std::map<std::pair<std::string, Poco::Int64>, std::string> putStored; // by put()
        std::vector<std::string> failures;
        std::atomic<int> batchesStored{0}, batchesRefused{0};
        auto fail = [&](const std::string& what)
        {
            std::lock_guard<std::mutex> lock(mutex);
            failures.push_back(what);
        };
        std::atomic<bool> putting{true};
        std::thread batcher(
            [&]
            {
                // Batches until the putter is done, so they overlap every round of it, then two
                // more that nothing races (so at least those are stored, however slow the
                // machine: while put() runs, every batch may be refused).
                int afterPutter = 0;
                for (int r = 0;; ++r)
                {
                    if (!putting && ++afterPutter > 2)
                        break;
                    std::vector<ReplicaItem> batch;
                    for (int i = 0; i < n; ++i)
                        batch.push_back(item(id(i), 0, "<batch>" + std::to_string(r) + "</batch>"));
                    try
                    {
                        Result<std::vector<bool>> stored = here.putBatch(a(), batch, 100 + r);
                        if (stored)
                            ++batchesStored;
                        else if (stored.status().code() == Status::ALREADY_EXISTS)
                            ++batchesRefused; // a race detected: the importer then uses put()
                        else
                            fail("putBatch: " + stored.status().toString());
                    }
                    catch (const std::exception& e)
                    {
                        fail("putBatch threw: " + describe(e));
                    }
                    // A pause between batches: back to back, on SQLite (one writer, whose
                    // waiters poll with growing sleeps) the batcher's next transaction took
                    // the lock before the putter's poll nearly every time, and the putter
                    // starved for minutes until its busy timeout failed it ("database is
                    // locked"). Each put round still overlaps many batches.
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            });
        std::thread putter(
            [&]
            {
                for (int r = 0; r < rounds; ++r)
                    for (int k = 0; k < n; ++k)
                    {
                        int i = (k * 37 + r * 11) % n; // another order each round
                        Poco::Int64 version = 1000000 * Poco::Int64(r + 1);
                        std::string payload = "<put>" + std::to_string(version) + "</put>";
                        try
                        {
                            Status st = there.put(a(), item(id(i), version, payload), 200 + r);
                            if (st)
                            {
                                std::lock_guard<std::mutex> lock(mutex);
                                putStored[{id(i), version}] = payload;
                            }
                            else if (st.code() != Status::FAILED_PRECONDITION)
                                fail("put: " + st.toString());
                        }
                        catch (const std::exception& e)
                        {
                            fail("put threw: " + describe(e));
                        }
                    }
            });
        putter.join();
        putting = false;
        batcher.join();
        for (const std::string& f : failures)
            CPPUNIT_FAIL(f);

        for (int i = 0; i < n; ++i)
        {
            std::vector<ReplicaItem> all = here.versions(a(), id(i));
            CPPUNIT_ASSERT_MESSAGE(id(i), !all.empty());
            int currents = 0;
            for (const ReplicaItem& v : all)
                currents += v.isCurrent ? 1 : 0;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id(i) + ": current rows", 1, currents);
            CPPUNIT_ASSERT_MESSAGE(id(i) + ": the highest version is current",
                                   all.back().isCurrent);
            std::optional<ReplicaItem> cur = here.current(a(), id(i));
            CPPUNIT_ASSERT_EQUAL(all.back().version, cur->version);
        }
        for (const auto& [key, payload] : putStored)
        {
            std::vector<ReplicaItem> all = here.versions(a(), key.first);
            auto found = std::find_if(all.begin(), all.end(), [&](const ReplicaItem& v)
                                      { return v.version == key.second; });
            CPPUNIT_ASSERT_MESSAGE(key.first + " version " + std::to_string(key.second) + " lost",
                                   found != all.end());
            CPPUNIT_ASSERT_EQUAL(payload, found->payload.value());
        }
        // Each record saw every one of put()'s rounds: the last one (or a batch after it) wins.
        for (int i = 0; i < n; ++i)
            CPPUNIT_ASSERT(here.current(a(), id(i))->version >= 1000000 * Poco::Int64(rounds));
        CPPUNIT_ASSERT(batchesStored > 0);
    }

    void testIdempotentAndConflicts()
    {
        ReplicaStore rs(_store->db());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 2, "<v>2</v>"), 10).isOk());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 2, "<v>2</v>"), 11).isOk()); // same again
        Status conflict = rs.put(a(), item("R-1", 2, "<v>X</v>"), 12);
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, conflict.code());
        CPPUNIT_ASSERT(conflict.message().find("R-1 version 2") != std::string::npos);
        Status stale = rs.put(a(), item("R-1", 1, "<v>1</v>"), 13);
        CPPUNIT_ASSERT_EQUAL(Status::FAILED_PRECONDITION, stale.code());
        CPPUNIT_ASSERT(stale.message().find("current version is 2") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), rs.versions(a(), "R-1").size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(10), rs.current(a(), "R-1")->updatedAt);
    }

    void testPayloadsStoredPacked()
    {
        // A file record's payload is stored in about half its bytes (PayloadPacking) and every
        // read gives it back byte for byte; a row stored before packing (the whole XML) still
        // reads the same, and a batch with its content again leaves it unchanged.
        ReplicaStore rs(_store->db());
        const std::string xml = "<Record layout=\"juki_resident\"><Field name=\"atena_no\">"
                                "000000000000001</Field><Field name=\"address\">東京都 &amp; "
                                "\"1\"&lt;2&gt;</Field><Field name=\"filler\"></Field></Record>";
        const std::string odd = std::string("\x1fRnot packed") + "\x1e";
        CPPUNIT_ASSERT(rs.put(a(), item("R-p1", 1, xml), 10).isOk());
        CPPUNIT_ASSERT(rs.put(a(), item("R-p1", 1, xml), 11).isOk()); // idempotent
        Result<std::vector<bool>> stored =
            rs.putBatch(a(), {item("R-p2", 0, xml), item("R-p3", 0, odd)}, 20);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        Poco::Data::Session s = _store->db().session();
        auto storedBytes = [&](const std::string& id)
        {
            std::string code = a().str(), rid = id, head;
            Poco::Int64 length = 0;
            s << "SELECT LENGTH(payload), HEX(SUBSTR(payload, 1, 2)) FROM replica_items WHERE "
                 "tenant_code = ? AND record_id = ? AND is_current = 1",
                Poco::Data::Keywords::use(code), Poco::Data::Keywords::use(rid),
                Poco::Data::Keywords::into(length), Poco::Data::Keywords::into(head),
                Poco::Data::Keywords::now;
            return std::make_pair(length, head);
        };
        for (const char* id : {"R-p1", "R-p2"})
        {
            auto [length, head] = storedBytes(id);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, std::string("1F52"), head); // U+001F 'R'
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, Poco::Int64(xml.size() - 25 - 3 * 21), length);
            CPPUNIT_ASSERT_EQUAL(xml, rs.current(a(), id)->payload.value());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("1F58"), storedBytes("R-p3").second); // U+001F 'X'
        CPPUNIT_ASSERT_EQUAL(odd, rs.current(a(), "R-p3")->payload.value());
        // Packed by the caller (the importer packs off the storing thread): the same rows.
        const std::vector<std::string> packed{PayloadPacking::pack(xml), ""};
        ReplicaItem nil = item("R-p5", 0, "");
        nil.payload.reset();
        nil.nilReason = "none";
        stored = rs.putBatch(a(), {item("R-p4", 0, xml), nil}, 21, &packed);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        CPPUNIT_ASSERT(storedBytes("R-p4") == storedBytes("R-p2"));
        CPPUNIT_ASSERT_EQUAL(xml, rs.current(a(), "R-p4")->payload.value());
        CPPUNIT_ASSERT(!rs.current(a(), "R-p5")->payload);
        const std::vector<std::string> tooFew{PayloadPacking::pack(xml)};
        stored = rs.putBatch(a(), {item("R-p6", 0, xml), item("R-p7", 0, xml)}, 22, &tooFew);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, stored.status().code());
        CPPUNIT_ASSERT(!rs.current(a(), "R-p6"));
        CPPUNIT_ASSERT_EQUAL(xml, rs.versions(a(), "R-p2").at(0).payload.value());
        std::vector<ReplicaItem> found = rs.findCurrent(a(), "000000000000001", "TM00000000000002");
        auto expected = [&](const ReplicaItem& it)
        { return it.recordId == "R-p3" ? odd : it.recordId == "R-p5" ? "(nil)" : xml; };
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), found.size());
        for (const ReplicaItem& it : found)
            CPPUNIT_ASSERT_EQUAL(expected(it), it.payload.value_or("(nil)"));
        for (const ReplicaItem& it : rs.listCurrent(a(), "", 10))
            CPPUNIT_ASSERT_EQUAL(expected(it), it.payload.value_or("(nil)"));

        // A row written before packing: the XML as it is.
        {
            std::string code = a().str();
            Poco::Data::BLOB bytes(reinterpret_cast<const unsigned char*>(xml.data()), xml.size());
            s << "INSERT INTO replica_items (tenant_code, record_id, version, atena_no, "
                 "item_code, dataset_key, payload, nil_reason, publish_from, publish_to, "
                 "auto_answer, is_current, deleted, source_system, updated_at) VALUES (?, "
                 "'R-old', 1, '000000000000001', 'TM00000000000002', '', ?, NULL, NULL, NULL, 1, "
                 "1, 0, 'yobo', 5)",
                Poco::Data::Keywords::use(code), Poco::Data::Keywords::use(bytes),
                Poco::Data::Keywords::now;
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(xml.size()), storedBytes("R-old").first);
        CPPUNIT_ASSERT_EQUAL(xml, rs.current(a(), "R-old")->payload.value());
        stored = rs.putBatch(a(), {item("R-old", 0, xml), item("R-p2", 0, xml)}, 30);
        CPPUNIT_ASSERT_MESSAGE(stored.status().toString(), stored.isOk());
        CPPUNIT_ASSERT(!stored.value()[0]); // unchanged, though stored unpacked
        CPPUNIT_ASSERT(!stored.value()[1]);
        const std::string changed = Poco::replace(xml, std::string("東京都"), std::string("千葉県"));
        stored = rs.putBatch(a(), {item("R-old", 0, changed)}, 40);
        CPPUNIT_ASSERT(stored.isOk() && stored.value()[0]);
        std::vector<ReplicaItem> old = rs.versions(a(), "R-old");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), old.size());
        CPPUNIT_ASSERT_EQUAL(xml, old[0].payload.value());
        CPPUNIT_ASSERT_EQUAL(changed, old[1].payload.value());
        CPPUNIT_ASSERT_EQUAL(std::string("1F52"), storedBytes("R-old").second);
    }

    void testNilPayload()
    {
        ReplicaStore rs(_store->db());
        ReplicaItem it = item("R-1", 1, "");
        it.payload.reset();
        it.nilReason = "not-applicable";
        CPPUNIT_ASSERT(rs.put(a(), it, 10).isOk());
        std::optional<ReplicaItem> cur = rs.current(a(), "R-1");
        CPPUNIT_ASSERT(!cur->payload.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("not-applicable"), cur->nilReason);
        // A large binary payload round-trips too.
        std::string big;
        for (int i = 0; i < 150000; ++i)
            big += static_cast<char>(i % 251);
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 2, big), 11).isOk());
        CPPUNIT_ASSERT(big == rs.current(a(), "R-1")->payload.value());
    }

    void testTombstone()
    {
        ReplicaStore rs(_store->db());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 1, "<v/>"), 10).isOk());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, rs.remove(a(), "R-9", 2, "juki", 11).code());
        // The tombstone needs a new version: version 1 is taken by other content.
        CPPUNIT_ASSERT_EQUAL(Status::ALREADY_EXISTS, rs.remove(a(), "R-1", 1, "juki", 11).code());
        CPPUNIT_ASSERT(rs.remove(a(), "R-1", 2, "juki", 12).isOk());
        CPPUNIT_ASSERT(rs.remove(a(), "R-1", 2, "juki", 13).isOk()); // repeated
        std::optional<ReplicaItem> cur = rs.current(a(), "R-1");
        CPPUNIT_ASSERT(cur->deleted);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), cur->version);
        CPPUNIT_ASSERT(!cur->payload.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("deleted"), cur->nilReason);
        CPPUNIT_ASSERT(rs.findCurrent(a(), "000000000000001", "TM00000000000002").empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), rs.versions(a(), "R-1").size());
        // Re-registration after deletion is a newer version.
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 3, "<v>back</v>"), 14).isOk());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             rs.findCurrent(a(), "000000000000001", "TM00000000000002").size());
    }

    void testFindCurrent()
    {
        ReplicaStore rs(_store->db());
        ReplicaItem x = item("R-2", 1, "<x/>");
        x.datasetKey = "2024";
        x.autoAnswer = false;
        CPPUNIT_ASSERT(rs.put(a(), x, 10).isOk());
        ReplicaItem y = item("R-1", 1, "<y/>");
        y.datasetKey = "2023";
        CPPUNIT_ASSERT(rs.put(a(), y, 10).isOk());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 2, "<y2/>"), 11).isOk());
        ReplicaItem other = item("R-3", 1, "<z/>");
        other.itemCode = "TM00000000000009";
        CPPUNIT_ASSERT(rs.put(a(), other, 10).isOk());
        std::vector<ReplicaItem> found = rs.findCurrent(a(), "000000000000001", "TM00000000000002");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), found.size());
        CPPUNIT_ASSERT_EQUAL(std::string("R-1"), found[0].recordId); // dataset "" < "2024"
        CPPUNIT_ASSERT_EQUAL(std::string("<y2/>"), found[0].payload.value());
        CPPUNIT_ASSERT(!found[1].autoAnswer);
        CPPUNIT_ASSERT(rs.findCurrent(a(), "000000000000002", "TM00000000000002").empty());
    }

    void testExportPaging()
    {
        ReplicaStore rs(_store->db());
        for (int i = 0; i < 7; ++i)
            CPPUNIT_ASSERT(rs.put(a(), item("R-" + std::to_string(i), 1, "<v/>"), 10).isOk());
        CPPUNIT_ASSERT(rs.put(a(), item("R-3", 2, "<v2/>"), 11).isOk());
        std::vector<std::string> seen;
        std::string last;
        for (int pages = 0; pages < 10; ++pages)
        {
            std::vector<ReplicaItem> page = rs.listCurrent(a(), last, 3);
            for (const ReplicaItem& it : page)
                seen.push_back(it.recordId + "@" + std::to_string(it.version));
            if (page.size() < 3)
                break;
            last = page.back().recordId;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), seen.size());
        CPPUNIT_ASSERT_EQUAL(std::string("R-0@1"), seen[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("R-3@2"), seen[3]);
        CPPUNIT_ASSERT_EQUAL(std::string("R-6@1"), seen[6]);
    }

    void testValidation()
    {
        ReplicaStore rs(_store->db());
        ReplicaItem it = item("R-1", 0, "<v/>");
        Status st = rs.put(a(), it, 1);
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, st.code());
        CPPUNIT_ASSERT(st.message().find("replica record R-1 version 0") != std::string::npos);
        it = item("R-1", 1, "");
        it.payload.reset();
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT,
                             rs.put(a(), it, 1).code()); // nil without reason
        it = item("R-1", 1, "<v/>");
        it.itemCode = "TM";
        CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, rs.put(a(), it, 1).code());
        CPPUNIT_ASSERT(!rs.current(a(), "R-1").has_value());
    }

    void testTenantIsolation()
    {
        ReplicaStore rs(_store->db());
        CPPUNIT_ASSERT(rs.put(a(), item("R-1", 5, "<a/>"), 10).isOk());
        CPPUNIT_ASSERT(!rs.current(b(), "R-1").has_value());
        CPPUNIT_ASSERT(rs.versions(b(), "R-1").empty());
        CPPUNIT_ASSERT(rs.findCurrent(b(), "000000000000001", "TM00000000000002").empty());
        CPPUNIT_ASSERT(rs.listCurrent(b(), "", 100).empty());
        CPPUNIT_ASSERT_EQUAL(Status::NOT_FOUND, rs.remove(b(), "R-1", 6, "juki", 11).code());
        // B registering the same record id (even a lower version) is its own record.
        CPPUNIT_ASSERT(rs.put(b(), item("R-1", 1, "<b/>"), 12).isOk());
        CPPUNIT_ASSERT(rs.remove(b(), "R-1", 2, "juki", 13).isOk());
        std::optional<ReplicaItem> mine = rs.current(a(), "R-1");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), mine->version);
        CPPUNIT_ASSERT(!mine->deleted);
        CPPUNIT_ASSERT_EQUAL(std::string("<a/>"), mine->payload.value());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), rs.versions(a(), "R-1").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1),
                             rs.findCurrent(a(), "000000000000001", "TM00000000000002").size());
    }

private:
    static std::string describe(const std::exception& e)
    {
        auto pe = dynamic_cast<const Poco::Exception*>(&e);
        return pe ? pe->displayText() : e.what();
    }

    static TenantCode a() { return TenantCode::parse("121002").value(); }
    static TenantCode b() { return TenantCode::parse("352063").value(); }

    static ReplicaItem item(const std::string& recordId, Poco::Int64 version,
                            const std::string& payload)
    {
        ReplicaItem it;
        it.recordId = recordId;
        it.version = version;
        it.atenaNo = "000000000000001";
        it.itemCode = "TM00000000000002";
        it.payload = payload;
        it.sourceSystem = "yobo";
        return it;
    }

    std::unique_ptr<test::TestStore> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReplicaStoreTest);
